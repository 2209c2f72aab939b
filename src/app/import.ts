/**
 * `tunicoin import candles`: parse and check a CSV file, then insert its candles in one
 * transaction. Nothing is imported when any row is invalid, unless the caller skips them.
 * Rows that would overlap candles already stored for the instrument and timeframe are refused.
 */
import { readFileSync, statSync } from 'node:fs';
import { ConflictError, UsageError } from '../core/errors.ts';
import { toIso, type Timeframe } from '../core/time.ts';
import { parseCandleCsv, type RowError } from '../market/csv-import.ts';
import type { Store } from '../store/db.ts';
import { newId } from '../store/ids.ts';
import { findInstrument } from '../store/instruments.ts';

export interface ImportReport {
  readonly symbol: string; readonly timeframe: Timeframe; readonly layout: string; readonly rows: number; readonly imported: number;
  readonly skipped: RowError[]; readonly rounded: number; readonly from: string | null; readonly to: string | null;
}

export class InvalidRowsError extends UsageError {
  constructor(readonly file: string, readonly errors: RowError[]) {
    const shown = errors.slice(0, 5).map((e) => `line ${e.line}: ${e.message}`).join('; ');
    super(`${file}: ${errors.length} invalid row(s), nothing imported: ${shown}${errors.length > 5 ? `; and ${errors.length - 5} more` : ''}`, 'fix them, or pass --skip-invalid');
    this.name = 'InvalidRowsError';
  }
}

export function importCandles(store: Store, file: string, symbol: string, timeframe: Timeframe, skipInvalid: boolean, onProgress?: (d: number, t: number) => void): ImportReport {
  let text: string;
  try {
    if (statSync(file).size > 1 << 30) throw new UsageError(`${file} is larger than 1 GiB; split it`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const inst = findInstrument(store, symbol);
  const parsed = parseCandleCsv(text, timeframe, inst.tickSize);
  if (parsed.errors.length && (!skipInvalid || parsed.candles.time.length === 0)) throw new InvalidRowsError(file, parsed.errors);
  const c = parsed.candles;
  const n = c.time.length;
  return store.tx(() => {
    const overlap = store.prepare('SELECT COUNT(*) AS n FROM candles WHERE instrument_id = ? AND timeframe = ? AND timestamp BETWEEN ? AND ?')
      .get(inst.id, timeframe, c.time[0], c.time[n - 1]) as { n: number };
    if (overlap.n > 0) throw new ConflictError(`${inst.symbol} already has ${overlap.n} ${timeframe} candle(s) between ${toIso(c.time[0] as number)} and ${toIso(c.time[n - 1] as number)}; nothing imported`);
    const insert = store.prepare('INSERT INTO candles (id, instrument_id, timeframe, timestamp, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < n; i++) {
      insert.run(newId(), inst.id, timeframe, c.time[i], c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i]);
      if (onProgress && i % 20_000 === 0) onProgress(i, n);
    }
    return {
      symbol: inst.symbol, timeframe, layout: parsed.layout, rows: parsed.rows, imported: n, skipped: parsed.errors, rounded: parsed.rounded,
      from: n ? toIso(c.time[0] as number) : null, to: n ? toIso(c.time[n - 1] as number) : null,
    };
  });
}

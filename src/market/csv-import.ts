/**
 * Reading candle CSV files (csv-parse). Two layouts are detected:
 * - generic, with a header naming the columns (any order, any case): a time column
 *   (`date`, `time`, `datetime`, `timestamp`, `open_time`), `open`, `high`, `low`, `close` and an
 *   optional `volume`; other columns (e.g. `adjclose`) are ignored;
 * - Binance kline dumps: no header, 12 columns, the open time in epoch milliseconds (or
 *   microseconds, as Binance writes since 2025).
 * Times may be ISO-8601 (a date alone is 00:00 UTC) or epoch seconds / ms / µs.
 * Every row is checked (time parses and sits on the timeframe grid, strictly increasing;
 * prices positive and finite; low <= open, close <= high; volume >= 0) and each problem is
 * reported with its line number. Prices are rounded to the instrument's tick.
 */
import { parse } from 'csv-parse/sync';
import { parseIsoTime, TIMEFRAME_MS, toIso, type Timeframe } from '../core/time.ts';
import { emptyCandles, headCandles, type Candles } from './aggregate.ts';

export interface RowError { readonly line: number; readonly message: string }
export interface ParsedCandles { readonly layout: 'generic' | 'binance'; readonly candles: Candles; readonly errors: RowError[]; readonly rows: number; readonly rounded: number }

const TIME_NAMES = ['date', 'time', 'datetime', 'timestamp', 'open_time', 'opentime', 'date_time'];

function parseTimeValue(v: string): number | null {
  const s = v.trim();
  if (/^\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    if (n >= 1e14) return Math.floor(n / 1000); // microseconds
    if (n >= 1e11) return n; // milliseconds
    return n * 1000; // seconds
  }
  return parseIsoTime(s);
}

export function parseCandleCsv(text: string, timeframe: Timeframe, tick: number): ParsedCandles {
  const records = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: true, info: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  const errors: RowError[] = [];
  if (records.length === 0) return { layout: 'generic', candles: emptyCandles(0), errors: [{ line: 1, message: 'the file is empty' }], rows: 0, rounded: 0 };
  const first = records[0]?.record ?? [];
  const binance = first.length >= 11 && /^\d{12,17}$/.test(first[0] ?? '');
  let cols: { t: number; o: number; h: number; l: number; c: number; v: number };
  let body = records;
  if (binance) {
    cols = { t: 0, o: 1, h: 2, l: 3, c: 4, v: 5 };
  } else {
    const header = first.map((h) => h.toLowerCase().replace(/[^a-z_]/g, ''));
    const find = (names: string[]) => header.findIndex((h) => names.includes(h));
    cols = { t: find(TIME_NAMES), o: find(['open', 'o']), h: find(['high', 'h']), l: find(['low', 'l']), c: find(['close', 'c', 'last']), v: find(['volume', 'vol', 'v']) };
    const missing = Object.entries({ time: cols.t, open: cols.o, high: cols.h, low: cols.l, close: cols.c }).filter(([, i]) => i < 0).map(([k]) => k);
    if (missing.length) {
      return { layout: 'generic', candles: emptyCandles(0), errors: [{ line: 1, message: `no ${missing.join(', ')} column in the header (found: ${first.join(', ')}); expected date/time, open, high, low, close[, volume] or a Binance kline dump` }], rows: 0, rounded: 0 };
    }
    body = records.slice(1);
  }
  const out = emptyCandles(body.length);
  const step = TIMEFRAME_MS[timeframe];
  let n = 0;
  let rounded = 0;
  let prevTime = -Infinity;
  const snap = (x: number) => {
    const units = Math.round(x * 1e8);
    const r = Math.round(units / tick) * tick;
    if (r !== units) rounded++;
    return r / 1e8;
  };
  for (const { record, info } of body) {
    const line = info.lines;
    const get = (i: number) => (i >= 0 ? record[i] : undefined);
    const t = parseTimeValue(get(cols.t) ?? '');
    if (t === null) { errors.push({ line, message: `"${get(cols.t) ?? ''}" is not a date or time` }); continue; }
    if (t % step !== 0) { errors.push({ line, message: `${toIso(t)} is not on the ${timeframe} grid` }); continue; }
    if (t <= prevTime) { errors.push({ line, message: `${toIso(t)} is not after the previous row (${toIso(prevTime)})` }); continue; }
    const nums = [cols.o, cols.h, cols.l, cols.c].map((i) => Number(get(i)));
    const volText = get(cols.v);
    const vol = volText === undefined || volText === '' ? 0 : Number(volText);
    if (nums.some((x) => !Number.isFinite(x) || x <= 0)) { errors.push({ line, message: `open, high, low and close must be positive numbers (got ${[cols.o, cols.h, cols.l, cols.c].map((i) => get(i) ?? '').join(', ')})` }); continue; }
    if (!Number.isFinite(vol) || vol < 0) { errors.push({ line, message: `volume must be a number >= 0 (got "${volText}")` }); continue; }
    const [o, h, l, c] = nums.map(snap) as [number, number, number, number];
    if (l > Math.min(o, c) || h < Math.max(o, c) || l > h) { errors.push({ line, message: `inconsistent candle: low ${l} / high ${h} do not contain open ${o} and close ${c}` }); continue; }
    prevTime = t;
    out.time[n] = t; out.open[n] = o; out.high[n] = h; out.low[n] = l; out.close[n] = c; out.volume[n] = vol;
    n++;
  }
  return { layout: binance ? 'binance' : 'generic', candles: headCandles(out, n), errors, rows: body.length, rounded };
}

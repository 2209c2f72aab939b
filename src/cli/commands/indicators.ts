/**
 * `tunicoin indicators SYMBOL --ind ema:10 --ind rsi:14`: indicator values over recent candles.
 * The values are computed over all the history they need (the longest lookback, and ten
 * periods for the recursive ones so that EMA-style values have converged), then the last N
 * rows (or the --from/--to range) are shown. Windows end at the data, however old it is.
 */
import { UsageError } from '../../core/errors.ts';
import { renderCsv } from '../../core/csv.ts';
import { computeIndicator, parseIndicatorSpec, type IndicatorSpec } from '../../core/indicators/index.ts';
import { roundToPriceUnit } from '../../core/money.ts';
import { toIso } from '../../core/time.ts';
import { sliceCandles } from '../../core/candles.ts';
import { baseOf, clockFor, loadAggregated, window } from './market.ts';
import { findInstrument } from '../../store/instruments.ts';
import { parsePositiveInt, parseTimeframe } from '../args.ts';
import type { Context } from '../context.ts';
import { renderJson } from '../render/json.ts';
import { renderTable } from '../render/table.ts';

/** Bars before the first shown row for a spec's value to be final (SMA/BB) or converged (EMA-style). */
export function warmupBars(s: IndicatorSpec): number {
  switch (s.kind) {
    case 'sma':
    case 'bb':
      return s.params.period - 1;
    case 'macd':
      return 10 * (s.params.slow + s.params.signal);
    default:
      return 10 * s.params.period;
  }
}

export async function indicators(
  ctx: Context,
  symbol: string,
  flags: { timeframe?: string; ind?: string[]; last?: string; format?: string; from?: string; to?: string },
): Promise<void> {
  const tf = parseTimeframe(flags.timeframe ?? '1h');
  const specs = (flags.ind?.length ? flags.ind : ['ema:12', 'ema:26', 'rsi:14']).map(parseIndicatorSpec);
  const last = flags.last === undefined ? 20 : parsePositiveInt(flags.last, '--last', { max: 100_000 });
  const format = flags.format ?? (ctx.json ? 'json' : 'table');
  if (!['table', 'json', 'csv'].includes(format)) throw new UsageError(`unknown --format "${format}"`, 'use table, json or csv');
  const store = await ctx.store();
  const inst = findInstrument(store, symbol);
  const base = baseOf(store, inst, tf);
  const clock = clockFor(store, inst, base);
  const warm = Math.max(0, ...specs.map(warmupBars));
  // How many rows to show: the last N, or every bucket of --from..--to.
  let shown = last;
  if (flags.from !== undefined) {
    const range = window(store, inst, base, { from: flags.from, to: flags.to }, tf, clock, 100_000);
    shown = loadAggregated(inst, tf, range, store, base).time.length;
  }
  const w = window(store, inst, base, { to: flags.to, limit: String(Math.max(1, shown + warm)) }, tf, clock, shown + warm);
  const c = shown === 0 ? sliceCandles(loadAggregated(inst, tf, w, store, base), 0, 0) : loadAggregated(inst, tf, w, store, base);
  const n = c.time.length;
  const outs = specs.map((s) => computeIndicator(s, c));
  const columns = outs.flatMap((o) => o.columns);
  const start = Math.max(0, n - shown);
  const rows: Array<Record<string, string | number | null>> = [];
  for (let i = start; i < n; i++) {
    const row: Record<string, string | number | null> = { time: toIso(c.time[i] as number), close: c.close[i] as number };
    for (const o of outs)
      o.columns.forEach((col, k) => {
        const v = (o.values[k] as Float64Array)[i] as number;
        row[col] = Number.isFinite(v) ? roundToPriceUnit(v) : null;
      });
    rows.push(row);
  }
  if (format === 'json') {
    ctx.print(renderJson({ symbol: inst.symbol, timeframe: tf, indicators: specs.map((s) => s.text), rows }));
    return;
  }
  const header = ['time', 'close', ...columns];
  if (format === 'csv') {
    ctx.out.write(
      renderCsv(
        header,
        rows.map((r) => header.map((h) => r[h] ?? null)),
      ),
    );
    return;
  }
  if (!rows.length) {
    ctx.note(`no ${tf} candles for ${inst.symbol}${flags.from !== undefined || flags.to !== undefined ? ' in that range' : ''}`);
    return;
  }
  ctx.print(
    renderTable(
      header.map((h, k) => ({ header: h, align: k ? ('right' as const) : ('left' as const) })),
      rows.map((r) =>
        header.map((h) => {
          const v = r[h];
          return v === null || v === undefined ? '' : typeof v === 'number' ? (h === 'close' ? String(v) : v.toFixed(4)) : v;
        }),
      ),
      ctx.style,
    ),
  );
}

/** `tunicoin indicators SYMBOL --ind ema:10 --ind rsi:14`: indicator values over recent candles. */
import { UsageError } from '../../core/errors.ts';
import { renderCsv } from '../../core/csv.ts';
import { computeIndicator, parseIndicatorSpec } from '../../core/indicators/index.ts';
import { bucketStart, TIMEFRAME_MS, toIso } from '../../core/time.ts';
import { aggregate } from '../../market/aggregate.ts';
import { loadCandles } from '../../store/candles.ts';
import { baseOf, clockFor } from './market.ts';
import { findInstrument } from '../../store/instruments.ts';
import { parsePositiveInt, parseTimeframe } from '../args.ts';
import type { Context } from '../context.ts';
import { renderJson } from '../render/json.ts';
import { renderTable } from '../render/table.ts';

/** Candles loaded before the shown window so every indicator is warmed up. */
const WARMUP_CANDLES = 500;

export async function indicators(ctx: Context, symbol: string, flags: { timeframe?: string; ind?: string[]; last?: string; format?: string }): Promise<void> {
  const tf = parseTimeframe(flags.timeframe ?? '1h');
  const specs = (flags.ind?.length ? flags.ind : ['ema:12', 'ema:26', 'rsi:14']).map(parseIndicatorSpec);
  const last = flags.last === undefined ? 20 : parsePositiveInt(flags.last, '--last', { max: 100_000 });
  const format = flags.format ?? (ctx.json ? 'json' : 'table');
  if (!['table', 'json', 'csv'].includes(format)) throw new UsageError(`unknown --format "${format}"`, 'use table, json or csv');
  const store = await ctx.store();
  const inst = findInstrument(store, symbol);
  const base = baseOf(store, inst, tf);
  const clock = clockFor(store, inst, base);
  const from = bucketStart(clock, tf) - (last + WARMUP_CANDLES) * TIMEFRAME_MS[tf];
  const c = aggregate(loadCandles(store, inst.id, { from, to: clock }, base), tf);
  const n = c.time.length;
  const outs = specs.map((s) => computeIndicator(s, c));
  const columns = outs.flatMap((o) => o.columns);
  const start = Math.max(0, n - last);
  const rows: Array<Record<string, string | number | null>> = [];
  for (let i = start; i < n; i++) {
    const row: Record<string, string | number | null> = { time: toIso(c.time[i] as number), close: c.close[i] as number };
    for (const o of outs) o.columns.forEach((col, k) => { const v = (o.values[k] as Float64Array)[i] as number; row[col] = Number.isFinite(v) ? Math.round(v * 1e8) / 1e8 : null; });
    rows.push(row);
  }
  if (format === 'json') { ctx.print(renderJson({ symbol: inst.symbol, timeframe: tf, indicators: specs.map((s) => s.text), rows })); return; }
  const header = ['time', 'close', ...columns];
  if (format === 'csv') { ctx.out.write(renderCsv(header, rows.map((r) => header.map((h) => r[h] ?? null)))); return; }
  if (!rows.length) { ctx.note(`no ${tf} candles for ${inst.symbol}`); return; }
  ctx.print(renderTable(header.map((h, k) => ({ header: h, align: k ? 'right' as const : 'left' as const })),
    rows.map((r) => header.map((h) => { const v = r[h]; return v === null || v === undefined ? '' : typeof v === 'number' ? (h === 'close' ? String(v) : v.toFixed(4)) : v; })), ctx.style));
}

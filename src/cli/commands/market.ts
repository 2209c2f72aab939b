/** Market data: `instruments`, `candles`, `quote`, `chart`. */
import asciichart from 'asciichart';
import { ConflictError, UsageError } from '../../core/errors.ts';
import { decimalsOf, formatPrice, PRICE_DECIMALS, formatQty } from '../../core/money.ts';
import { quoteFromMid } from '../../core/quote.ts';
import { bucketStart, DAY_MS, MINUTE_MS, TIMEFRAME_MS, toIso, type Timeframe } from '../../core/time.ts';
import { aggregate, sliceCandles, type Candles } from '../../market/aggregate.ts';
import { baseTimeframe, candleAtOrBefore, candleBounds, loadCandles } from '../../store/candles.ts';
import type { Store } from '../../store/db.ts';
import { getSetting } from '../../store/settings.ts';
import { findInstrument, listInstruments, type Instrument } from '../../store/instruments.ts';
import { parsePositiveInt, parseTime, parseTimeframe } from '../args.ts';
import type { Context } from '../context.ts';
import { renderCsv } from '../../core/csv.ts';
import { renderJson } from '../render/json.ts';
import { renderTable } from '../render/table.ts';

const pct = (x: number): string => `${(x * 100).toFixed(4).replace(/\.?0+$/, '')}%`;
export const priceDecimals = (i: Instrument): number => decimalsOf(i.tickSize, PRICE_DECIMALS);

export async function instruments(ctx: Context): Promise<void> {
  const store = await ctx.store();
  const list = listInstruments(store);
  if (ctx.json) {
    ctx.print(renderJson(list.map((i) => ({
      symbol: i.symbol, name: i.name, type: i.type, baseCurrency: i.baseCurrency, quoteCurrency: i.quoteCurrency,
      tickSize: formatPrice(i.tickSize, priceDecimals(i)), contractSize: formatQty(i.contractSize),
      spread: i.baseSpread, fundingRate: i.fundingRate, slippageFactor: i.slippageFactor,
      minSize: formatQty(i.minSize), maxSize: formatQty(i.maxSize), active: i.isActive, tradeable: i.isTradeable,
      maxParticipation: i.maxParticipation ?? 0,
    }))));
    return;
  }
  if (list.length === 0) { ctx.note('no instruments yet: run `tunicoin seed`'); return; }
  ctx.print(renderTable(
    ['symbol', 'name', 'type', 'tick', 'contract', 'spread', 'funding/8h', 'slippage', 'min size', 'max size', 'status']
      .map((h, k) => ({ header: h, align: k >= 3 && k <= 9 ? 'right' as const : 'left' as const })),
    list.map((i) => [i.symbol, i.name, i.type, formatPrice(i.tickSize, priceDecimals(i)), formatQty(i.contractSize),
      pct(i.baseSpread), pct(i.fundingRate), String(i.slippageFactor), formatQty(i.minSize), formatQty(i.maxSize),
      (!i.isActive ? 'inactive' : i.isTradeable ? 'tradeable' : 'view only') + (i.maxParticipation ? `, fills <= ${pct(i.maxParticipation)} of volume` : '')]),
    ctx.style));
}

export interface CandlesFlags { timeframe?: string; from?: string; to?: string; limit?: string; format?: string }

interface Window { readonly from: number; readonly to: number; readonly limit: number }

/** The 1m range to load: explicit --from/--to, else the last `limit` buckets up to the clock. */
function window(flags: CandlesFlags, tf: Timeframe, clock: number, defaultLimit: number, limitFlag = '--limit'): Window {
  const limit = flags.limit === undefined ? defaultLimit : parsePositiveInt(flags.limit, limitFlag, { max: 1_000_000 });
  const to = flags.to === undefined ? clock : parseTime(flags.to, '--to');
  // Nothing past the simulation clock exists yet: clamp, so no future candle leaks out.
  const end = Math.min(to, clock);
  const from = flags.from === undefined ? bucketStart(end, tf) - (limit - 1) * TIMEFRAME_MS[tf] : parseTime(flags.from, '--from');
  if (from > end) throw new UsageError(`--from (${toIso(from)}) is after --to (${toIso(end)})`);
  return { from, to: end, limit };
}

/** The stored timeframe candles are aggregated from (1m, or an imported 1h/1d). */
export function baseOf(store: Store, inst: Instrument, tf?: Timeframe): Timeframe {
  const base = baseTimeframe(store, inst.id);
  if (!base) throw new ConflictError(`${inst.symbol} has no candles yet`, 'seed or import candles first');
  if (tf && TIMEFRAME_MS[tf] < TIMEFRAME_MS[base]) throw new UsageError(`${inst.symbol} only has ${base} candles: use --timeframe ${base} or longer`);
  return base;
}

/** The simulation clock; for a database with imported history only, its last candle. */
export function clockFor(store: Store, inst: Instrument, base: Timeframe): number {
  const c = getSetting(store, 'clock');
  if (c !== undefined) return Number(c);
  return candleBounds(store, inst.id, base)?.last ?? 0;
}

function loadAggregated(inst: Instrument, tf: Timeframe, w: Window, store: Store, base: Timeframe): Candles {
  const c = aggregate(loadCandles(store, inst.id, { from: bucketStart(w.from, tf), to: w.to }, base), tf);
  const n = c.time.length;
  return n > w.limit ? sliceCandles(c, n - w.limit, n) : c;
}

const round8 = (x: number): number => Math.round(x * 1e8) / 1e8;

export async function candles(ctx: Context, symbol: string, flags: CandlesFlags): Promise<void> {
  const tf = parseTimeframe(flags.timeframe ?? '1m');
  const format = flags.format ?? (ctx.json ? 'json' : 'table');
  if (!['table', 'json', 'csv'].includes(format)) throw new UsageError(`unknown --format "${format}"`, 'use table, json or csv');
  const store = await ctx.store();
  const inst = findInstrument(store, symbol);
  const base = baseOf(store, inst, tf);
  const w = window(flags, tf, clockFor(store, inst, base), 50);
  const c = loadAggregated(inst, tf, w, store, base);
  const d = priceDecimals(inst);
  const rows = Array.from(c.time, (t, i) => ({
    time: toIso(t), open: c.open[i] as number, high: c.high[i] as number, low: c.low[i] as number,
    close: c.close[i] as number, volume: round8(c.volume[i] as number),
  }));
  if (format === 'json') { ctx.print(renderJson({ symbol: inst.symbol, timeframe: tf, candles: rows })); return; }
  if (format === 'csv') {
    ctx.out.write(renderCsv(['time', 'open', 'high', 'low', 'close', 'volume'], rows.map((r) => [r.time, r.open.toFixed(d), r.high.toFixed(d), r.low.toFixed(d), r.close.toFixed(d), r.volume])));
    return;
  }
  if (rows.length === 0) { ctx.note(`no ${tf} candles for ${inst.symbol} in that range`); return; }
  ctx.print(renderTable(['time', 'open', 'high', 'low', 'close', 'volume'].map((h, k) => ({ header: h, align: k ? 'right' as const : 'left' as const })),
    rows.map((r) => [r.time, r.open.toFixed(d), r.high.toFixed(d), r.low.toFixed(d), r.close.toFixed(d), r.volume.toFixed(4)]), ctx.style));
}

export async function quote(ctx: Context, symbol: string): Promise<void> {
  const store = await ctx.store();
  const inst = findInstrument(store, symbol);
  const base = baseOf(store, inst);
  const clock = clockFor(store, inst, base);
  const last = candleAtOrBefore(store, inst.id, clock, base);
  if (!last) throw new ConflictError(`no price for ${inst.symbol} at ${toIso(clock)}`, 'import or seed candles first');
  const q = quoteFromMid(last.close, inst.baseSpread, inst.tickSize);
  const dayAgo = candleAtOrBefore(store, inst.id, clock - DAY_MS, base);
  const change = dayAgo ? (last.close - dayAgo.close) / dayAgo.close : null;
  const d = priceDecimals(inst);
  const data = {
    symbol: inst.symbol, time: toIso(clock), priceTime: toIso(last.timestamp),
    bid: formatPrice(q.bid, d), ask: formatPrice(q.ask, d), mid: formatPrice(q.mid, d),
    spread: formatPrice(q.ask - q.bid, d),
    change24h: dayAgo ? formatPrice(Math.round((last.close - dayAgo.close) * 1e8), d) : null,
    change24hPct: change === null ? null : Number((change * 100).toFixed(4)),
  };
  if (ctx.json) { ctx.print(renderJson(data)); return; }
  const ch = change === null ? 'n/a' : ctx.style.signed(change, `${change >= 0 ? '+' : ''}${(change * 100).toFixed(2)}%`);
  ctx.print(`${ctx.style.bold(inst.symbol)}  bid ${data.bid}  ask ${data.ask}  mid ${data.mid}  24h ${ch}  ${ctx.style.dim(`@ ${data.time}`)}`);
}

export interface ChartFlags { timeframe?: string; last?: string; height?: string }

export async function chart(ctx: Context, symbol: string, flags: ChartFlags): Promise<void> {
  const tf = parseTimeframe(flags.timeframe ?? '1h');
  const height = flags.height === undefined ? 15 : parsePositiveInt(flags.height, '--height', { min: 2, max: 200 });
  const store = await ctx.store();
  const inst = findInstrument(store, symbol);
  const base = baseOf(store, inst, tf);
  const w = window({ limit: flags.last }, tf, clockFor(store, inst, base), 72, '--last');
  const c = loadAggregated(inst, tf, w, store, base);
  const n = c.time.length;
  if (n === 0) throw new ConflictError(`no ${tf} candles for ${inst.symbol} up to the clock`, 'run `tunicoin seed` first');
  const closes = Array.from(c.close);
  const first = c.open[0] as number;
  const last = c.close[n - 1] as number;
  const change = (last - first) / first;
  const d = priceDecimals(inst);
  if (ctx.json) {
    ctx.print(renderJson({ symbol: inst.symbol, timeframe: tf, from: toIso(c.time[0] as number), to: toIso(c.time[n - 1] as number),
      last, changePct: Number((change * 100).toFixed(4)), closes: Array.from(c.time, (t, i) => ({ time: toIso(t), close: c.close[i] })) }));
    return;
  }
  const header = `${ctx.style.bold(inst.symbol)} ${tf}  ${toIso(c.time[0] as number)} .. ${toIso((c.time[n - 1] as number) + TIMEFRAME_MS[tf] - MINUTE_MS)}  last ${last.toFixed(d)}  ${ctx.style.signed(change, `${change >= 0 ? '+' : ''}${(change * 100).toFixed(2)}%`)}`;
  const plot = asciichart.plot(closes, {
    height, format: (x: number) => x.toFixed(d).padStart(12),
    colors: ctx.style.enabled ? [change >= 0 ? asciichart.green : asciichart.red] : undefined,
  });
  ctx.print(`${header}\n${plot}`);
}

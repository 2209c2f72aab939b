/** Market data: `instruments`, `candles`, `quote`, `chart`. */
import asciichart from 'asciichart';
import { ConflictError, UsageError } from '../../core/errors.ts';
import { decimalsOf, formatPrice, formatRatePercent, PRICE_DECIMALS, PRICE_SCALE, formatQty, roundToPriceUnit } from '../../core/money.ts';
import { quoteFromMid } from '../../core/quote.ts';
import { bucketStart, DAY_MS, MINUTE_MS, TIMEFRAME_MS, toIso, type Timeframe } from '../../core/time.ts';
import { aggregate, sliceCandles, type Candles } from '../../core/candles.ts';
import { closeMinute, lastKnownStart, staleness } from '../../core/market-data.ts';
import { baseTimeframe, loadCandles } from '../../store/candles.ts';
import { candleSpan, latestCandleStart, priceCandleAt } from '../../store/market-data.ts';
import type { Store } from '../../store/db.ts';
import { getSetting } from '../../store/settings.ts';
import { findInstrument, listInstruments, type Instrument } from '../../store/instruments.ts';
import { parsePositiveInt, parseTime, parseTimeframe } from '../args.ts';
import type { Context } from '../context.ts';
import { renderCsv } from '../../core/csv.ts';
import { renderJson } from '../render/json.ts';
import { renderTable } from '../render/table.ts';
import { group } from '../../core/number-text.ts';

const pct = formatRatePercent;
export const priceDecimals = (i: Instrument): number => decimalsOf(i.tickSize, PRICE_DECIMALS);

export async function instruments(ctx: Context): Promise<void> {
  const store = await ctx.store();
  const list = listInstruments(store);
  if (ctx.json) {
    ctx.print(
      renderJson(
        list.map((i) => ({
          symbol: i.symbol,
          name: i.name,
          type: i.type,
          baseCurrency: i.baseCurrency,
          quoteCurrency: i.quoteCurrency,
          tickSize: formatPrice(i.tickSize, priceDecimals(i)),
          contractSize: formatQty(i.contractSize),
          spread: i.baseSpread,
          fundingRate: i.fundingRate,
          slippageFactor: i.slippageFactor,
          minSize: formatQty(i.minSize),
          maxSize: formatQty(i.maxSize),
          active: i.isActive,
          tradeable: i.isTradeable,
          origin: i.origin,
          syntheticFrom: i.syntheticFrom === null ? null : toIso(i.syntheticFrom),
          maxParticipation: i.maxParticipation ?? 0,
        })),
      ),
    );
    return;
  }
  if (list.length === 0) {
    ctx.note('no instruments yet: run `tunicoin seed`');
    return;
  }
  ctx.print(
    renderTable(
      ['symbol', 'name', 'type', 'tick', 'contract', 'spread', 'funding/8h', 'slippage', 'min size', 'max size', 'status', 'data'].map(
        (h, k) => ({ header: h, align: k >= 3 && k <= 9 ? ('right' as const) : ('left' as const) }),
      ),
      list.map((i) => [
        i.symbol,
        i.name,
        i.type,
        formatPrice(i.tickSize, priceDecimals(i)),
        formatQty(i.contractSize),
        pct(i.baseSpread),
        pct(i.fundingRate),
        String(i.slippageFactor),
        group(formatQty(i.minSize)),
        group(formatQty(i.maxSize)),
        (!i.isActive ? 'inactive' : i.isTradeable ? 'tradeable' : 'view only') +
          (i.maxParticipation ? `, fills <= ${pct(i.maxParticipation)} of volume` : ''),
        i.syntheticFrom === null ? i.origin : `imported, synthetic from ${toIso(i.syntheticFrom).slice(0, 10)}`,
      ]),
      ctx.style,
    ),
  );
}

export interface CandlesFlags {
  timeframe?: string;
  from?: string;
  to?: string;
  limit?: string;
  format?: string;
}

export interface Window {
  readonly from: number;
  readonly to: number;
  readonly limit: number;
  readonly explicitFrom: boolean;
}

/**
 * The range to show: explicit --from/--to, else the last `limit` buckets of data at or before
 * --to (default: the clock), however old the data is. Never past the clock.
 */
export function window(
  store: Store,
  inst: Instrument,
  base: Timeframe,
  flags: CandlesFlags,
  tf: Timeframe,
  clock: number,
  defaultLimit: number,
  limitFlag = '--limit',
): Window {
  const limit = flags.limit === undefined ? defaultLimit : parsePositiveInt(flags.limit, limitFlag, { max: MAX_CANDLE_LIMIT });
  // An explicit --to includes the bucket it falls in. Nothing past the simulation clock exists
  // yet: clamp, so no future candle leaks out.
  const to = flags.to === undefined ? clock : bucketStart(parseTime(flags.to, '--to'), tf) + TIMEFRAME_MS[tf] - MINUTE_MS;
  const end = Math.min(to, clock);
  if (flags.from !== undefined) {
    const from = parseTime(flags.from, '--from');
    if (from > end) throw new UsageError(`--from (${toIso(from)}) is after --to (${toIso(end)})`);
    return { from, to: end, limit, explicitFrom: true };
  }
  const latest = latestCandleStart(store, inst.id, base, lastKnownStart(end, base));
  const anchor = latest === undefined ? end : latest;
  return { from: bucketStart(anchor, tf) - (limit - 1) * TIMEFRAME_MS[tf], to: end, limit, explicitFrom: false };
}

/** The stored timeframe candles are aggregated from (1m, or an imported 1h/1d). */
export function baseOf(store: Store, inst: Instrument, tf?: Timeframe): Timeframe {
  const base = baseTimeframe(store, inst.id);
  if (!base) throw new ConflictError(`${inst.symbol} has no candles yet`, 'seed or import candles first');
  if (tf && TIMEFRAME_MS[tf] < TIMEFRAME_MS[base])
    throw new UsageError(`${inst.symbol} only has ${base} candles: use --timeframe ${base} or longer`);
  return base;
}

/** The simulation clock; for a database with imported history only (no clock), the end of its last candle. */
export function clockFor(store: Store, inst: Instrument, base: Timeframe): number {
  const c = getSetting(store, 'clock');
  if (c !== undefined) return Number(c);
  const last = candleSpan(store, inst.id, base)?.last;
  return last === undefined ? 0 : closeMinute(last, base);
}

/**
 * The window's candles aggregated to `tf`, the latest `limit`. Without --from, the range is
 * widened (doubling) until `limit` buckets are found or the data runs out: gaps (weekends,
 * missing days) never shorten the view.
 */
export function loadAggregated(inst: Instrument, tf: Timeframe, w: Window, store: Store, base: Timeframe): Candles {
  const to = lastKnownStart(w.to, base); // only candles complete at the clock
  const first = candleSpan(store, inst.id, base)?.first ?? w.from;
  let from = bucketStart(w.from, tf);
  for (let tries = 0; ; tries++) {
    const c = aggregate(loadCandles(store, inst.id, { from, to }, base), tf);
    const n = c.time.length;
    if (n >= w.limit) return sliceCandles(c, n - w.limit, n);
    if (w.explicitFrom || from <= first || tries >= 24) return c;
    from = bucketStart(to - 2 * (to - from), tf);
  }
}

/** Is the bucket starting at `t` still open at the clock? */
const partialAt = (t: number, tf: Timeframe, clock: number): boolean => bucketStart(t, tf) + TIMEFRAME_MS[tf] - MINUTE_MS > clock;

const round8 = roundToPriceUnit;
/** The most candles one command shows. */
const MAX_CANDLE_LIMIT = 1_000_000;

export async function candles(ctx: Context, symbol: string, flags: CandlesFlags): Promise<void> {
  const tf = parseTimeframe(flags.timeframe ?? '1m');
  const format = flags.format ?? (ctx.json ? 'json' : 'table');
  if (!['table', 'json', 'csv'].includes(format)) throw new UsageError(`unknown --format "${format}"`, 'use table, json or csv');
  const store = await ctx.store();
  const inst = findInstrument(store, symbol);
  const base = baseOf(store, inst, tf);
  const clock = clockFor(store, inst, base);
  const w = window(store, inst, base, flags, tf, clock, 50);
  const c = loadAggregated(inst, tf, w, store, base);
  const d = priceDecimals(inst);
  const rows = Array.from(c.time, (t, i) => ({
    time: toIso(t),
    open: c.open[i] as number,
    high: c.high[i] as number,
    low: c.low[i] as number,
    close: c.close[i] as number,
    volume: round8(c.volume[i] as number),
    ...(partialAt(t, tf, clock) ? { partial: true } : {}),
  }));
  if (format === 'json') {
    // prices as decimal strings at the tick's decimals, like every price in --json (the CSV has the same figures)
    const json = rows.map((r) => ({
      ...r,
      open: r.open.toFixed(d),
      high: r.high.toFixed(d),
      low: r.low.toFixed(d),
      close: r.close.toFixed(d),
    }));
    ctx.print(renderJson({ symbol: inst.symbol, timeframe: tf, clock: toIso(clock), candles: json }));
    return;
  }
  if (format === 'csv') {
    ctx.out.write(
      renderCsv(
        ['time', 'open', 'high', 'low', 'close', 'volume'],
        rows.map((r) => [r.time, r.open.toFixed(d), r.high.toFixed(d), r.low.toFixed(d), r.close.toFixed(d), r.volume]),
      ),
    );
    return;
  }
  if (rows.length === 0) {
    ctx.note(`no ${tf} candles for ${inst.symbol} in that range`);
    return;
  }
  ctx.print(
    renderTable(
      ['time', 'open', 'high', 'low', 'close', 'volume'].map((h, k) => ({ header: h, align: k ? ('right' as const) : ('left' as const) })),
      rows.map((r) => [
        `${r.time}${r.partial ? ' *' : ''}`,
        group(r.open.toFixed(d)),
        group(r.high.toFixed(d)),
        group(r.low.toFixed(d)),
        group(r.close.toFixed(d)),
        group(r.volume.toFixed(4)),
      ]),
      ctx.style,
    ),
  );
  if (rows.some((r) => r.partial)) ctx.note(`* partial: the bucket is still open at the clock (${toIso(clock)})`);
}

export async function quote(ctx: Context, symbol: string): Promise<void> {
  const store = await ctx.store();
  const inst = findInstrument(store, symbol);
  const base = baseOf(store, inst);
  const clock = clockFor(store, inst, base);
  const price = priceCandleAt(store, inst.id, clock, base);
  if (!price)
    throw new ConflictError(
      `no price for ${inst.symbol} at ${toIso(clock)}: its data starts later`,
      'advance the clock, or import earlier history',
    );
  const last = price.candle;
  const stale = staleness(last.timestamp, base, clock);
  const q = quoteFromMid(last.close, inst.baseSpread, inst.tickSize);
  const dayAgo = stale ? undefined : priceCandleAt(store, inst.id, clock - DAY_MS, base)?.candle;
  const change = dayAgo ? (last.close - dayAgo.close) / dayAgo.close : null;
  const d = priceDecimals(inst);
  const data = {
    symbol: inst.symbol,
    time: toIso(clock),
    priceTime: toIso(last.timestamp),
    bid: formatPrice(q.bid, d),
    ask: formatPrice(q.ask, d),
    mid: formatPrice(q.mid, d),
    spread: formatPrice(q.ask - q.bid, d),
    change24h: dayAgo ? formatPrice(Math.round((last.close - dayAgo.close) * PRICE_SCALE), d) : null,
    change24hPct: change === null ? null : Number((change * 100).toFixed(4)),
    stale: stale !== null,
    ...(stale ? { staleReason: stale.text } : {}),
    origin: inst.origin,
  };
  if (ctx.json) {
    ctx.print(renderJson(data));
    return;
  }
  if (stale) {
    ctx.print(
      `${ctx.style.bold(inst.symbol)}  bid ${group(data.bid)}  ask ${group(data.ask)}  mid ${group(data.mid)}  ${ctx.style.chalk.yellow(`stale: ${stale.text}`)}  ${ctx.style.dim(`@ ${data.time}`)}`,
    );
    return;
  }
  const ch = change === null ? 'n/a' : ctx.style.signed(change, `${change >= 0 ? '+' : ''}${(change * 100).toFixed(2)}%`);
  ctx.print(
    `${ctx.style.bold(inst.symbol)}  bid ${group(data.bid)}  ask ${group(data.ask)}  mid ${group(data.mid)}  24h ${ch}  ${ctx.style.dim(`@ ${data.time}`)}`,
  );
}

export interface ChartFlags {
  timeframe?: string;
  last?: string;
  height?: string;
  from?: string;
  to?: string;
  candles?: boolean;
}

export async function chart(ctx: Context, symbol: string, flags: ChartFlags): Promise<void> {
  const tf = parseTimeframe(flags.timeframe ?? '1h');
  const height = flags.height === undefined ? 15 : parsePositiveInt(flags.height, '--height', { min: 2, max: 200 });
  const store = await ctx.store();
  const inst = findInstrument(store, symbol);
  const base = baseOf(store, inst, tf);
  const clock = clockFor(store, inst, base);
  const w = window(store, inst, base, { limit: flags.last, from: flags.from, to: flags.to }, tf, clock, 72, '--last');
  const c = loadAggregated(inst, tf, w, store, base);
  const n = c.time.length;
  if (n === 0) {
    throw new ConflictError(
      `no ${tf} candles for ${inst.symbol} ${flags.from !== undefined || flags.to !== undefined ? 'in that range' : `at or before the clock (${toIso(clock)})`}`,
      flags.from !== undefined || flags.to !== undefined
        ? 'see `tunicoin clock --json` for the stored ranges'
        : 'advance the clock, or import earlier history',
    );
  }
  const closes = Array.from(c.close);
  const first = c.open[0] as number;
  const last = c.close[n - 1] as number;
  const change = (last - first) / first;
  const d = priceDecimals(inst);
  const partial = partialAt(c.time[n - 1] as number, tf, clock);
  if (ctx.json) {
    ctx.print(
      renderJson({
        symbol: inst.symbol,
        timeframe: tf,
        from: toIso(c.time[0] as number),
        to: toIso(c.time[n - 1] as number),
        last,
        changePct: Number((change * 100).toFixed(4)),
        partialLast: partial,
        closes: Array.from(c.time, (t, i) => ({ time: toIso(t), close: c.close[i] })),
      }),
    );
    return;
  }
  const end = Math.min((c.time[n - 1] as number) + TIMEFRAME_MS[tf] - MINUTE_MS, clock);
  const stale = staleness(c.time[n - 1] as number, tf, clock);
  const note = partial ? '  (last candle partial: open at the clock)' : stale ? `  (${stale.text})` : '';
  const header = `${ctx.style.bold(inst.symbol)} ${tf}  ${toIso(c.time[0] as number)} .. ${toIso(end)}  last ${last.toFixed(d)}  ${ctx.style.signed(change, `${change >= 0 ? '+' : ''}${(change * 100).toFixed(2)}%`)}${note}`;
  if (flags.candles) {
    const { renderCandles } = await import('../render/candles-chart.ts');
    ctx.print(`${header}\n${renderCandles(c, { height, decimals: d, style: ctx.style })}`);
    return;
  }
  const plot = asciichart.plot(closes, {
    height,
    format: (x: number) => x.toFixed(d).padStart(12),
    colors: ctx.style.enabled ? [change >= 0 ? asciichart.green : asciichart.red] : undefined,
  });
  ctx.print(`${header}\n${plot}`);
}

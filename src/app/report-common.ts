/** Shared pieces of the report use cases: candles at a timeframe, series aligned to them, facts. */
import { decimalsOf, PRICE_DECIMALS, priceToFloat } from '../core/money.ts';
import { TIMEFRAME_MS, TIMEFRAMES, type Timeframe } from '../core/time.ts';
import { aggregate, type Candles } from '../core/candles.ts';
import { baseTimeframe, loadCandles } from '../store/candles.ts';
import type { Store } from '../store/db.ts';
import type { Instrument } from '../store/instruments.ts';

export interface PriceData {
  /** The stored candles (the finest timeframe) the chart is built from. */
  readonly raw: Candles;
  /** The candles at the chart's timeframe. */
  readonly candles: Candles;
  readonly timeframe: Timeframe;
}

/** Candles of `inst` in [from, to] at `tf` (or the stored timeframe when it is coarser). */
export function priceData(store: Store, inst: Instrument, tf: Timeframe, from: number, to: number): PriceData | null {
  const base = baseTimeframe(store, inst.id);
  if (!base) return null;
  const timeframe = TIMEFRAME_MS[tf] < TIMEFRAME_MS[base] ? base : tf;
  const raw = loadCandles(store, inst.id, { from, to }, base);
  if (raw.time.length === 0) return null;
  return { raw, candles: aggregate(raw, timeframe), timeframe };
}

/** The finest timeframe that shows [from, to] in at most `maxBars` bars. */
export function timeframeFor(from: number, to: number, maxBars: number): Timeframe {
  for (const tf of TIMEFRAMES) if ((to - from) / TIMEFRAME_MS[tf] <= maxBars) return tf;
  return '1d';
}

/**
 * Values at times `times` placed on the candles with the same time (the last one wins); NaN
 * where none. Both must be sorted.
 */
export function alignToCandles(candleTimes: ArrayLike<number>, times: ArrayLike<number>, values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(candleTimes.length).fill(NaN);
  let k = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    while (k < candleTimes.length && (candleTimes[k] as number) < t) k++;
    if (k < candleTimes.length && candleTimes[k] === t) out[k] = values[i] as number;
  }
  return out;
}

/** A step function over the candles: at each candle's close, the last value at or before it. */
export function stepAtCandles(
  candleTimes: ArrayLike<number>,
  barMs: number,
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  initial = NaN,
): Float64Array {
  const out = new Float64Array(candleTimes.length);
  let k = 0;
  let cur = initial;
  for (let i = 0; i < candleTimes.length; i++) {
    const end = (candleTimes[i] as number) + barMs;
    while (k < times.length && (times[k] as number) < end) cur = values[k++] as number;
    out[i] = cur;
  }
  return out;
}

export const priceDecimalsOf = (inst: Instrument): number => Math.min(8, decimalsOf(inst.tickSize, PRICE_DECIMALS));
export const tickOf = (inst: Instrument): number => priceToFloat(inst.tickSize);

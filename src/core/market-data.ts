/**
 * Market-data rules that do not depend on storage: when a candle's price is known, when it is
 * stale, and which candle prices can be represented.
 *
 * - A candle is stamped with the start of its bucket; its close is known at the bucket's last
 *   minute (`closeMinute`). A 1m candle is therefore known at its own timestamp (the convention
 *   of the synthetic market), a 1d candle at 23:59 of its day. Replaying imported history feeds
 *   each candle at its close minute, so nothing is seen before it happened.
 * - A price is stale when its candle started before the bucket preceding the clock's bucket
 *   (for daily data: older than yesterday's candle). Stale prices are shown as such and manual
 *   orders are refused on them with the same words.
 * - Candle prices must sit on the instrument's tick grid at one tick or more, and stay below
 *   the largest price whose one-contract notional fits the money scale (money.ts).
 */
import { MAX_MONEY, MONEY_SCALE, PRICE_SCALE, QTY_SCALE } from './money.ts';
import { bucketStart, DAY_MS, HOUR_MS, MINUTE_MS, TIMEFRAME_MS, toIso, type Timeframe } from './time.ts';

/** The minute at which a candle of `tf` stamped `start` is complete (its close is known). */
export function closeMinute(start: number, tf: Timeframe): number {
  return bucketStart(start, tf) + TIMEFRAME_MS[tf] - MINUTE_MS;
}

/** The latest candle start whose close is known at `clock`. */
export function lastKnownStart(clock: number, tf: Timeframe): number {
  return clock - TIMEFRAME_MS[tf] + MINUTE_MS;
}

export interface Staleness {
  /** The candle the price comes from (its start). */
  readonly priceTime: number;
  readonly ageMs: number;
  /** "last price 2020-04-17, 2,048 days before the clock" */
  readonly text: string;
}

const plural = (n: number, unit: string): string => `${n.toLocaleString('en-US')} ${unit}${n === 1 ? '' : 's'}`;

/** How long before `clock` a price is, in words. */
export function ageText(ms: number): string {
  if (ms >= DAY_MS) return plural(Math.floor(ms / DAY_MS), 'day');
  if (ms >= HOUR_MS) return plural(Math.floor(ms / HOUR_MS), 'hour');
  return plural(Math.max(0, Math.floor(ms / MINUTE_MS)), 'minute');
}

/** null when the price is current; otherwise why it is stale. */
export function staleness(priceTime: number, tf: Timeframe, clock: number): Staleness | null {
  const freshFrom = bucketStart(clock, tf) - TIMEFRAME_MS[tf];
  if (priceTime >= freshFrom) return null;
  const shown = TIMEFRAME_MS[tf] >= DAY_MS ? toIso(priceTime).slice(0, 10) : toIso(priceTime).slice(0, 16).replace('T', ' ');
  const ageMs = clock - closeMinute(priceTime, tf);
  return { priceTime, ageMs, text: `last price ${shown}, ${ageText(ageMs)} before the clock` };
}

/**
 * The largest candle price (as a float) an instrument can carry: its Price units must be a safe
 * integer and the notional of one contract must fit the money scale.
 */
export function maxCandlePrice(contractSize: number): number {
  const byPrice = Number.MAX_SAFE_INTEGER / PRICE_SCALE;
  const byNotional = MAX_MONEY / MONEY_SCALE / (contractSize / QTY_SCALE);
  return Math.min(byPrice, byNotional);
}

/** Candle times outside these years are refused (a 2-digit year is never moved to 19xx). */
export const FIRST_CANDLE_TIME = Date.UTC(1900, 0, 1);
export const END_CANDLE_TIME = Date.UTC(2200, 0, 1);

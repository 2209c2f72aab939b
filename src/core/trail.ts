/**
 * Trailing stops: a stop level that follows the best price since the entry at a fixed distance,
 * absolute (`500` = $500 in price units) or relative (`2%` of the best price).
 *
 * Assumptions (the bar hides the path, so pessimistic):
 * - The anchor starts at the entry (the fill price of the order that opened the position, or the
 *   mid when a standalone trailing stop is placed) and then moves to the best MID of each later
 *   1m bar: the high for a stop below the price (protecting a long, a sell stop), the low for a
 *   stop above it (a buy stop). It never moves back.
 * - One step per bar: a bar is first checked against the level set by the bars before it, and
 *   only then moves the anchor. A bar that makes a new high and then falls through the new level
 *   does not trigger in that bar (we cannot know the order of its high and its low).
 * - The level is on the tick grid, rounded away from the price (down for a sell stop, up for a
 *   buy stop), and only ever tightens.
 */
import type { Bar } from './fill.ts';
import { divRound, formatFixed, formatPrice, parseFixed, parsePrice, PPM_SCALE, PRICE_DECIMALS, PRICE_SCALE, type Price } from './money.ts';

/** A trailing distance: absolute in price units, or parts per million of the anchor. */
export type Trail = { readonly kind: 'distance'; readonly distance: Price } | { readonly kind: 'percent'; readonly ppm: number };

const PCT_DECIMALS = 4; // 1% = 10,000 ppm: a percentage with 4 decimals is a ppm count

/** "2%", "0.5%" or "500" (a price distance); null when not a positive distance below 100%. */
export function parseTrail(text: string): Trail | null {
  const s = text.trim();
  const pct = /^(\d+\.?\d*|\.\d+)%$/.exec(s);
  if (pct) {
    const ppm = parseFixed(pct[1] as string, PCT_DECIMALS, 'percentage');
    return ppm > 0 && ppm < PPM_SCALE ? { kind: 'percent', ppm } : null;
  }
  if (!/^(\d+\.?\d*|\.\d+)$/.test(s)) return null;
  const distance = parsePrice(s);
  return distance > 0 ? { kind: 'distance', distance } : null;
}

export function formatTrail(t: Trail): string {
  return t.kind === 'percent'
    ? `${formatFixed(t.ppm, PCT_DECIMALS, { trim: true })}%`
    : formatPrice(t.distance, PRICE_DECIMALS).replace(/\.?0+$/, '');
}

/** The distance in price units at `anchor`. */
export function trailGap(t: Trail, anchor: Price): Price {
  if (t.kind === 'distance') return t.distance;
  return Number(divRound(BigInt(anchor) * BigInt(t.ppm), BigInt(PPM_SCALE), 'half-even')) as Price;
}

/**
 * The stop level for `anchor`: below it for a sell stop (`sell` = protects a long), above it for
 * a buy stop; on the tick grid, away from the price, never below one tick.
 */
export function trailLevel(t: Trail, anchor: Price, sell: boolean, tick: Price): Price {
  const gap = trailGap(t, anchor);
  if (sell) return (Math.max(1, Math.floor((anchor - gap) / tick)) * tick) as Price;
  return (Math.ceil((anchor + gap) / tick) * tick) as Price;
}

/** The anchor after `bar`: the best mid in the position's favour (high for a sell stop, low for a buy stop). */
export function nextAnchor(anchor: Price, bar: Bar, sell: boolean): Price {
  if (sell) {
    const high = Math.round(bar.high * PRICE_SCALE);
    return (high > anchor ? high : anchor) as Price;
  }
  const low = Math.round(bar.low * PRICE_SCALE);
  return (low < anchor ? low : anchor) as Price;
}

/** Is the new level tighter (closer to the price) than the old one? Only then does the stop move. */
export const tighter = (level: Price, old: Price | null, sell: boolean): boolean => old === null || (sell ? level > old : level < old);

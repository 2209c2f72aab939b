/**
 * Quotes from mid prices. Candles hold mid prices; the book around a mid is
 *   ask = mid x (1 + spread/2) rounded UP to the tick grid,
 *   bid = mid x (1 - spread/2) rounded DOWN to the tick grid,
 * so the quoted spread is never narrower than the instrument's base spread.
 */
import { priceFromFloat, type Price } from './money.ts';

export interface Quote { readonly bid: Price; readonly ask: Price; readonly mid: Price }

/** Round a price onto the tick grid. */
export function roundToTick(price: number, tick: number, mode: 'nearest' | 'floor' | 'ceil'): Price {
  const n = price / tick;
  const k = mode === 'floor' ? Math.floor(n + 1e-9) : mode === 'ceil' ? Math.ceil(n - 1e-9) : Math.round(n);
  return (k * tick) as Price;
}

export function isOnTick(price: number, tick: number): boolean {
  return price % tick === 0;
}

/** Quote around a mid given as a float (a candle field) or as Price units. */
export function quoteFromMid(midFloat: number, spread: number, tick: Price): Quote {
  const mid = priceFromFloat(midFloat);
  const half = spread / 2;
  const ask = roundToTick(mid * (1 + half), tick, 'ceil');
  let bid = roundToTick(mid * (1 - half), tick, 'floor');
  if (bid <= 0) bid = tick; // never quote a non-positive price
  return { bid, ask, mid };
}

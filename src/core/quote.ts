/**
 * Quotes from mid prices. Candles hold mid prices; the book around a mid is
 *   ask = mid x (1 + spread/2) rounded UP to the tick grid,
 *   bid = mid x (1 - spread/2) rounded DOWN to the tick grid (never below one tick),
 * so the quoted spread is never narrower than the instrument's base spread.
 *
 * The bid and ask come from the fill model (fill.ts `askOf`/`bidOf`): a quote shows exactly the
 * price a market order of a negligible size would fill at.
 */
import { askOf, bidOf } from './fill.ts';
import { priceFromFloat, type Price } from './money.ts';

export interface Quote {
  readonly bid: Price;
  readonly ask: Price;
  readonly mid: Price;
}

/** Quote around a mid given as a float (a candle field). */
export function quoteFromMid(midFloat: number, spread: number, tick: Price): Quote {
  const book = { spread, tick };
  return { bid: bidOf(midFloat, book), ask: askOf(midFloat, book), mid: priceFromFloat(midFloat) };
}

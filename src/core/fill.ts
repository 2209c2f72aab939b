/**
 * THE fill model: every fill in the product (manual orders, resting orders, stop-loss and
 * take-profit, liquidations, bots, backtests) is priced here. It decides; it does not act:
 * `matchOrder` returns what happened to one order on one bar and the engine applies it.
 *
 * Assumptions (pessimistic where the bar hides the path):
 * - A bar carries MID prices (open, high, low, close) and a volume in contracts. A quote is a bar
 *   whose four prices are the same mid (manual market orders fill against the last close).
 * - Book: ask = mid x (1 + spread/2) rounded up to the tick, bid = mid x (1 - spread/2) rounded
 *   down. Buys execute on the ask side, sells on the bid side.
 * - Slippage (taker fills only): slip = exec x slippageFactor x min(1, size / max(volume, minSize)),
 *   rounded UP to the tick and always against the trader. It grows linearly with the order's
 *   share of the bar's volume: 1% of the bar's volume with factor 0.05 costs 0.05%.
 * - Market orders fill at the bar's open (no look-ahead: an order decided at a bar's close fills
 *   at the next bar's open; a manual order fills at the current quote).
 * - Limit orders (maker, no slippage) fill when the executable side of the bar reaches the limit:
 *   buy when ask(low) <= limit, sell when bid(high) >= limit, at the limit, or at the open when
 *   the bar opens through it (a gap fills at the better open).
 * - Stop orders trigger on the mid range (buy stop: high >= stop, sell stop: low <= stop) and
 *   fill as market orders (taker, slippage) at the stop's executable price, or at the open when
 *   the bar gaps through the stop.
 * - Stop-limit orders become limits when triggered. In the trigger bar they fill only if the
 *   executable price at the trigger (the stop, or the open on a gap) is within the limit; we do
 *   not assume the price came back after the trigger. Later bars treat them as plain limits.
 * - Stop-loss / take-profit attached to a position: SL acts as a stop, TP as a limit; when one
 *   bar reaches both, the stop-loss is assumed to have happened first (adverse first).
 * - Partial fills (`maxParticipation` > 0): one fill of an order takes at most that share of the
 *   bar's volume, rounded down to the lot step; the rest keeps working on the next bars at the
 *   same rules (a triggered stop's rest works as a market order). Exits attached to a position
 *   (stop-loss, take-profit, trailing stop) and liquidations are never capped: closing is whole.
 *   0 (the default) means no cap.
 */
import { PRICE_SCALE, QTY_SCALE, qtyToFloat, type Price, type Qty } from './money.ts';

export type Side = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop' | 'stop_limit';
export type Liquidity = 'maker' | 'taker';

/** Mid prices as floats (candle values) and volume in contracts. */
export interface Bar {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface MarketParams {
  readonly spread: number;
  readonly tick: Price;
  readonly slippageFactor: number;
  readonly minSize: Qty;
  /** Largest share of a bar's volume one fill may take (0 or absent: no cap). */
  readonly maxParticipation?: number;
}

export interface WorkingOrder {
  readonly side: Side;
  readonly type: OrderType;
  readonly size: Qty;
  /** Limit price (limit, stop_limit). */
  readonly price: Price | null;
  /** Trigger price (stop, stop_limit). */
  readonly stopPrice: Price | null;
  /** A stop-limit whose stop has already triggered in an earlier bar. */
  readonly triggered: boolean;
}

export interface Fill {
  readonly price: Price;
  /** Slippage included in `price`, in price units (>= 0, always against the trader). */
  readonly slippage: Price;
  readonly liquidity: Liquidity;
}

export type MatchResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'triggered' } // stop-limit triggered, limit not (yet) fillable
  | { readonly kind: 'fill'; readonly fill: Fill; readonly triggered: boolean };

const NONE: MatchResult = { kind: 'none' };
const TRIGGERED: MatchResult = { kind: 'triggered' };

/** The part of the market parameters that makes the book around a mid. */
export type Book = Pick<MarketParams, 'spread' | 'tick'>;

/**
 * The book in whole ticks: ceil (ask) or floor (bid) of mid x (1 +- spread/2) / tick, never
 * below one tick. In floats when the product is clearly off a whole tick (its float error is
 * under 1e-15 of it); within that of a whole tick, where a float cannot tell the tick from its
 * neighbour, the mid (to the price unit) and the spread (to 1e-9) are taken exactly and the
 * division is done in BigInt. A mid that is an exact decimal gets the exact book
 * (test/unit/quote.test.ts checks it against BigInt arithmetic).
 */
function bookTicks(mid: number, p: Book, up: boolean): number {
  const x = (mid * PRICE_SCALE * (up ? 1 + p.spread / 2 : 1 - p.spread / 2)) / p.tick;
  const f = Math.floor(x);
  const e = x * 1e-15;
  const k = x - f > e && f + 1 - x > e ? (up ? f + 1 : f) : exactBookTicks(mid, p, up);
  return k < 1 ? 1 : k;
}

/** `bookTicks` in BigInt, for a product within float noise of a whole tick (kept apart: the float path stays small). */
function exactBookTicks(mid: number, p: Book, up: boolean): number {
  const half = BigInt(Math.round(p.spread * 1e9)); // spread/2 in units of 0.5e-9
  const num = BigInt(Math.round(mid * PRICE_SCALE)) * (2_000_000_000n + (up ? half : -half));
  const den = 2_000_000_000n * BigInt(p.tick);
  const q = num / den;
  return Number(up && q * den < num ? q + 1n : q);
}

/** Ask for a mid given as a float (never below one tick): THE ask of the product (quote.ts shows it). */
export function askOf(mid: number, p: Book): Price {
  return (bookTicks(mid, p, true) * (p.tick as number)) as Price;
}

/** Bid for a mid given as a float (never below one tick): THE bid of the product (quote.ts shows it). */
export function bidOf(mid: number, p: Book): Price {
  return (bookTicks(mid, p, false) * (p.tick as number)) as Price;
}

/** Ask/bid for a level already in Price units (stop and limit levels). */
const askAt = (level: Price, p: MarketParams): Price => askOf(level / PRICE_SCALE, p);
const bidAt = (level: Price, p: MarketParams): Price => bidOf(level / PRICE_SCALE, p);

/** Taker slippage for `size` against a bar's volume, rounded up to the tick. */
export function slippageFor(exec: Price, size: Qty, volume: number, p: MarketParams): Price {
  if (p.slippageFactor <= 0) return 0 as Price;
  const sizeContracts = qtyToFloat(size);
  const floor = Math.max(volume, qtyToFloat(p.minSize), 1e-12);
  const share = Math.min(1, sizeContracts / floor);
  const raw = exec * p.slippageFactor * share;
  const t = p.tick as number;
  return (Math.ceil(raw / t - 1e-9) * t) as Price;
}

/** A fill being written (`fillMarketInto`): a caller that prices fill after fill keeps one. */
export type FillOut = { -readonly [K in keyof Fill]: Fill[K] };

/** A blank fill to write into. */
export function emptyFill(): FillOut {
  return { price: 0 as Price, slippage: 0 as Price, liquidity: 'taker' };
}

function takerInto(out: FillOut, side: Side, exec: Price, size: Qty, volume: number, p: MarketParams): FillOut {
  const slip = slippageFor(exec, size, volume, p);
  let price = (side === 'buy' ? exec + slip : exec - slip) as Price;
  if (price <= 0) price = p.tick; // a sell can never fill at or below zero
  out.price = price;
  out.slippage = Math.abs(price - exec) as Price;
  out.liquidity = 'taker';
  return out;
}

function taker(side: Side, exec: Price, size: Qty, volume: number, p: MarketParams): Fill {
  return takerInto(emptyFill(), side, exec, size, volume, p);
}

/** A market order on a bar: taker at the open's ask (buy) or bid (sell). */
export function fillMarket(side: Side, size: Qty, bar: Bar, p: MarketParams): Fill {
  return fillMarketInto(emptyFill(), side, size, bar, p);
}

/** `fillMarket` written into `out` instead of a new object; returns `out`. */
export function fillMarketInto(out: FillOut, side: Side, size: Qty, bar: Bar, p: MarketParams): FillOut {
  const exec = side === 'buy' ? askOf(bar.open, p) : bidOf(bar.open, p);
  return takerInto(out, side, exec, size, bar.volume, p);
}

/** Limit fill, or null. `price` is the limit in Price units. */
export function fillLimit(side: Side, limit: Price, bar: Bar, p: MarketParams): Fill | null {
  if (side === 'buy') {
    const openAsk = askOf(bar.open, p);
    if (openAsk <= limit) return { price: openAsk, slippage: 0 as Price, liquidity: 'maker' };
    if (askOf(bar.low, p) <= limit) return { price: limit, slippage: 0 as Price, liquidity: 'maker' };
    return null;
  }
  const openBid = bidOf(bar.open, p);
  if (openBid >= limit) return { price: openBid, slippage: 0 as Price, liquidity: 'maker' };
  if (bidOf(bar.high, p) >= limit) return { price: limit, slippage: 0 as Price, liquidity: 'maker' };
  return null;
}

/** Does a stop at `stop` (mid level) trigger in this bar? A buy stop triggers on the way up. */
export function stopTriggers(side: Side, stop: Price, bar: Bar): boolean {
  const s = stop / PRICE_SCALE;
  return side === 'buy' ? bar.high >= s : bar.low <= s;
}

/** The mid level at which a triggered stop executes: the stop, or the open if the bar gapped through. */
function triggerLevel(side: Side, stop: Price, bar: Bar): Price {
  const open = Math.round(bar.open * PRICE_SCALE);
  const gapped = side === 'buy' ? open >= stop : open <= stop;
  return (gapped ? open : stop) as Price;
}

/** Stop fill (taker at the stop's executable price, or the open on a gap), or null. */
export function fillStop(side: Side, stop: Price, size: Qty, bar: Bar, p: MarketParams): Fill | null {
  if (!stopTriggers(side, stop, bar)) return null;
  const level = triggerLevel(side, stop, bar);
  const exec = side === 'buy' ? askAt(level, p) : bidAt(level, p);
  return taker(side, exec, size, bar.volume, p);
}

export function matchOrder(o: WorkingOrder, bar: Bar, p: MarketParams): MatchResult {
  switch (o.type) {
    case 'market':
      return { kind: 'fill', fill: fillMarket(o.side, o.size, bar, p), triggered: false };
    case 'limit': {
      const f = fillLimit(o.side, o.price as Price, bar, p);
      return f ? { kind: 'fill', fill: f, triggered: false } : NONE;
    }
    case 'stop': {
      const f = fillStop(o.side, o.stopPrice as Price, o.size, bar, p);
      return f ? { kind: 'fill', fill: f, triggered: true } : NONE;
    }
    case 'stop_limit': {
      const limit = o.price as Price;
      if (o.triggered) {
        const f = fillLimit(o.side, limit, bar, p);
        return f ? { kind: 'fill', fill: f, triggered: false } : NONE;
      }
      const stop = o.stopPrice as Price;
      if (!stopTriggers(o.side, stop, bar)) return NONE;
      const level = triggerLevel(o.side, stop, bar);
      const exec = o.side === 'buy' ? askAt(level, p) : bidAt(level, p);
      const within = o.side === 'buy' ? exec <= limit : exec >= limit;
      return within ? { kind: 'fill', fill: { price: exec, slippage: 0 as Price, liquidity: 'maker' }, triggered: true } : TRIGGERED;
    }
  }
}

export type ExitKind = 'stop_loss' | 'take_profit';

/**
 * Stop-loss / take-profit of a position on a bar. `long` positions exit by selling.
 * Adverse first: if both levels are reached in the bar, the stop-loss wins.
 */
export function matchExit(
  long: boolean,
  size: Qty,
  sl: Price | null,
  tp: Price | null,
  bar: Bar,
  p: MarketParams,
): { kind: ExitKind; fill: Fill } | null {
  const side: Side = long ? 'sell' : 'buy';
  if (sl !== null) {
    const f = fillStop(side, sl, size, bar, p);
    if (f) return { kind: 'stop_loss', fill: f };
  }
  if (tp !== null) {
    const f = fillLimit(side, tp, bar, p);
    if (f) return { kind: 'take_profit', fill: f };
  }
  return null;
}

/**
 * How much of `remaining` one fill may take on a bar of `volume` contracts: all of it without a
 * participation cap, else floor(volume x maxParticipation) on the lot grid (possibly 0).
 */
export function participationCap(remaining: Qty, volume: number, p: MarketParams): Qty {
  const share = p.maxParticipation ?? 0;
  if (!(share > 0)) return remaining;
  const lots = Math.floor((volume * share * QTY_SCALE) / p.minSize + 1e-9);
  const cap = lots > 0 ? lots * p.minSize : 0;
  return (cap < remaining ? cap : remaining) as Qty;
}

/** A bar made of one quote (all prices = mid): what a manual market order fills against. */
export function quoteBar(mid: number, volume: number): Bar {
  return { open: mid, high: mid, low: mid, close: mid, volume };
}

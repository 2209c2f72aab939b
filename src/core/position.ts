/**
 * Netting positions and margin. One position per (account, instrument), with a signed size
 * (+ long, - short). A fill in the same direction adds (size-weighted average entry); the other
 * way reduces (realising PnL on the reduced part at the fill price), closes at zero, and flips
 * when it crosses zero (the remainder opens a new position at the fill price).
 *
 * Margin: margin = notional at entry / leverage, rounded up; recomputed whenever the size or
 * entry changes. Maintenance margin = 50% of the margin (MAINTENANCE_RATIO); an account whose
 * equity falls below the sum of its positions' maintenance margins is liquidated.
 * Unrealised PnL is marked at the mid.
 */
import { averagePrice, divMoneyByFactor, notional, pnl, type Money, type Price, type Qty } from './money.ts';

export const MAINTENANCE_RATIO = 0.5;

export interface PositionState {
  /** Signed size in Qty units: + long, - short. */
  size: Qty;
  entryPrice: Price;
  leverage: number;
  marginUsed: Money;
}

export interface NettingResult {
  /** The position after the fill (size 0 = closed). */
  readonly after: PositionState;
  /** PnL realised on the reduced part (0 when only adding). */
  readonly realized: Money;
  /** Size closed against the old position (>= 0). */
  readonly closedSize: Qty;
  /** Size that opened or added exposure (>= 0). */
  readonly openedSize: Qty;
  /** The fill crossed zero: the old position closed and a new one opened with the remainder. */
  readonly flipped: boolean;
}

export function marginFor(size: Qty, price: Price, contractSize: Qty, leverage: number): Money {
  if (size === 0) return 0 as Money;
  return divMoneyByFactor(notional(size, price, contractSize, 'ceil'), leverage, 'ceil');
}

/** A netting result being written (applyFillTo): the engine keeps one and rewrites it per fill. */
export interface NettingOut {
  readonly after: PositionState;
  realized: Money;
  closedSize: Qty;
  openedSize: Qty;
  flipped: boolean;
}

/** A blank netting result to write into. */
export function emptyNetting(): NettingOut {
  return {
    after: { size: 0 as Qty, entryPrice: 0 as Price, leverage: 1, marginUsed: 0 as Money },
    realized: 0 as Money,
    closedSize: 0 as Qty,
    openedSize: 0 as Qty,
    flipped: false,
  };
}

/**
 * Apply a fill of `signedSize` (+ buy, - sell) at `price` to `pos` (null = flat).
 * `leverage` applies to the resulting position when exposure is added or opened.
 */
export function applyFill(pos: PositionState | null, signedSize: Qty, price: Price, contractSize: Qty, leverage: number): NettingResult {
  return applyFillTo(emptyNetting(), pos, signedSize, price, contractSize, leverage);
}

/** `applyFill` written into `out` (its `after` too) instead of new objects; returns `out`. */
export function applyFillTo(
  out: NettingOut,
  pos: PositionState | null,
  signedSize: Qty,
  price: Price,
  contractSize: Qty,
  leverage: number,
): NettingOut {
  const after = out.after;
  const cur = pos?.size ?? 0;
  if (cur === 0 || Math.sign(cur) === Math.sign(signedSize)) {
    const size = (cur + signedSize) as Qty;
    const entry = cur === 0 ? price : averagePrice(cur, (pos as PositionState).entryPrice, signedSize, price);
    after.size = size;
    after.entryPrice = entry;
    after.leverage = leverage;
    after.marginUsed = marginFor(size, entry, contractSize, leverage);
    out.realized = 0 as Money;
    out.closedSize = 0 as Qty;
    out.openedSize = Math.abs(signedSize) as Qty;
    out.flipped = false;
    return out;
  }
  const p = pos as PositionState;
  const closing = Math.min(Math.abs(cur), Math.abs(signedSize)) as Qty;
  out.realized = pnl((Math.sign(cur) * closing) as Qty, p.entryPrice, price, contractSize);
  out.closedSize = closing;
  const size = (cur + signedSize) as Qty;
  if (size === 0) {
    after.size = 0 as Qty;
    after.entryPrice = p.entryPrice;
    after.leverage = p.leverage;
    after.marginUsed = 0 as Money;
    out.openedSize = 0 as Qty;
    out.flipped = false;
  } else if (Math.sign(size) === Math.sign(cur)) {
    // reduced, same entry
    after.size = size;
    after.entryPrice = p.entryPrice;
    after.leverage = p.leverage;
    after.marginUsed = marginFor(size, p.entryPrice, contractSize, p.leverage);
    out.openedSize = 0 as Qty;
    out.flipped = false;
  } else {
    after.size = size;
    after.entryPrice = price;
    after.leverage = leverage;
    after.marginUsed = marginFor(size, price, contractSize, leverage);
    out.openedSize = Math.abs(size) as Qty;
    out.flipped = true;
  }
  return out;
}

/** Unrealised PnL of a position marked at `mark`. */
export function unrealized(pos: PositionState, mark: Price, contractSize: Qty): Money {
  if (pos.size === 0) return 0 as Money;
  return pnl(pos.size, pos.entryPrice, mark, contractSize);
}

export function maintenanceOf(marginUsed: Money): Money {
  return Math.ceil(marginUsed * MAINTENANCE_RATIO) as Money;
}

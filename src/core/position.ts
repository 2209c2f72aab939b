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

/**
 * Apply a fill of `signedSize` (+ buy, - sell) at `price` to `pos` (null = flat).
 * `leverage` applies to the resulting position when exposure is added or opened.
 */
export function applyFill(pos: PositionState | null, signedSize: Qty, price: Price, contractSize: Qty, leverage: number): NettingResult {
  const cur = pos?.size ?? 0;
  if (cur === 0 || Math.sign(cur) === Math.sign(signedSize)) {
    const size = (cur + signedSize) as Qty;
    const entry = cur === 0 ? price : averagePrice(cur, (pos as PositionState).entryPrice, signedSize, price);
    return {
      after: { size, entryPrice: entry, leverage, marginUsed: marginFor(size, entry, contractSize, leverage) },
      realized: 0 as Money,
      closedSize: 0 as Qty,
      openedSize: Math.abs(signedSize) as Qty,
      flipped: false,
    };
  }
  const p = pos as PositionState;
  const closing = Math.min(Math.abs(cur), Math.abs(signedSize)) as Qty;
  const realized = pnl((Math.sign(cur) * closing) as Qty, p.entryPrice, price, contractSize);
  const size = (cur + signedSize) as Qty;
  if (size === 0) {
    return {
      after: { size: 0 as Qty, entryPrice: p.entryPrice, leverage: p.leverage, marginUsed: 0 as Money },
      realized,
      closedSize: closing,
      openedSize: 0 as Qty,
      flipped: false,
    };
  }
  if (Math.sign(size) === Math.sign(cur)) {
    // reduced, same entry
    return {
      after: { size, entryPrice: p.entryPrice, leverage: p.leverage, marginUsed: marginFor(size, p.entryPrice, contractSize, p.leverage) },
      realized,
      closedSize: closing,
      openedSize: 0 as Qty,
      flipped: false,
    };
  }
  return {
    after: { size, entryPrice: price, leverage, marginUsed: marginFor(size, price, contractSize, leverage) },
    realized,
    closedSize: closing,
    openedSize: Math.abs(size) as Qty,
    flipped: true,
  };
}

/** Unrealised PnL of a position marked at `mark`. */
export function unrealized(pos: PositionState, mark: Price, contractSize: Qty): Money {
  if (pos.size === 0) return 0 as Money;
  return pnl(pos.size, pos.entryPrice, mark, contractSize);
}

export function maintenanceOf(marginUsed: Money): Money {
  return Math.ceil(marginUsed * MAINTENANCE_RATIO) as Money;
}

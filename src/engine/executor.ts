/**
 * From a strategy's decision to an order: position sizing and the order that moves the current
 * position to the wanted one. Shared by backtests and bots, so both trade the same sizes.
 *
 * Sizing (`--size`):
 *   N      a fixed size in contracts (e.g. 0.5)
 *   P%     a fraction of equity used as margin: size = equity x P x leverage / (price x contract)
 *   all    all available margin: size = 0.98 x available / (price x contract x (1/leverage + cost)),
 *          cost = half the spread + the order's slippage + the taker fee, as rates (2% is kept back
 *          for the move to the next open)
 * Sizes are rounded DOWN to the instrument's lot step; below the minimum size nothing is traded.
 * `P%` and `all` are estimated here at the decision's close (the order's provisional size) and
 * resolved at the fill (fill-sizing.ts); a fixed size stays fixed.
 */
import { MONEY_SCALE, moneyToFloat, ppmToRate, priceToFloat, QTY_SCALE, qtyToFloat, type Qty } from '../core/money.ts';
import type { Decision } from '../core/strategy/types.ts';
import type { SizeSpec } from '../core/size-spec.ts';
import { accountMarks } from './accounting.ts';
import type { Engine } from './engine.ts';
import type { EngineAccount, EngineInstrument } from './state.ts';
import { fillMarket, quoteBar } from '../core/fill.ts';

/** Size for a new position at `price` (mid, float), rounded down to the lot step; 0 if below the minimum. */
export function positionSize(
  spec: SizeSpec,
  engine: Engine,
  acct: EngineAccount,
  inst: EngineInstrument,
  leverage: number,
  price: number,
  afterClosing: boolean,
): Qty {
  const s = inst.spec;
  let raw: number;
  if (spec.kind === 'fixed') {
    raw = spec.size;
  } else {
    const m = accountMarks(engine.state, acct);
    const perContract = price * qtyToFloat(s.contractSize); // quote currency per 1 size unit
    if (spec.kind === 'fraction') {
      raw = ((((m.equity * spec.fraction) / MONEY_SCALE) * leverage) / perContract) * QTY_SCALE;
    } else {
      // All of the margin: each contract needs price/leverage of margin plus what buying it costs
      // at once (half the spread, the slippage of an order this big, the taker fee), estimated on
      // the current candle; 2% is kept back for the move to the next open.
      const budget = moneyToFloat(afterClosing ? m.equity : m.available);
      const first = (budget * leverage) / perContract;
      const est = fillMarket(
        'buy',
        Math.max(s.minSize, Math.floor(first * QTY_SCALE)) as Qty,
        quoteBar(price, inst.bar?.volume ?? 0),
        inst.params,
      );
      const costRate = Math.abs(priceToFloat(est.price) - price) / price + ppmToRate(acct.takerFee);
      raw = ((budget * 0.98) / (perContract * (1 / leverage + costRate))) * QTY_SCALE;
    }
  }
  const lots = Math.floor(raw / s.minSize + 1e-9);
  const size = Math.min(lots * s.minSize, Math.floor(s.maxSize / s.minSize) * s.minSize);
  return (size >= s.minSize ? size : 0) as Qty;
}

export interface IntendedOrder {
  readonly side: 'buy' | 'sell';
  readonly size: Qty;
  readonly reduceOnly: boolean;
}

/**
 * What a decision does to the current position (signed size): a reduce-only close leg of the
 * whole position, then an open leg on the wanted side. A reversal has both; the open leg is
 * sized at the fill, after the close has freed its margin, and never takes the close down with it.
 */
export interface Legs {
  readonly close: IntendedOrder | null;
  readonly open: 'buy' | 'sell' | null;
}

const NO_LEGS: Legs = { close: null, open: null };

/** The side a decision opens from the current position (signed size), or null. */
export function openLegOf(decision: Decision, current: number): 'buy' | 'sell' | null {
  return decision === 'buy' ? (current > 0 ? null : 'buy') : decision === 'sell' ? (current < 0 ? null : 'sell') : null;
}

/** The decision closes the whole current position first (a close, or a reversal). */
export function closesFirst(decision: Decision, current: number): boolean {
  return current !== 0 && (decision === 'close' || openLegOf(decision, current) !== null);
}

export function legsFor(decision: Decision, current: number): Legs {
  const open = openLegOf(decision, current);
  if (!closesFirst(decision, current)) return open ? { close: null, open } : NO_LEGS;
  return { close: { side: current > 0 ? 'sell' : 'buy', size: Math.abs(current) as Qty, reduceOnly: true }, open };
}

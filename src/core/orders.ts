/**
 * Order rules checked before an order can work: instrument state, size grid and bounds, tick
 * grid, required prices, leverage, stop-loss/take-profit sides. A failure is a rejection (a
 * result stored with the order), not an exception.
 */
import type { InstrumentSpec } from './instruments.ts';
import { formatCash, formatFixed, formatPrice, formatQty, PRICE_DECIMALS, type Money, type Price, type Qty } from './money.ts';
import type { OrderType, Side } from './fill.ts';
import { decimalsOf } from './money.ts';

export type RejectCode =
  | 'instrument_inactive'
  | 'not_tradeable'
  | 'size_too_small'
  | 'size_too_large'
  | 'size_off_grid'
  | 'missing_price'
  | 'missing_stop_price'
  | 'price_off_tick'
  | 'bad_price'
  | 'leverage_too_high'
  | 'bad_leverage'
  | 'bad_stop_loss'
  | 'bad_take_profit'
  | 'insufficient_margin'
  | 'daily_loss_limit'
  | 'no_price'
  | 'account_inactive'
  | 'no_position'
  | 'risk_blocked';

/** The figures of an insufficient-margin rejection, in money units. */
export interface RejectFigures {
  /** What the order takes from the available margin: its margin, fees and the spread paid at once. */
  readonly required: Money;
  /** The margin available before it. */
  readonly available: Money;
}

export interface Rejection {
  readonly code: RejectCode;
  readonly reason: string;
  readonly figures?: RejectFigures;
}

/**
 * The rejection of an order that needs more margin than is available. `required` is what the
 * fill takes from the available margin (so it is refused exactly when required > available);
 * `margin` and `fees` are the order's own parts of it, for the reason.
 */
export function insufficientMargin(
  required: Money,
  available: Money,
  margin: Money,
  fees: Money,
  when = '',
): Rejection & { readonly figures: RejectFigures } {
  return {
    code: 'insufficient_margin',
    reason: `insufficient margin${when}: needs ${formatCash(required)} (margin ${formatCash(margin)}, fees ${formatCash(fees)} and the spread); only ${formatCash(available)} is available`,
    figures: { required, available },
  };
}

export interface OrderRequest {
  readonly side: Side;
  readonly type: OrderType;
  readonly size: Qty;
  readonly price: Price | null;
  readonly stopPrice: Price | null;
  readonly leverage: number;
  readonly stopLoss: Price | null;
  readonly takeProfit: Price | null;
}

const reject = (code: RejectCode, reason: string): Rejection => ({ code, reason });

/** A price level of an order (limit, stop, SL, TP): positive and on the tick grid. */
function checkLevel(name: string, p: Price | null, inst: InstrumentSpec): Rejection | null {
  if (p === null) return null;
  if (p <= 0) return reject('bad_price', `${name} must be positive`);
  if (p % inst.tickSize !== 0) {
    return reject(
      'price_off_tick',
      `${name} ${formatFixed(p, PRICE_DECIMALS, { trim: true })} is not on the tick grid of ${inst.symbol} (tick ${formatPrice(inst.tickSize, decimalsOf(inst.tickSize, PRICE_DECIMALS))})`,
    );
  }
  return null;
}

/** Static checks (no account state). `reference` is the current mid, for SL/TP sides. */
export function checkOrder(o: OrderRequest, inst: InstrumentSpec, maxLeverage: number, reference: Price | null): Rejection | null {
  if (!inst.isActive) return reject('instrument_inactive', `${inst.symbol} is not active`);
  if (!inst.isTradeable) return reject('not_tradeable', `${inst.symbol} is not tradeable`);
  if (o.size < inst.minSize)
    return reject('size_too_small', `size ${formatQty(o.size)} is below the minimum ${formatQty(inst.minSize)} for ${inst.symbol}`);
  if (o.size > inst.maxSize)
    return reject('size_too_large', `size ${formatQty(o.size)} is above the maximum ${formatQty(inst.maxSize)} for ${inst.symbol}`);
  if (o.size % inst.minSize !== 0)
    return reject(
      'size_off_grid',
      `size ${formatQty(o.size)} is not a multiple of the lot step ${formatQty(inst.minSize)} for ${inst.symbol}`,
    );
  if ((o.type === 'limit' || o.type === 'stop_limit') && o.price === null)
    return reject('missing_price', `a ${o.type.replace('_', '-')} order needs --price`);
  if ((o.type === 'stop' || o.type === 'stop_limit') && o.stopPrice === null)
    return reject('missing_stop_price', `a ${o.type.replace('_', '-')} order needs --stop`);
  const badLevel =
    checkLevel('price', o.price, inst) ??
    checkLevel('stop price', o.stopPrice, inst) ??
    checkLevel('stop-loss', o.stopLoss, inst) ??
    checkLevel('take-profit', o.takeProfit, inst);
  if (badLevel) return badLevel;
  if (!(o.leverage >= 1) || !Number.isFinite(o.leverage)) return reject('bad_leverage', `leverage must be at least 1`);
  if (o.leverage > maxLeverage)
    return reject('leverage_too_high', `leverage ${o.leverage}x is over the account's maximum of ${maxLeverage}x`);
  const entry = o.price ?? o.stopPrice ?? reference;
  if (entry !== null && (o.stopLoss !== null || o.takeProfit !== null)) {
    const px = (p: number) => formatPrice(p, decimalsOf(inst.tickSize, PRICE_DECIMALS));
    const long = o.side === 'buy';
    if (o.stopLoss !== null && (long ? o.stopLoss >= entry : o.stopLoss <= entry)) {
      return reject(
        'bad_stop_loss',
        `stop-loss ${px(o.stopLoss)} must be ${long ? 'below' : 'above'} the entry (~${px(entry)}) for a ${o.side}`,
      );
    }
    if (o.takeProfit !== null && (long ? o.takeProfit <= entry : o.takeProfit >= entry)) {
      return reject(
        'bad_take_profit',
        `take-profit ${px(o.takeProfit)} must be ${long ? 'above' : 'below'} the entry (~${px(entry)}) for a ${o.side}`,
      );
    }
  }
  return null;
}

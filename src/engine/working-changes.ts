/**
 * What moves a working order or an open position besides a fill (issue 15): a trailing stop
 * following the market, an amendment of a resting order, new exits on a position. These
 * functions check and change the objects; the engine records the change through its sink.
 */
import type { Bar } from '../core/fill.ts';
import { formatQty, type Price, type Qty } from '../core/money.ts';
import { checkOrder, type Rejection } from '../core/orders.ts';
import { nextAnchor, tighter, trailLevel, type Trail } from '../core/trail.ts';
import { markOf } from './accounting.ts';
import type { EngineInstrument, EngineOrder, EnginePosition } from './state.ts';

/** What an amendment may change on a working order. */
export interface OrderAmendment {
  readonly price?: Price;
  readonly stopPrice?: Price;
  readonly size?: Qty;
}

/** What may change on an open position's exits (null clears). */
export interface ExitChange {
  readonly stopLoss?: Price | null;
  readonly takeProfit?: Price | null;
  readonly trail?: Trail | null;
}

/** Make `order` a trailing stop: anchored at the mark, its stop at the trailing distance. */
export function startOrderTrail(order: EngineOrder, trail: Trail, mark: Price, tick: Price): void {
  order.trail = trail;
  order.trailAnchor = mark;
  order.stopPrice = trailLevel(trail, mark, order.side === 'sell', tick);
}

/** A working trailing stop order follows the bar's best mid (after the bar was matched); true when it moved. */
export function followOrderTrail(order: EngineOrder, bar: Bar, tick: Price): boolean {
  const sell = order.side === 'sell';
  const anchor = nextAnchor(order.trailAnchor as Price, bar, sell);
  if (anchor === order.trailAnchor) return false;
  order.trailAnchor = anchor;
  const level = trailLevel(order.trail as Trail, anchor, sell, tick);
  if (tighter(level, order.stopPrice, sell)) order.stopPrice = level;
  return true;
}

/** Put a trailing stop-loss on a position, anchored at `anchor`; a tighter fixed stop-loss stays. */
export function setPositionTrail(pos: EnginePosition, trail: Trail | null, anchor: Price, tick: Price): void {
  const sell = pos.size > 0;
  pos.trail = trail;
  pos.trailAnchor = trail === null ? null : anchor;
  if (trail === null) return;
  const level = trailLevel(trail, anchor, sell, tick);
  if (tighter(level, pos.stopLoss, sell)) pos.stopLoss = level;
}

/** A position's trailing stop-loss follows the bar's best mid (after the bar was checked against it); true when it moved. */
export function followPositionTrail(pos: EnginePosition, bar: Bar, tick: Price): boolean {
  const sell = pos.size > 0;
  const anchor = nextAnchor(pos.trailAnchor as Price, bar, sell);
  if (anchor === pos.trailAnchor) return false;
  pos.trailAnchor = anchor;
  const level = trailLevel(pos.trail as Trail, anchor, sell, tick);
  if (tighter(level, pos.stopLoss, sell)) pos.stopLoss = level;
  return true;
}

/**
 * Apply an amendment to a working order if the order rules accept it (the same checks as a new
 * order on what is left to fill; a partly filled order cannot shrink below its fills).
 */
export function amendWorkingOrder(
  order: EngineOrder,
  change: OrderAmendment,
  inst: EngineInstrument,
  maxLeverage: number,
): Rejection | null {
  const what = order.type.replace('_', '-');
  if (order.status !== 'pending' && order.status !== 'partial')
    return { code: 'bad_price', reason: `the order is ${order.status}; only working orders can be amended` };
  if (change.price !== undefined && order.type !== 'limit' && order.type !== 'stop_limit')
    return { code: 'bad_price', reason: `a ${what} order has no limit price` };
  if (change.stopPrice !== undefined && order.type !== 'stop' && order.type !== 'stop_limit')
    return { code: 'bad_price', reason: `a ${what} order has no stop price` };
  if (change.stopPrice !== undefined && order.trail !== null)
    return { code: 'bad_price', reason: 'a trailing stop moves by itself; cancel it and place a new one' };
  if (change.stopPrice !== undefined && order.type === 'stop_limit' && order.triggeredAt !== null)
    return { code: 'bad_price', reason: 'the stop has already triggered' };
  const next = { ...order, ...change };
  const rejection = checkOrder({ ...next, size: (next.size - order.filledSize) as Qty }, inst.spec, maxLeverage, markOf(inst));
  if (rejection) return rejection;
  if (next.size <= order.filledSize)
    return { code: 'size_too_small', reason: `the order has already filled ${formatQty(order.filledSize)}; the new size must be larger` };
  order.price = next.price;
  order.stopPrice = next.stopPrice;
  order.size = next.size;
  return null;
}

/** Apply new exits to a position if their levels are on the loss / profit side of the mark. */
export function changeExits(pos: EnginePosition, change: ExitChange, inst: EngineInstrument): Rejection | null {
  const mark = markOf(inst);
  if (mark === null) return { code: 'no_price', reason: `${inst.spec.symbol} has no price at the clock` };
  const long = pos.size > 0;
  const check = checkOrder(
    {
      side: long ? 'buy' : 'sell',
      type: 'market',
      size: inst.spec.minSize,
      price: null,
      stopPrice: null,
      leverage: 1,
      stopLoss: change.stopLoss ?? null,
      takeProfit: change.takeProfit ?? null,
    },
    inst.spec,
    Infinity,
    mark,
  );
  if (check)
    return {
      code: check.code,
      reason: check.reason.replace('the entry', 'the mark').replace(/for a (buy|sell)$/, `for a ${long ? 'long' : 'short'} position`),
    };
  if (change.stopLoss !== undefined) pos.stopLoss = change.stopLoss;
  if (change.takeProfit !== undefined) pos.takeProfit = change.takeProfit;
  if (change.trail !== undefined) setPositionTrail(pos, change.trail, mark, inst.params.tick);
  return null;
}

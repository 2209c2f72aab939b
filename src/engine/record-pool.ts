/**
 * Reusing order and position records (opt-in: `EngineState.pool`). A backtest makes tens of
 * thousands of orders and positions whose records its sink reads during the engine's calls and
 * keeps none of (it copies the numbers it needs), so with a pool the engine rewrites an ended
 * record for the next one instead of leaving it to the garbage collector. The fill path is the
 * same with and without a pool: only where a record comes from differs.
 *
 * What goes back, and when:
 * - an order placed by `placeOrder` that ends while the engine steps (filled in full, or
 *   rejected or canceled at its fill), once it has left the working orders and the sink has
 *   seen its last update. Orders ended by the caller's own calls (placeOrder's immediate
 *   fills and rejections, cancelOrder) and the engine's closing orders are never reused.
 * - a position, once closed (after `positionClosed`).
 * A caller that opts in must not keep such a record past the engine call that ended it.
 */
import type { Money, Price, Qty } from '../core/money.ts';
import type { EngineAccount, EngineInstrument, EngineOrder, EnginePosition, RecordPool } from './state.ts';

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** A new, empty pool. */
export function recordPool(): RecordPool {
  return { orders: [], positions: [] };
}

/** A spare order record to rewrite, or undefined (no pool, or none spare). */
export function spareOrder(pool: RecordPool | null): Writable<EngineOrder> | undefined {
  return pool === null ? undefined : pool.orders.pop();
}

/** Put back an order the engine has ended while stepping. */
export function releaseOrder(pool: RecordPool | null, o: EngineOrder): void {
  // a refusal's figures are a field only refused orders have: such a record is left alone
  if (pool !== null && o.rejectFigures === undefined) pool.orders.push(o);
}

/** Put back a closed position. */
export function releasePosition(pool: RecordPool | null, p: EnginePosition): void {
  if (pool !== null) pool.positions.push(p);
}

/** The fields of a position being opened (commitTrade). */
export interface NewPosition {
  readonly size: Qty;
  readonly entryPrice: Price;
  readonly leverage: number;
  readonly marginUsed: Money;
}

/** A position opened at `time`: a spare record rewritten, or a new one. */
export function openedPosition(
  pool: RecordPool | null,
  id: string,
  acct: EngineAccount,
  inst: EngineInstrument,
  after: NewPosition,
  stopLoss: Price | null,
  takeProfit: Price | null,
  botId: string | null,
  time: number,
): EnginePosition {
  const p: Writable<EnginePosition> | undefined = pool === null ? undefined : pool.positions.pop();
  if (p === undefined)
    return {
      id,
      accountId: acct.id,
      instrumentId: inst.id,
      size: after.size,
      entryPrice: after.entryPrice,
      leverage: after.leverage,
      marginUsed: after.marginUsed,
      stopLoss,
      takeProfit,
      realizedPnl: 0 as Money,
      fundingPaid: 0 as Money,
      lastFundingAt: null,
      botId,
      openedAt: time,
      updatedAt: time,
      closedAt: null,
      trail: null,
      trailAnchor: null,
    };
  p.id = id;
  p.accountId = acct.id;
  p.instrumentId = inst.id;
  p.size = after.size;
  p.entryPrice = after.entryPrice;
  p.leverage = after.leverage;
  p.marginUsed = after.marginUsed;
  p.stopLoss = stopLoss;
  p.takeProfit = takeProfit;
  p.realizedPnl = 0 as Money;
  p.fundingPaid = 0 as Money;
  p.lastFundingAt = null;
  p.botId = botId;
  p.openedAt = time;
  p.updatedAt = time;
  p.closedAt = null;
  p.trail = null;
  p.trailAnchor = null;
  return p;
}

/** Placing an order: its input, the new order record, and the checks that reject it before any margin check. */
import type { OrderType, Side } from '../core/fill.ts';
import { formatCash, type Money, type Price, type Qty } from '../core/money.ts';
import { checkOrder, type Rejection } from '../core/orders.ts';
import { staleness } from '../core/market-data.ts';
import type { Trail } from '../core/trail.ts';
import { bucketStart } from '../core/time.ts';
import { accountMarks, rollDay } from './accounting.ts';
import type { EngineAccount, EngineInstrument, EngineOrder, EngineState, FillSizing, OrderSource, ReasonSource } from './state.ts';

type Writable<T> = { -readonly [K in keyof T]: T[K] };

export interface PlaceOrderInput {
  readonly accountId: string;
  readonly instrumentId: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly size: Qty;
  readonly price?: Price | null;
  readonly stopPrice?: Price | null;
  /** Leverage for the position; default: the open position's, else 1. */
  readonly leverage?: number;
  readonly stopLoss?: Price | null;
  readonly takeProfit?: Price | null;
  readonly source?: OrderSource;
  readonly botId?: string | null;
  /**
   * Market orders: true fills now against the current quote (a person at the keyboard);
   * false leaves it working to fill at the next bar's open (decisions taken at a bar's close).
   */
  readonly fillNow?: boolean;
  /** Only reduce the position (close); never opens or flips. Cut at the fill to what is left. */
  readonly reduceOnly?: boolean;
  /** Market orders filling at the next open: resolve the size there (fill-sizing.ts). */
  readonly sizeAtFill?: FillSizing | null;
  /** Why the order was placed, kept with it. */
  readonly reason?: string | null;
  /** Or the reason kept unformatted: entry `reasonAt` of `reasonLog` (reason-log.ts). */
  readonly reasonLog?: ReasonSource | null;
  readonly reasonAt?: number;
  /** A trailing stop order (type `stop`): its stop follows the best mid since placement at this distance. */
  readonly trail?: Trail | null;
  /** A trailing stop-loss for the position this order opens or adds to (replaces a fixed `stopLoss` as it tightens). */
  readonly slTrail?: Trail | null;
}

/** Why the instrument's price is stale at `clock` (paper trading), or null. */
function stalePrice(inst: EngineInstrument, clock: number): string | null {
  const tf = inst.priceTimeframe;
  return tf ? (staleness(bucketStart(inst.barTime, tf), tf, clock)?.text ?? null) : null;
}

/**
 * The pending order record `input` asks for, placed at `time`: a new record, or `spare` (a
 * pooled record, record-pool.ts) rewritten field by field to the same values.
 */
export function newOrder(
  input: PlaceOrderInput,
  acct: EngineAccount,
  inst: EngineInstrument,
  id: string,
  time: number,
  spare?: Writable<EngineOrder>,
): EngineOrder {
  // Without an explicit leverage, adding to a position keeps its leverage; a new one is 1x.
  const leverage = input.leverage ?? acct.positions.get(inst.id)?.leverage ?? 1;
  if (spare === undefined)
    return {
      id,
      accountId: acct.id,
      instrumentId: inst.id,
      side: input.side,
      type: input.type,
      size: input.size,
      price: input.price ?? null,
      stopPrice: input.stopPrice ?? null,
      leverage,
      stopLoss: input.stopLoss ?? null,
      takeProfit: input.takeProfit ?? null,
      source: input.source ?? 'manual',
      botId: input.botId ?? null,
      createdAt: time,
      status: 'pending',
      triggeredAt: null,
      filledSize: 0 as Qty,
      fillPrice: null,
      slippage: 0 as Price,
      commission: 0 as Money,
      marginRequired: 0 as Money,
      filledAt: null,
      canceledAt: null,
      rejectCode: null,
      rejectReason: null,
      reduceOnly: input.reduceOnly ?? false,
      sizeAtFill: input.sizeAtFill ?? null,
      requestedSize: null,
      reason: input.reason ?? null,
      reasonLog: input.reasonLog ?? null,
      reasonAt: input.reasonAt ?? -1,
      trail: null,
      trailAnchor: null,
      slTrail: input.slTrail ?? null,
    };
  const o = spare;
  o.id = id;
  o.accountId = acct.id;
  o.instrumentId = inst.id;
  o.side = input.side;
  o.type = input.type;
  o.size = input.size;
  o.price = input.price ?? null;
  o.stopPrice = input.stopPrice ?? null;
  o.leverage = leverage;
  o.stopLoss = input.stopLoss ?? null;
  o.takeProfit = input.takeProfit ?? null;
  o.source = input.source ?? 'manual';
  o.botId = input.botId ?? null;
  o.createdAt = time;
  o.status = 'pending';
  o.triggeredAt = null;
  o.filledSize = 0 as Qty;
  o.fillPrice = null;
  o.slippage = 0 as Price;
  o.commission = 0 as Money;
  o.marginRequired = 0 as Money;
  o.filledAt = null;
  o.canceledAt = null;
  o.rejectCode = null;
  o.rejectReason = null;
  o.reduceOnly = input.reduceOnly ?? false;
  o.sizeAtFill = input.sizeAtFill ?? null;
  o.requestedSize = null;
  o.reason = input.reason ?? null;
  o.reasonLog = input.reasonLog ?? null;
  o.reasonAt = input.reasonAt ?? -1;
  o.trail = null;
  o.trailAnchor = null;
  o.slTrail = input.slTrail ?? null;
  return o;
}

/**
 * Why a new order is rejected before its margin is checked (inactive account, no or stale price,
 * the order's own checks, nothing to reduce, the daily loss limit), or null.
 */
export function placementRejection(
  state: EngineState,
  acct: EngineAccount,
  inst: EngineInstrument,
  order: EngineOrder,
  input: PlaceOrderInput,
  mark: Price | null,
  time: number,
): Rejection | null {
  const rejection = !acct.isActive
    ? { code: 'account_inactive' as const, reason: 'the account is not active' }
    : mark === null
      ? { code: 'no_price' as const, reason: `${inst.spec.symbol} has no price at the clock` }
      : inst.priceTimeframe && (order.source === 'manual' || order.source === 'close') && stalePrice(inst, time)
        ? { code: 'no_price' as const, reason: `${inst.spec.symbol}: ${stalePrice(inst, time)}` }
        : checkOrder(order, inst.spec, acct.maxLeverage, mark);
  if (rejection) return rejection;
  const signed = (order.side === 'buy' ? order.size : -order.size) as Qty;
  const pos = acct.positions.get(inst.id);
  if (input.reduceOnly && (!pos || Math.sign(pos.size) === Math.sign(signed) || Math.abs(signed) > Math.abs(pos.size))) {
    return {
      code: 'no_position',
      reason: `no ${order.side === 'buy' ? 'short' : 'long'} position of that size to reduce on ${inst.spec.symbol}`,
    };
  }
  const addsRisk = !pos || Math.sign(pos.size) === Math.sign(signed) || Math.abs(signed) > Math.abs(pos.size);
  if (addsRisk && acct.maxDailyLoss !== null) {
    rollDay(acct, time);
    const today = acct.dayPnl + accountMarks(state, acct).unrealized;
    if (today <= -acct.maxDailyLoss)
      return {
        code: 'daily_loss_limit',
        reason: `today's loss ${formatCash(-today)} has reached the account's max daily loss ${formatCash(acct.maxDailyLoss)}; only closing is allowed until the next UTC day`,
      };
  }
  return null;
}

/** Filling an order: the trade it makes, its fill (or rejection at the fill), and the engine's own closing orders. */
import type { Fill } from '../core/fill.ts';
import { addMoney, averagePrice, priceFromFloat, type Money, type Price, type Qty } from '../core/money.ts';
import { insufficientMargin } from '../core/orders.ts';
import { setPositionTrail } from './working-changes.ts';
import { commitTrade, ownMargin, previewTrade, type TradeInput, type TradePreview } from './accounting.ts';
import type { EngineAccount, EngineInstrument, EngineOrder, EnginePosition, EngineSink, EngineState, OrderSource } from './state.ts';

/**
 * THE trade input record: `tradeInput` rewrites it and returns it, so a fill allocates none. It
 * is read by the preview and the commit of the fill it was made for, before the next fill
 * asks for it (the engine is synchronous); nothing keeps it.
 */
let input: { -readonly [K in keyof TradeInput]: TradeInput[K] } | null = null;

/** The trade `qty` (default: the order's size) of `order` makes at `fill`, at the clock (valid until the next call). */
export function tradeInput(
  clock: number,
  acct: EngineAccount,
  inst: EngineInstrument,
  order: EngineOrder,
  fill: Fill,
  qty: Qty = order.size,
  mark?: Price,
): TradeInput {
  const signedSize = (order.side === 'buy' ? qty : -qty) as Qty;
  const pnlType = order.source === 'liquidation' ? 'liquidation' : 'trade_pnl';
  const t = input;
  if (t === null) {
    input = {
      acct,
      inst,
      fill,
      signedSize,
      leverage: order.leverage,
      orderId: order.id,
      botId: order.botId,
      time: clock,
      stopLoss: order.stopLoss,
      takeProfit: order.takeProfit,
      pnlType,
      mark,
    };
    return input;
  }
  t.acct = acct;
  t.inst = inst;
  t.fill = fill;
  t.signedSize = signedSize;
  t.leverage = order.leverage;
  t.orderId = order.id;
  t.botId = order.botId;
  t.time = clock;
  t.stopLoss = order.stopLoss;
  t.takeProfit = order.takeProfit;
  t.pnlType = pnlType;
  t.mark = mark;
  return t;
}

/**
 * Fill `qty` (default: all that is left) of an order of `acct` on `inst`, or reject it at fill; a
 * new order is recorded once, already in its final state. A partial fill leaves it `partial`, with
 * the size-weighted average fill price and slippage and the fees summed.
 */
export function fillOrder(
  state: EngineState,
  sink: EngineSink,
  newId: () => string,
  acct: EngineAccount,
  inst: EngineInstrument,
  order: EngineOrder,
  fill: Fill,
  time: number,
  isNew = false,
  known?: TradePreview,
  qty = (order.size - order.filledSize) as Qty,
): void {
  // a market order filling at the bar's open is marked there for the margin check (not at its close)
  const t = tradeInput(
    state.clock,
    acct,
    inst,
    order,
    fill,
    qty,
    !isNew && order.type === 'market' && inst.bar ? priceFromFloat(inst.bar.open) : undefined,
  );
  const pv = known ?? previewTrade(state, t);
  if (pv.addsExposure && pv.availableAfter < 0) {
    // Nothing of it filled: rejected. Partly filled: the filled part stays, the rest is canceled.
    const r = insufficientMargin(
      (pv.availableBefore - pv.availableAfter) as Money,
      pv.availableBefore,
      ownMargin(t, pv),
      pv.commission,
      ` at the fill${order.filledSize > 0 ? ' (rest canceled)' : ''}`,
    );
    order.status = order.filledSize > 0 ? 'canceled' : 'rejected';
    order.rejectCode = r.code;
    order.rejectReason = r.reason;
    order.rejectFigures = r.figures;
    order.canceledAt = time;
    if (isNew) sink.orderCreated(order);
    else sink.orderUpdated(order);
    return;
  }
  const before = order.filledSize;
  order.fillPrice = before === 0 ? fill.price : averagePrice(before, order.fillPrice as Price, qty, fill.price);
  order.slippage = before === 0 ? fill.slippage : averagePrice(before, order.slippage, qty, fill.slippage);
  order.commission = addMoney(order.commission, pv.commission);
  order.filledSize = (before + qty) as Qty;
  order.status = order.filledSize < order.size ? 'partial' : 'filled';
  // the order's own margin (summed over its fills), not the position's after it
  order.marginRequired = before === 0 ? ownMargin(t, pv) : addMoney(order.marginRequired, ownMargin(t, pv));
  order.filledAt = time;
  if (isNew) sink.orderCreated(order);
  else sink.orderUpdated(order); // before the journals, which refer to the order
  const pos = commitTrade(sink, t, pv, newId, state.pool);
  if (order.slTrail !== null && pos !== null && pv.addsExposure) {
    setPositionTrail(pos, order.slTrail, fill.price, inst.params.tick); // anchored at the entry fill
    pos.updatedAt = time;
    sink.positionUpdated(pos);
  }
}

/** The engine-generated market order (limit at a take-profit) closing `size` of `pos`, not yet filled. */
export function closingOrder(
  id: string,
  acct: EngineAccount,
  inst: EngineInstrument,
  pos: EnginePosition,
  size: Qty,
  source: OrderSource,
  time: number,
  note: string | null,
): EngineOrder {
  return {
    id,
    accountId: acct.id,
    instrumentId: inst.id,
    side: pos.size > 0 ? 'sell' : 'buy',
    type: source === 'take_profit' ? 'limit' : 'market',
    size,
    price: source === 'take_profit' ? pos.takeProfit : null,
    stopPrice: source === 'stop_loss' ? pos.stopLoss : null,
    leverage: pos.leverage,
    stopLoss: null,
    takeProfit: null,
    source,
    botId: pos.botId,
    createdAt: time,
    status: 'pending',
    triggeredAt: source === 'stop_loss' ? time : null,
    filledSize: 0 as Qty,
    fillPrice: null,
    slippage: 0 as Price,
    commission: 0 as Money,
    marginRequired: 0 as Money,
    filledAt: null,
    canceledAt: null,
    rejectCode: null,
    rejectReason: note,
    trail: null,
    trailAnchor: null,
    slTrail: null,
  };
}

/**
 * The one engine. Paper orders, bots and backtests all call `placeOrder` and `step`; only the
 * state's origin (SQLite or memory) and the sink differ.
 *
 * `step(instrument, bar, time)` processes one 1m bar, in this order: working orders (in creation
 * order), then for each account holding the instrument: its stop-loss/take-profit, its funding
 * (at each 8-hour UTC boundary: 00:00, 08:00, 16:00) and its liquidation check. The caller feeds
 * bars in time order across instruments.
 */
import {
  emptyFill,
  fillMarket,
  fillMarketInto,
  matchExit,
  matchOrder,
  participationCap,
  quoteBar,
  type Bar,
  type Fill,
} from '../core/fill.ts';
import { formatCash, pnl, type Money, type Price, type Qty } from '../core/money.ts';
import { insufficientMargin, type RejectCode, type RejectFigures, type Rejection } from '../core/orders.ts';
import {
  amendWorkingOrder,
  changeExits,
  followOrderTrail,
  followPositionTrail,
  startOrderTrail,
  type ExitChange,
  type OrderAmendment,
} from './working-changes.ts';
import { accountMarks, markOf, ownMargin, post, previewTrade } from './accounting.ts';
import { sizeAtFill, type FillProblem } from './fill-sizing.ts';
import { chargeFunding, nextFunding } from './funding.ts';
import { closingOrder, fillOrder, tradeInput } from './order-fill.ts';
import { newOrder, placementRejection, type PlaceOrderInput } from './order-placement.ts';
import { releaseOrder, spareOrder } from './record-pool.ts';
import { maybeBelowMaintenance, orderBandOf, quietBandOf, type OrderBand, type QuietBand } from './quiet-band.ts';
import type { EngineAccount, EngineInstrument, EngineOrder, EnginePosition, EngineSink, EngineState, OrderSource } from './state.ts';

export { FUNDING_INTERVAL_MS } from './funding.ts';

export type { ExitChange, OrderAmendment } from './working-changes.ts';

export type { QuietBand } from './quiet-band.ts';

export class Engine {
  /** processOrders' snapshot of the working orders (reused: no array per step). */
  private readonly working: Array<EngineOrder | null> = [];
  /**
   * Per instrument, the bars on which none of its working orders can act (quiet-band.ts), so a
   * step inside it skips processOrders; dropped whenever the engine changes a working order.
   */
  private readonly orderBands = new Map<EngineInstrument, OrderBand & { version: number }>();
  /** Bumped whenever the engine changes a working order (the bands computed before no longer hold). */
  private ordersVersion = 0;
  /** The fill of a working market order, rewritten for each (processOrder). */
  private readonly marketFill = emptyFill();

  constructor(
    readonly state: EngineState,
    private readonly sink: EngineSink,
    private readonly newId: () => string,
  ) {}

  account(id: string): EngineAccount {
    const a = this.state.accounts.get(id);
    if (!a) throw new Error(`engine: unknown account ${id}`);
    return a;
  }

  instrument(id: string): EngineInstrument {
    const i = this.state.instruments.get(id);
    if (!i) throw new Error(`engine: unknown instrument ${id}`);
    return i;
  }

  placeOrder(input: PlaceOrderInput): EngineOrder {
    const time = this.state.clock;
    const acct = this.account(input.accountId);
    const inst = this.instrument(input.instrumentId);
    const order = newOrder(input, acct, inst, this.newId(), time, spareOrder(this.state.pool));
    const mark = markOf(inst);
    if (input.trail && mark !== null) startOrderTrail(order, input.trail, mark, inst.params.tick);
    const rejection = placementRejection(this.state, acct, inst, order, input, mark, time);
    if (rejection) return this.rejectNew(order, rejection.code, rejection.reason);
    if (order.type === 'market' && !input.fillNow) {
      // A decision taken at a candle's close fills at the next open: its margin is checked
      // there, against the price it actually gets.
      this.sink.orderCreated(order);
      this.addWorking(order);
      return order;
    }
    // Margin estimate at the price the order would fill at now (limit/stop: its own level).
    const bar = inst.bar as Bar;
    const estimate: Fill =
      order.type === 'market' || (order.price === null && order.stopPrice === null)
        ? fillMarket(order.side, order.size, quoteBar(bar.close, bar.volume), inst.params)
        : { price: (order.price ?? order.stopPrice) as Price, slippage: 0 as Price, liquidity: 'taker' };
    const t = tradeInput(this.state.clock, acct, inst, order, estimate);
    const pv = previewTrade(this.state, t);
    order.marginRequired = ownMargin(t, pv);
    if (pv.addsExposure && pv.availableAfter < 0) {
      const r = insufficientMargin(
        (pv.availableBefore - pv.availableAfter) as Money,
        pv.availableBefore,
        order.marginRequired,
        pv.commission,
      );
      return this.rejectNew(order, r.code, r.reason, r.figures);
    }
    if (order.type === 'market') {
      const qty = participationCap(order.size, bar.volume, inst.params);
      if (qty === order.size) fillOrder(this.state, this.sink, this.newId, acct, inst, order, estimate, time, true, pv);
      else this.fillNowPartly(order, qty, bar, time);
    } else {
      this.sink.orderCreated(order);
      this.addWorking(order);
    }
    return order;
  }

  cancelOrder(order: EngineOrder, reason = 'canceled'): void {
    // A partly filled order keeps its filled part: only the rest is canceled.
    if (order.status !== 'pending' && order.status !== 'partial') throw new Error(`engine: order ${order.id} is ${order.status}`);
    order.status = 'canceled';
    order.canceledAt = this.state.clock;
    order.rejectReason = reason === 'canceled' ? null : reason;
    this.removeWorking(order);
    this.sink.orderUpdated(order);
  }

  /** Process one 1m bar of one instrument at `time` (the bar's timestamp). */
  step(instrumentId: string, bar: Bar, time: number): void {
    this.stepInstrument(this.instrument(instrumentId), bar, time);
  }

  /** `step` for a caller that already holds the instrument (the backtest loop). */
  stepInstrument(inst: EngineInstrument, bar: Bar, time: number): void {
    if (Number.isNaN(inst.nextFundingAt)) inst.nextFundingAt = nextFunding(inst.bar ? inst.barTime : time - 60_000);
    inst.bar = bar;
    inst.barTime = time;
    if (time > this.state.clock) this.state.clock = time;
    if (this.state.orders.length > 0 && !this.ordersQuiet(inst, bar)) {
      this.processOrders(inst, bar, time);
    }
    // A funding boundary (00:00, 08:00, 16:00 UTC) was crossed since the previous bar.
    const fundingDue = time >= inst.nextFundingAt;
    if (fundingDue) inst.nextFundingAt = nextFunding(time);
    const holders = inst.holders;
    if (holders.length === 0) return;
    // Accounts are independent, so each is taken through exits, funding and liquidation in turn.
    // Backwards: a position closed on the way leaves the entries still to visit in place.
    for (let h = holders.length - 1; h >= 0; h--) {
      const { acct, pos } = holders[h] as { acct: EngineAccount; pos: EnginePosition };
      if ((pos.stopLoss !== null || pos.takeProfit !== null) && pos.openedAt < time) {
        const size = Math.abs(pos.size) as Qty;
        const exit = matchExit(pos.size > 0, size, pos.stopLoss, pos.takeProfit, bar, inst.params);
        if (exit) {
          this.closeWith(acct, inst, pos, size, exit.kind, exit.fill, time);
          continue;
        }
        if (pos.trail !== null && followPositionTrail(pos, bar, inst.params.tick)) {
          pos.updatedAt = time;
          this.sink.positionUpdated(pos);
        }
      }
      if (fundingDue && inst.spec.fundingRate !== 0 && pos.openedAt < time) chargeFunding(this.sink, acct, pos, inst, time);
      if (maybeBelowMaintenance(this.state, acct, pos, inst)) {
        const m = accountMarks(this.state, acct);
        if (m.equity < m.maintenance) this.liquidate(acct, time, m.equity, m.maintenance);
      }
    }
  }

  /**
   * The quiet band of `inst` after its last step: no working order, no funding boundary, no
   * stop-loss/take-profit level and no account near its maintenance margin can be reached by a
   * bar inside it. Conservative (a bar outside may still do nothing). A caller feeding many bars
   * in a row (a backtest) may skip `step` for bars inside it and step the rest, with identical
   * results; it must step a bar before acting on the state (placing an order, reading marks).
   */
  quietBand(inst: EngineInstrument, out: QuietBand): QuietBand {
    return quietBandOf(this.state, inst, out);
  }

  /** No working order of `inst` can act on `bar` (its band was computed from the orders as they are). */
  private ordersQuiet(inst: EngineInstrument, bar: Bar): boolean {
    const orders = this.state.orders;
    let band = this.orderBands.get(inst);
    if (!band || band.version !== this.ordersVersion || band.count !== orders.length) {
      band ??= { lowAbove: Infinity, highBelow: -Infinity, count: 0, version: 0 };
      orderBandOf(orders, inst, band);
      band.version = this.ordersVersion;
      this.orderBands.set(inst, band);
    }
    return bar.low > band.lowAbove && bar.high < band.highBelow;
  }

  private processOrders(inst: EngineInstrument, bar: Bar, time: number): void {
    // Snapshot: fills may cancel orders (liquidation) while we iterate. Into a reused array
    // (processOrders never runs inside itself), so a step allocates nothing here.
    // Its slots are overwritten and cleared, never truncated: `length = 0` would drop the
    // backing store and the next step would allocate a new one.
    const working = this.working;
    const all = this.state.orders;
    const n = all.length;
    for (let k = 0; k < n; k++) working[k] = all[k] as EngineOrder;
    try {
      let changed = false;
      for (let k = 0; k < n; k++) changed = this.processOrder(working[k] as EngineOrder, inst, bar, time) || changed;
      if (changed) this.ordersVersion++; // a trigger or a trail moved: the bands no longer hold
    } finally {
      for (let k = 0; k < n; k++) working[k] = null;
    }
  }

  private processOrder(order: EngineOrder, inst: EngineInstrument, bar: Bar, time: number): boolean {
    // An order works from the bar after the one it was placed on: no look-ahead.
    if (order.instrumentId !== inst.id || (order.status !== 'pending' && order.status !== 'partial') || order.createdAt >= time)
      return false;
    // A decision's order is sized (or cut to the position) at its fill, once: a partly filled rest keeps its size.
    if (order.type === 'market' && (order.reduceOnly || order.sizeAtFill) && order.filledSize === 0) {
      const problem = sizeAtFill(this.state, this.account(order.accountId), inst, order, bar);
      if (problem) {
        this.removeWorking(order);
        this.endUnfilled(order, problem, time);
        releaseOrder(this.state.pool, order);
        return true;
      }
    }
    const remaining = (order.size - order.filledSize) as Qty;
    const qty = participationCap(remaining, bar.volume, inst.params);
    // The rest of a triggered stop works as a market order.
    const type = order.type === 'stop' && order.triggeredAt !== null ? 'market' : order.type;
    const size = qty > 0 ? qty : remaining;
    let fill: Fill;
    if (type === 'market') {
      // matchOrder's market case (a fill at the open, nothing triggered), without its records,
      // into the engine's one fill record (fillOrder reads it and keeps none of it)
      fill = fillMarketInto(this.marketFill, order.side, size, bar, inst.params);
    } else {
      const m = matchOrder(
        { side: order.side, type, size, price: order.price, stopPrice: order.stopPrice, triggered: order.triggeredAt !== null },
        bar,
        inst.params,
      );
      if (m.kind === 'none') {
        if (order.trail !== null && followOrderTrail(order, bar, inst.params.tick)) {
          this.sink.orderUpdated(order);
          return true;
        }
        return false;
      }
      if (m.kind === 'triggered' || m.triggered) {
        if (order.triggeredAt === null) {
          order.triggeredAt = time;
          if (m.kind === 'triggered' || qty === 0) this.sink.orderUpdated(order);
        }
        if (m.kind === 'triggered') return true;
      }
      fill = m.fill;
    }
    if (qty === 0) return true; // no share of this bar's volume: the order waits for the next
    if (qty === remaining) this.removeWorking(order);
    fillOrder(this.state, this.sink, this.newId, this.account(order.accountId), inst, order, fill, time, false, undefined, qty);
    if (order.status !== 'partial') {
      this.removeWorking(order);
      releaseOrder(this.state.pool, order);
    }
    return true;
  }

  /** Close (part of) a position with an engine-generated market order filled on `bar`. */
  private closeWith(
    acct: EngineAccount,
    inst: EngineInstrument,
    pos: EnginePosition,
    size: Qty,
    source: OrderSource,
    fill: Fill,
    time: number,
    note: string | null = null,
  ): EngineOrder {
    const order = closingOrder(this.newId(), acct, inst, pos, size, source, time, note);
    fillOrder(this.state, this.sink, this.newId, acct, inst, order, fill, time, true);
    return order;
  }

  private liquidate(acct: EngineAccount, time: number, equity: Money, maintenance: Money): void {
    for (const o of this.state.orders.slice()) {
      if (o.accountId === acct.id && (o.status === 'pending' || o.status === 'partial')) this.cancelOrder(o, 'canceled by liquidation');
    }
    for (const pos of [...acct.positions.values()]) {
      const inst = this.instrument(pos.instrumentId);
      const bar = inst.bar as Bar;
      const size = Math.abs(pos.size) as Qty;
      const fill = fillMarket(pos.size > 0 ? 'sell' : 'buy', size, quoteBar(bar.close, bar.volume), inst.params);
      this.closeWith(
        acct,
        inst,
        pos,
        size,
        'liquidation',
        fill,
        time,
        `liquidated: equity ${formatCash(equity)} below maintenance margin ${formatCash(maintenance)}`,
      );
    }
    // Negative balance protection: the house absorbs a deficit left by a gap.
    if (acct.balance < 0)
      post(this.sink, acct, 'adjustment', -acct.balance as Money, time, { description: 'negative balance protection after liquidation' });
  }

  /** A working order that cannot fill on this bar (fill-sizing.ts): rejected or canceled with its reason. */
  private endUnfilled(order: EngineOrder, p: FillProblem, time: number): void {
    order.status = p.status;
    order.rejectCode = p.code;
    order.rejectReason = p.reason;
    order.canceledAt = time;
    this.sink.orderUpdated(order);
  }

  private addWorking(order: EngineOrder): void {
    this.ordersVersion++;
    this.state.orders.push(order);
  }

  private removeWorking(order: EngineOrder): void {
    this.ordersVersion++;
    const orders = this.state.orders;
    const i = orders.indexOf(order);
    if (i < 0) return;
    // the later ones move down a place (splice would allocate an array of the removed order)
    for (let k = i + 1; k < orders.length; k++) orders[k - 1] = orders[k] as EngineOrder;
    orders.pop();
  }

  private rejectNew(order: EngineOrder, code: RejectCode, reason: string, figures?: RejectFigures): EngineOrder {
    order.status = 'rejected';
    order.rejectCode = code;
    order.rejectReason = reason;
    if (figures) order.rejectFigures = figures;
    order.canceledAt = this.state.clock;
    this.sink.orderCreated(order);
    return order;
  }

  // ---- partial fills, trailing stops and amendments (issue 15) ----

  /** A manual market order whose size passes the participation cap: fill what the quote allows, keep the rest working. */
  private fillNowPartly(order: EngineOrder, qty: Qty, bar: Bar, time: number): void {
    if (qty === 0) {
      this.sink.orderCreated(order);
      this.addWorking(order);
      return;
    }
    const inst = this.instrument(order.instrumentId);
    const fill = fillMarket(order.side, qty, quoteBar(bar.close, bar.volume), inst.params);
    fillOrder(this.state, this.sink, this.newId, this.account(order.accountId), inst, order, fill, time, true, undefined, qty);
    if (order.status === 'partial') this.addWorking(order);
  }

  /** Amend a working order's limit, stop or size (no journal: nothing is paid); the rejection, or null once applied. */
  amendOrder(order: EngineOrder, change: OrderAmendment): Rejection | null {
    this.ordersVersion++;
    const rejection = amendWorkingOrder(order, change, this.instrument(order.instrumentId), this.account(order.accountId).maxLeverage);
    if (!rejection) this.sink.orderUpdated(order);
    return rejection;
  }

  /** Change a position's stop-loss, take-profit or trailing stop (null clears); the rejection, or null once applied. */
  setExits(pos: EnginePosition, change: ExitChange): Rejection | null {
    const rejection = changeExits(pos, change, this.instrument(pos.instrumentId));
    if (rejection) return rejection;
    pos.updatedAt = this.state.clock;
    this.sink.positionUpdated(pos);
    return null;
  }

  /** Unrealised PnL of one position at the instrument's mark. */
  unrealizedOf(pos: EnginePosition): Money {
    const inst = this.instrument(pos.instrumentId);
    const mark = markOf(inst);
    return mark === null ? (0 as Money) : pnl(pos.size, pos.entryPrice, mark, inst.spec.contractSize);
  }
}

/**
 * Paper trading on SQLite: load the engine's state from the database and persist every engine
 * event as rows, inside the caller's write transaction. Times are epoch ms in the engine and
 * ISO-8601 text in the database.
 */
import { HOUSE_FOR, traderVsHouse, type EntryType, type HouseAccount } from '../core/ledger.ts';
import { priceFromFloat, type Money, type Ppm, type Price, type Qty } from '../core/money.ts';
import { DAY_MS, toIso } from '../core/time.ts';
import {
  emptyState,
  type EngineAccount,
  type EngineOrder,
  type FillSizing,
  type EnginePosition,
  type EngineSink,
  type EngineState,
  type OrderSource,
} from '../engine/state.ts';
import { PositionBook } from '../engine/position-book.ts';
import type { RejectCode } from '../core/orders.ts';
import type { Trail } from '../core/trail.ts';
import type { OrderType } from '../core/fill.ts';
import { closeMinute } from '../core/market-data.ts';
import { priceCandleAt } from '../store/market-data.ts';
import type { Store } from '../store/db.ts';
import { instrumentById, listInstruments, type Instrument } from '../store/instruments.ts';
import { houseAccountId, postJournal, tradingResultSince } from '../store/ledger.ts';
import { insertOrder, updateOrder, workingOrders } from '../store/orders-write.ts';
import {
  insertPosition,
  openPositions,
  traderAccountRows,
  updateAccountMarks,
  updatePosition,
  updatePositionMark,
} from '../store/positions.ts';
import type { AccountRow, OrderRow, PositionRow } from '../store/schema.ts';

const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));
const iso = (t: number | null): string | null => (t === null ? null : toIso(t));

/** A trailing distance from its two columns (absolute price distance, or ppm of the anchor). */
export const trailFromCols = (distance: number | null, ppm: number | null): Trail | null =>
  distance !== null ? { kind: 'distance', distance: distance as Price } : ppm !== null ? { kind: 'percent', ppm } : null;
/** [distance, ppm] columns of a trailing distance. */
export const trailCols = (t: Trail | null): [number | null, number | null] =>
  t === null ? [null, null] : t.kind === 'distance' ? [t.distance, null] : [null, t.ppm];

export function accountFromRow(r: AccountRow, dayPnl: Money, clock: number): EngineAccount {
  return {
    id: r.id,
    balance: r.balance as Money,
    maxLeverage: r.max_leverage,
    makerFee: r.maker_fee_ppm as Ppm,
    takerFee: r.taker_fee_ppm as Ppm,
    maxDailyLoss: r.max_daily_loss as Money | null,
    isActive: r.is_active === 1,
    positions: new PositionBook(),
    dayKey: Math.floor(clock / DAY_MS),
    dayPnl,
  };
}

export function positionFromRow(r: PositionRow): EnginePosition {
  return {
    id: r.id,
    accountId: r.account_id,
    instrumentId: r.instrument_id,
    size: ((r.side === 'long' ? 1 : -1) * r.size) as Qty,
    entryPrice: r.entry_price as Price,
    leverage: r.leverage,
    marginUsed: r.margin_used as Money,
    stopLoss: r.stop_loss as Price | null,
    takeProfit: r.take_profit as Price | null,
    realizedPnl: r.realized_pnl as Money,
    fundingPaid: r.funding_paid as Money,
    lastFundingAt: ms(r.last_funding_at),
    botId: r.bot_id,
    openedAt: Date.parse(r.opened_at),
    updatedAt: Date.parse(r.updated_at),
    closedAt: ms(r.closed_at),
    trail: trailFromCols(r.trail_distance, r.trail_ppm),
    trailAnchor: r.trail_anchor as Price | null,
  };
}

export function orderFromRow(r: OrderRow): EngineOrder {
  return {
    id: r.id,
    accountId: r.account_id,
    instrumentId: r.instrument_id,
    side: r.side,
    type: r.order_type as OrderType,
    size: r.size as Qty,
    price: r.price as Price | null,
    stopPrice: r.stop_price as Price | null,
    leverage: r.leverage,
    stopLoss: r.stop_loss as Price | null,
    takeProfit: r.take_profit as Price | null,
    source: r.source as OrderSource,
    botId: r.bot_id,
    createdAt: Date.parse(r.created_at),
    status: r.status as EngineOrder['status'],
    triggeredAt: ms(r.triggered_at),
    filledSize: r.filled_size as Qty,
    fillPrice: r.fill_price as Price | null,
    slippage: r.slippage as Price,
    commission: r.commission as Money,
    marginRequired: r.margin_required as Money,
    filledAt: ms(r.filled_at),
    canceledAt: ms(r.canceled_at),
    rejectCode: r.reject_code as RejectCode | null,
    rejectReason: r.reject_reason,
    reduceOnly: r.reduce_only === 1,
    sizeAtFill: r.size_at_fill ? (JSON.parse(r.size_at_fill) as FillSizing) : null,
    requestedSize: r.requested_size as Qty | null,
    reason: null,
    trail: trailFromCols(r.trail_distance, r.trail_ppm),
    trailAnchor: r.trail_anchor as Price | null,
    slTrail: trailFromCols(r.sl_trail_distance, r.sl_trail_ppm),
  };
}

/** Today's realised trading result (everything but deposits and withdrawals) of an account. */
function dayPnlOf(store: Store, accountId: string, clock: number): Money {
  const dayStart = toIso(Math.floor(clock / DAY_MS) * DAY_MS);
  return tradingResultSince(store, accountId, dayStart) as Money;
}

/**
 * Load what the engine needs at `clock`. With `accountIds`, only those accounts, their open
 * positions and working orders, and the instruments they touch (plus `instrumentIds`) are
 * loaded: a manual order reads a handful of rows. Without, everything (market advance).
 */
export function loadEngineState(
  store: Store,
  clock: number,
  scope: { accountIds?: readonly string[]; instrumentIds?: readonly string[] } = {},
): EngineState {
  const state = emptyState(clock);
  const ids = scope.accountIds;
  const accounts = ids?.length === 0 ? [] : traderAccountRows(store, ids);
  for (const r of accounts) state.accounts.set(r.id, accountFromRow(r, dayPnlOf(store, r.id, clock), clock));
  const positions = ids?.length === 0 ? [] : openPositions(store, ids);
  for (const r of positions) state.accounts.get(r.account_id)?.positions.set(r.instrument_id, positionFromRow(r));
  const orders = ids?.length === 0 ? [] : workingOrders(store, ids);
  for (const r of orders) state.orders.push(orderFromRow(r));

  const wanted = ids
    ? new Set([...(scope.instrumentIds ?? []), ...positions.map((p) => p.instrument_id), ...orders.map((o) => o.instrument_id)])
    : null;
  const instruments = wanted
    ? [...wanted].map((id) => instrumentById(store, id)).filter((i): i is Instrument => i !== undefined)
    : listInstruments(store);
  for (const inst of instruments) {
    // The price is the close of the latest candle complete at the clock (1m, or imported 1h/1d/...).
    const price = priceCandleAt(store, inst.id, clock);
    const last = price?.candle;
    state.instruments.set(inst.id, {
      id: inst.id,
      spec: inst,
      params: {
        spread: inst.baseSpread,
        tick: inst.tickSize,
        slippageFactor: inst.slippageFactor,
        minSize: inst.minSize,
        maxParticipation: inst.maxParticipation ?? 0,
      },
      bar: last ? { open: last.open, high: last.high, low: last.low, close: last.close, volume: last.volume } : null,
      barTime: price ? closeMinute(price.candle.timestamp, price.base) : 0,
      holders: [],
      nextFundingAt: NaN,
      ...(price ? { priceTimeframe: price.base } : {}),
    });
  }
  for (const acct of state.accounts.values()) {
    for (const pos of acct.positions.values()) state.instruments.get(pos.instrumentId)?.holders.push({ acct, pos });
  }
  return state;
}

/** Writes engine events as rows. Must be used inside a write transaction. */
export class DbSink implements EngineSink {
  private readonly houses = new Map<HouseAccount, string>();
  /** Ids of orders created through this sink (for reporting what happened). */
  readonly created: EngineOrder[] = [];
  readonly filled: EngineOrder[] = [];
  readonly journals: Array<{ accountId: string; type: EntryType; amount: Money; time: number; description: string }> = [];

  constructor(
    private readonly store: Store,
    private readonly nowIso: () => string,
  ) {}

  orderCreated(o: EngineOrder): void {
    this.created.push(o);
    if (o.status === 'filled' || o.status === 'partial') this.filled.push(o);
    const [trailDistance, trailPpm] = trailCols(o.trail);
    const [slTrailDistance, slTrailPpm] = trailCols(o.slTrail);
    insertOrder(this.store, {
      id: o.id,
      account_id: o.accountId,
      instrument_id: o.instrumentId,
      order_type: o.type,
      side: o.side,
      size: o.size,
      price: o.price,
      stop_price: o.stopPrice,
      status: o.status,
      filled_size: o.filledSize,
      fill_price: o.fillPrice,
      slippage: o.slippage,
      commission: o.commission,
      leverage: o.leverage,
      margin_required: o.marginRequired,
      stop_loss: o.stopLoss,
      take_profit: o.takeProfit,
      source: o.source,
      reject_reason: o.rejectReason,
      triggered_at: iso(o.triggeredAt),
      bot_id: o.botId,
      created_at: toIso(o.createdAt),
      filled_at: iso(o.filledAt),
      canceled_at: iso(o.canceledAt),
      updated_at: toIso(o.createdAt),
      trail_distance: trailDistance,
      trail_ppm: trailPpm,
      trail_anchor: o.trailAnchor,
      sl_trail_distance: slTrailDistance,
      sl_trail_ppm: slTrailPpm,
      reject_code: o.rejectCode,
    });
    if (o.reduceOnly || o.sizeAtFill) {
      updateOrder(this.store, o.id, {
        reduce_only: o.reduceOnly ? 1 : 0,
        size_at_fill: o.sizeAtFill ? JSON.stringify(o.sizeAtFill) : null,
      });
    }
  }

  orderUpdated(o: EngineOrder): void {
    if ((o.status === 'filled' || o.status === 'partial') && !this.filled.includes(o)) this.filled.push(o);
    updateOrder(this.store, o.id, {
      status: o.status,
      filled_size: o.filledSize,
      fill_price: o.fillPrice,
      slippage: o.slippage,
      commission: o.commission,
      margin_required: o.marginRequired,
      reject_reason: o.rejectReason,
      triggered_at: iso(o.triggeredAt),
      filled_at: iso(o.filledAt),
      canceled_at: iso(o.canceledAt),
      updated_at: toIso(o.filledAt ?? o.canceledAt ?? o.triggeredAt ?? o.createdAt),
      size: o.size,
      price: o.price,
      stop_price: o.stopPrice,
      trail_anchor: o.trailAnchor,
      reject_code: o.rejectCode,
      // sized (or cut to the position) at the fill: the one wanted when margin cut it (the size itself is written above)
      ...(o.reduceOnly || o.sizeAtFill ? { requested_size: o.requestedSize ?? null } : {}),
    });
  }

  positionOpened(p: EnginePosition): void {
    const [trailDistance, trailPpm] = trailCols(p.trail);
    insertPosition(this.store, {
      id: p.id,
      account_id: p.accountId,
      instrument_id: p.instrumentId,
      side: p.size > 0 ? 'long' : 'short',
      size: Math.abs(p.size),
      entry_price: p.entryPrice,
      current_price: p.entryPrice,
      unrealized_pnl: 0,
      realized_pnl: p.realizedPnl,
      leverage: p.leverage,
      margin_used: p.marginUsed,
      stop_loss: p.stopLoss,
      take_profit: p.takeProfit,
      funding_paid: p.fundingPaid,
      last_funding_at: iso(p.lastFundingAt),
      is_open: 1,
      bot_id: p.botId,
      opened_at: toIso(p.openedAt),
      closed_at: null,
      updated_at: toIso(p.updatedAt),
      trail_distance: trailDistance,
      trail_ppm: trailPpm,
      trail_anchor: p.trailAnchor,
    });
  }

  positionUpdated(p: EnginePosition): void {
    const [trailDistance, trailPpm] = trailCols(p.trail);
    updatePosition(this.store, p.id, {
      side: p.size >= 0 ? 'long' : 'short',
      size: Math.abs(p.size),
      entry_price: p.entryPrice,
      realized_pnl: p.realizedPnl,
      leverage: p.leverage,
      margin_used: p.marginUsed,
      stop_loss: p.stopLoss,
      take_profit: p.takeProfit,
      funding_paid: p.fundingPaid,
      last_funding_at: iso(p.lastFundingAt),
      updated_at: toIso(p.updatedAt),
      trail_distance: trailDistance,
      trail_ppm: trailPpm,
      trail_anchor: p.trailAnchor,
    });
  }

  positionClosed(p: EnginePosition): void {
    updatePosition(this.store, p.id, {
      is_open: 0,
      size: 0,
      margin_used: 0,
      unrealized_pnl: 0,
      realized_pnl: p.realizedPnl,
      funding_paid: p.fundingPaid,
      closed_at: iso(p.closedAt),
      updated_at: toIso(p.updatedAt),
    });
  }

  journal(
    accountId: string,
    type: EntryType,
    amount: Money,
    time: number,
    refs: { orderId?: string; positionId?: string; description: string },
  ): void {
    const house = HOUSE_FOR[type];
    let houseId = this.houses.get(house);
    if (!houseId) {
      houseId = houseAccountId(this.store, house);
      this.houses.set(house, houseId);
    }
    postJournal(this.store, {
      type,
      createdAt: toIso(time),
      postings: traderVsHouse(accountId, houseId, amount, {
        orderId: refs.orderId ?? null,
        positionId: refs.positionId ?? null,
        description: refs.description,
      }),
    });
    this.journals.push({ accountId, type, amount, time, description: refs.description });
  }
}

/** Refresh the derived account columns (equity, margin) and position marks after engine work. */
export function writeAccountSnapshots(
  store: Store,
  state: EngineState,
  marks: (a: EngineAccount) => { equity: Money; marginUsed: Money; available: Money },
  unrealizedOf: (p: EnginePosition) => Money,
  nowIso: string,
): void {
  for (const a of state.accounts.values()) {
    updateAccountMarks(store, a.id, marks(a), nowIso);
    for (const p of a.positions.values()) {
      const inst = state.instruments.get(p.instrumentId);
      const mark = inst?.bar ? priceFromFloat(inst.bar.close) : p.entryPrice;
      updatePositionMark(store, p.id, mark, unrealizedOf(p));
    }
  }
}

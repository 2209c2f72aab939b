/**
 * Paper trading on SQLite: load the engine's state from the database and persist every engine
 * event as rows, inside the caller's write transaction. Times are epoch ms in the engine and
 * ISO-8601 text in the database.
 */
import { HOUSE_FOR, traderVsHouse, type EntryType, type HouseAccount } from '../core/ledger.ts';
import { priceFromFloat, type Money, type Ppm, type Price, type Qty } from '../core/money.ts';
import { DAY_MS, toIso } from '../core/time.ts';
import { emptyState, type EngineAccount, type EngineOrder, type FillSizing, type EnginePosition, type EngineSink, type EngineState, type OrderSource } from '../engine/state.ts';
import type { RejectCode } from '../core/orders.ts';
import type { Trail } from '../core/trail.ts';
import type { OrderType, Side } from '../core/fill.ts';
import { closeMinute } from '../core/market-data.ts';
import { priceCandleAt } from '../store/market-data.ts';
import type { Store } from '../store/db.ts';
import { instrumentById, listInstruments, type Instrument } from '../store/instruments.ts';
import { houseAccountId, postJournal } from '../store/ledger.ts';
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
    id: r.id, balance: r.balance as Money, maxLeverage: r.max_leverage, makerFee: r.maker_fee_ppm as Ppm, takerFee: r.taker_fee_ppm as Ppm,
    maxDailyLoss: r.max_daily_loss as Money | null, isActive: r.is_active === 1, positions: new Map(),
    dayKey: Math.floor(clock / DAY_MS), dayPnl,
  };
}

export function positionFromRow(r: PositionRow): EnginePosition {
  return {
    id: r.id, accountId: r.account_id, instrumentId: r.instrument_id, size: ((r.side === 'long' ? 1 : -1) * r.size) as Qty,
    entryPrice: r.entry_price as Price, leverage: r.leverage, marginUsed: r.margin_used as Money,
    stopLoss: r.stop_loss as Price | null, takeProfit: r.take_profit as Price | null, realizedPnl: r.realized_pnl as Money,
    fundingPaid: r.funding_paid as Money, lastFundingAt: ms(r.last_funding_at), botId: r.bot_id,
    openedAt: Date.parse(r.opened_at), updatedAt: Date.parse(r.updated_at), closedAt: ms(r.closed_at),
    trail: trailFromCols(r.trail_distance, r.trail_ppm), trailAnchor: r.trail_anchor as Price | null,
  };
}

export function orderFromRow(r: OrderRow): EngineOrder {
  return {
    id: r.id, accountId: r.account_id, instrumentId: r.instrument_id, side: r.side as Side, type: r.order_type as OrderType,
    size: r.size as Qty, price: r.price as Price | null, stopPrice: r.stop_price as Price | null, leverage: r.leverage,
    stopLoss: r.stop_loss as Price | null, takeProfit: r.take_profit as Price | null, source: r.source as OrderSource, botId: r.bot_id,
    createdAt: Date.parse(r.created_at), status: r.status as EngineOrder['status'], triggeredAt: ms(r.triggered_at),
    filledSize: r.filled_size as Qty, fillPrice: r.fill_price as Price | null, slippage: r.slippage as Price, commission: r.commission as Money,
    marginRequired: r.margin_required as Money, filledAt: ms(r.filled_at), canceledAt: ms(r.canceled_at),
    rejectCode: r.reject_code as RejectCode | null, rejectReason: r.reject_reason,
    reduceOnly: r.reduce_only === 1, sizeAtFill: r.size_at_fill ? JSON.parse(r.size_at_fill) as FillSizing : null,
    requestedSize: r.requested_size as Qty | null, reason: null,
    trail: trailFromCols(r.trail_distance, r.trail_ppm), trailAnchor: r.trail_anchor as Price | null, slTrail: trailFromCols(r.sl_trail_distance, r.sl_trail_ppm),
  };
}

/** Today's realised trading result (everything but deposits and withdrawals) of an account. */
function dayPnlOf(store: Store, accountId: string, clock: number): Money {
  const dayStart = toIso(Math.floor(clock / DAY_MS) * DAY_MS);
  const r = store.prepare(`SELECT COALESCE(SUM(amount), 0) AS s FROM ledger_entries
    WHERE account_id = ? AND entry_type NOT IN ('deposit', 'withdrawal') AND created_at >= ?`).get(accountId, dayStart) as { s: number };
  return r.s as Money;
}

/**
 * Load what the engine needs at `clock`. With `accountIds`, only those accounts, their open
 * positions and working orders, and the instruments they touch (plus `instrumentIds`) are
 * loaded: a manual order reads a handful of rows. Without, everything (market advance).
 */
export function loadEngineState(store: Store, clock: number, scope: { accountIds?: readonly string[]; instrumentIds?: readonly string[] } = {}): EngineState {
  const state = emptyState(clock);
  const ids = scope.accountIds;
  const inList = (n: number) => Array.from({ length: n }, () => '?').join(', ');
  const accounts = (ids
    ? store.prepare(`SELECT * FROM accounts WHERE kind = 'trader' AND id IN (${inList(ids.length)})`).all(...ids)
    : store.prepare("SELECT * FROM accounts WHERE kind = 'trader'").all()) as AccountRow[];
  for (const r of accounts) state.accounts.set(r.id, accountFromRow(r, dayPnlOf(store, r.id, clock), clock));
  const positions = (ids
    ? store.prepare(`SELECT * FROM positions WHERE is_open = 1 AND account_id IN (${inList(ids.length)})`).all(...ids)
    : store.prepare('SELECT * FROM positions WHERE is_open = 1').all()) as PositionRow[];
  for (const r of positions) state.accounts.get(r.account_id)?.positions.set(r.instrument_id, positionFromRow(r));
  const orders = (ids
    ? store.prepare(`SELECT * FROM orders WHERE status IN ('pending', 'partial') AND account_id IN (${inList(ids.length)}) ORDER BY created_at, rowid`).all(...ids)
    : store.prepare("SELECT * FROM orders WHERE status IN ('pending', 'partial') ORDER BY created_at, rowid").all()) as OrderRow[];
  for (const r of orders) state.orders.push(orderFromRow(r));

  const wanted = ids ? new Set([...(scope.instrumentIds ?? []), ...positions.map((p) => p.instrument_id), ...orders.map((o) => o.instrument_id)]) : null;
  const instruments = wanted ? [...wanted].map((id) => instrumentById(store, id)).filter((i): i is Instrument => i !== undefined) : listInstruments(store);
  for (const inst of instruments) {
    // The price is the close of the latest candle complete at the clock (1m, or imported 1h/1d/...).
    const price = priceCandleAt(store, inst.id, clock);
    const last = price?.candle;
    state.instruments.set(inst.id, {
      id: inst.id, spec: inst,
      params: { spread: inst.baseSpread, tick: inst.tickSize, slippageFactor: inst.slippageFactor, minSize: inst.minSize, maxParticipation: inst.maxParticipation ?? 0 },
      bar: last ? { open: last.open, high: last.high, low: last.low, close: last.close, volume: last.volume } : null,
      barTime: price ? closeMinute(price.candle.timestamp, price.base) : 0, holders: [], nextFundingAt: NaN,
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

  constructor(private readonly store: Store, private readonly nowIso: () => string) {}

  orderCreated(o: EngineOrder): void {
    this.created.push(o);
    if (o.status === 'filled' || o.status === 'partial') this.filled.push(o);
    this.store.prepare(`INSERT INTO orders (id, account_id, instrument_id, order_type, side, size, price, stop_price, status, filled_size,
        fill_price, slippage, commission, leverage, margin_required, stop_loss, take_profit, source, reject_reason, triggered_at, bot_id,
        created_at, filled_at, canceled_at, updated_at, trail_distance, trail_ppm, trail_anchor, sl_trail_distance, sl_trail_ppm, reject_code)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(o.id, o.accountId, o.instrumentId, o.type, o.side, o.size, o.price, o.stopPrice, o.status, o.filledSize, o.fillPrice, o.slippage,
        o.commission, o.leverage, o.marginRequired, o.stopLoss, o.takeProfit, o.source, o.rejectReason, iso(o.triggeredAt), o.botId,
        toIso(o.createdAt), iso(o.filledAt), iso(o.canceledAt), toIso(o.createdAt), ...trailCols(o.trail), o.trailAnchor, ...trailCols(o.slTrail), o.rejectCode);
    if (o.reduceOnly || o.sizeAtFill) {
      this.store.prepare('UPDATE orders SET reduce_only = ?, size_at_fill = ? WHERE id = ?').run(o.reduceOnly ? 1 : 0, o.sizeAtFill ? JSON.stringify(o.sizeAtFill) : null, o.id);
    }
  }

  orderUpdated(o: EngineOrder): void {
    if ((o.status === 'filled' || o.status === 'partial') && !this.filled.includes(o)) this.filled.push(o);
    this.store.prepare(`UPDATE orders SET status = ?, filled_size = ?, fill_price = ?, slippage = ?, commission = ?, margin_required = ?,
        reject_reason = ?, triggered_at = ?, filled_at = ?, canceled_at = ?, updated_at = ?, size = ?, price = ?, stop_price = ?, trail_anchor = ?, reject_code = ? WHERE id = ?`)
      .run(o.status, o.filledSize, o.fillPrice, o.slippage, o.commission, o.marginRequired, o.rejectReason, iso(o.triggeredAt),
        iso(o.filledAt), iso(o.canceledAt), toIso(o.filledAt ?? o.canceledAt ?? o.triggeredAt ?? o.createdAt), o.size, o.price, o.stopPrice, o.trailAnchor, o.rejectCode, o.id);
    // sized (or cut to the position) at the fill: the one wanted when margin cut it (the size itself is written above)
    if (o.reduceOnly || o.sizeAtFill) this.store.prepare('UPDATE orders SET requested_size = ? WHERE id = ?').run(o.requestedSize ?? null, o.id);
  }

  positionOpened(p: EnginePosition): void {
    this.store.prepare(`INSERT INTO positions (id, account_id, instrument_id, side, size, entry_price, current_price, unrealized_pnl, realized_pnl,
        leverage, margin_used, stop_loss, take_profit, funding_paid, last_funding_at, is_open, bot_id, opened_at, closed_at, updated_at,
        trail_distance, trail_ppm, trail_anchor)
        VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, NULL, ?, ?, ?, ?)`)
      .run(p.id, p.accountId, p.instrumentId, p.size > 0 ? 'long' : 'short', Math.abs(p.size), p.entryPrice, p.entryPrice, p.realizedPnl,
        p.leverage, p.marginUsed, p.stopLoss, p.takeProfit, p.fundingPaid, iso(p.lastFundingAt), p.botId, toIso(p.openedAt), toIso(p.updatedAt),
        ...trailCols(p.trail), p.trailAnchor);
  }

  positionUpdated(p: EnginePosition): void {
    this.store.prepare(`UPDATE positions SET side = ?, size = ?, entry_price = ?, realized_pnl = ?, leverage = ?, margin_used = ?, stop_loss = ?,
        take_profit = ?, funding_paid = ?, last_funding_at = ?, updated_at = ?, trail_distance = ?, trail_ppm = ?, trail_anchor = ? WHERE id = ?`)
      .run(p.size >= 0 ? 'long' : 'short', Math.abs(p.size), p.entryPrice, p.realizedPnl, p.leverage, p.marginUsed, p.stopLoss, p.takeProfit,
        p.fundingPaid, iso(p.lastFundingAt), toIso(p.updatedAt), ...trailCols(p.trail), p.trailAnchor, p.id);
  }

  positionClosed(p: EnginePosition): void {
    this.store.prepare(`UPDATE positions SET is_open = 0, size = 0, margin_used = 0, unrealized_pnl = 0, realized_pnl = ?, funding_paid = ?,
        closed_at = ?, updated_at = ? WHERE id = ?`).run(p.realizedPnl, p.fundingPaid, iso(p.closedAt), toIso(p.updatedAt), p.id);
  }

  journal(accountId: string, type: EntryType, amount: Money, time: number, refs: { orderId?: string; positionId?: string; description: string }): void {
    const house = HOUSE_FOR[type];
    let houseId = this.houses.get(house);
    if (!houseId) { houseId = houseAccountId(this.store, house); this.houses.set(house, houseId); }
    postJournal(this.store, {
      type, createdAt: toIso(time),
      postings: traderVsHouse(accountId, houseId, amount, { orderId: refs.orderId ?? null, positionId: refs.positionId ?? null, description: refs.description }),
    });
    this.journals.push({ accountId, type, amount, time, description: refs.description });
  }
}

/** Refresh the derived account columns (equity, margin) and position marks after engine work. */
export function writeAccountSnapshots(store: Store, state: EngineState, marks: (a: EngineAccount) => { equity: Money; marginUsed: Money; available: Money }, unrealizedOf: (p: EnginePosition) => Money, nowIso: string): void {
  const updAcct = store.prepare('UPDATE accounts SET equity = ?, margin_used = ?, margin_available = ?, updated_at = ? WHERE id = ?');
  const updPos = store.prepare('UPDATE positions SET current_price = ?, unrealized_pnl = ? WHERE id = ?');
  for (const a of state.accounts.values()) {
    const m = marks(a);
    updAcct.run(m.equity, m.marginUsed, m.available, nowIso, a.id);
    for (const p of a.positions.values()) {
      const inst = state.instruments.get(p.instrumentId);
      const mark = inst?.bar ? priceFromFloat(inst.bar.close) : p.entryPrice;
      updPos.run(mark, unrealizedOf(p), p.id);
    }
  }
}

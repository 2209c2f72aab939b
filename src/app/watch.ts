/**
 * Use cases of the live screen (`tunicoin watch`). The screen owns no business rule: a tick is
 * an ordinary `market advance` (runAdvance: resting orders, SL/TP, funding, liquidation, running
 * bots, committed slice by slice), an order from the screen is the same engine order as
 * `tunicoin order` / `close` / `order cancel`, and what is shown is read back from the database
 * after each of them with the same marks as `account` and `positions`.
 */
import { ConflictError, TunicoinError } from '../core/errors.ts';
import { priceFromFloat, type Money, type Price, type Qty } from '../core/money.ts';
import { quoteFromMid } from '../core/quote.ts';
import { bucketStart, DAY_MS, TIMEFRAME_MS, type Timeframe } from '../core/time.ts';
import { accountMarks } from '../engine/accounting.ts';
import type { PlaceOrderInput } from '../engine/order-placement.ts';
import type { EngineOrder } from '../engine/state.ts';
import { aggregate, sliceCandles, type Candles } from '../core/candles.ts';
import { baseTimeframe, candleAtOrBefore, loadCandles } from '../store/candles.ts';
import { readClock } from '../store/clock.ts';
import type { Store } from '../store/db.ts';
import { orderFromRow } from './engine-store.ts';
import type { Instrument } from '../store/instruments.ts';
import { listBots } from '../store/bots.ts';
import { findOrder, listOrders, type OrderView } from '../store/orders.ts';
import { runAdvance, type AdvanceSummary } from './advance.ts';
import { dryRun, withPaper } from './paper.ts';

/** An order the screen places: the engine's order request, as `tunicoin order` builds it. */
export type PaperOrderRequest = PlaceOrderInput;
/** An order as the engine left it (filled, rejected or working), as the screen's use cases return it. */
export type PaperOrder = EngineOrder;

/** What one tick did: the market moved (`advanced`), or it could not move any further (`stopped`). */
export type TickResult =
  | { readonly status: 'advanced'; readonly summary: AdvanceSummary }
  | { readonly status: 'stopped'; readonly reason: string; readonly summary: AdvanceSummary | null };

/**
 * Advance the market by `durationMs` through the `market advance` use case. A clock that ends
 * short of the requested time (replayed history that has run out) or a conflict raised by the
 * advance ("no data past ...") is reported as `stopped`, with the reason to show; anything else
 * propagates.
 */
export async function watchTick(
  store: Store,
  wallNow: () => number,
  durationMs: number,
  advance: typeof runAdvance = runAdvance,
): Promise<TickResult> {
  const target = readClock(store) + durationMs;
  try {
    const summary = await advance(store, wallNow, durationMs);
    // the advance says why it stopped short (e.g. "SPX500 has no data after 2020-04-17; the clock stopped there")
    if (summary.stopped || summary.to < target)
      return { status: 'stopped', reason: summary.stopped ?? 'the clock reached the end of the data', summary };
    return { status: 'advanced', summary };
  } catch (e) {
    if (e instanceof TunicoinError && e.kind === 'conflict') return { status: 'stopped', reason: e.message, summary: null };
    throw e;
  }
}

/** An order from the screen: the same engine order as `tunicoin order` (one write transaction). */
export function placePaperOrder(store: Store, wallNow: () => number, request: PlaceOrderInput): EngineOrder {
  return withPaper(store, wallNow, (s) => s.engine.placeOrder(request), {
    accountIds: [request.accountId],
    instrumentIds: [request.instrumentId],
  });
}

/** What `placePaperOrder` would do now (fill price, margin, fee or the rejection); nothing is written. */
export function previewPaperOrder(store: Store, request: PlaceOrderInput): EngineOrder {
  return dryRun(store, (engine) => engine.placeOrder(request), { accountIds: [request.accountId], instrumentIds: [request.instrumentId] });
}

/** Close the account's whole position on the instrument at market, like `tunicoin close`. */
export function closePaperPosition(
  store: Store,
  wallNow: () => number,
  accountId: string,
  instrumentId: string,
  symbol: string,
): EngineOrder {
  return withPaper(
    store,
    wallNow,
    (s) => {
      const pos = s.engine.account(accountId).positions.get(instrumentId);
      if (!pos) throw new ConflictError(`no open ${symbol} position on this account`);
      return s.engine.placeOrder({
        accountId,
        instrumentId,
        side: pos.size > 0 ? 'sell' : 'buy',
        type: 'market',
        size: Math.abs(pos.size) as Qty,
        leverage: pos.leverage,
        source: 'close',
        fillNow: true,
        reduceOnly: true,
      });
    },
    { accountIds: [accountId], instrumentIds: [instrumentId] },
  );
}

/** Cancel a pending order, like `tunicoin order cancel`. */
export function cancelPaperOrder(store: Store, wallNow: () => number, orderId: string): OrderView {
  const found = findOrder(store, orderId);
  if (found.status !== 'pending')
    throw new ConflictError(`order ${found.id.slice(0, 8)} is ${found.status}; only pending orders can be canceled`);
  withPaper(
    store,
    wallNow,
    (s) => {
      const working = s.state.orders.find((o) => o.id === found.id) ?? orderFromRow(found);
      s.engine.cancelOrder(working);
    },
    { accountIds: [found.account_id] },
  );
  return findOrder(store, found.id);
}

export interface WatchAccount {
  readonly id: string;
  readonly balance: Money;
  readonly equity: Money;
  readonly unrealized: Money;
  readonly marginUsed: Money;
  readonly available: Money;
  /** Realised today (UTC day of the clock) plus unrealised: as `account --json`'s todayPnl. */
  readonly todayPnl: Money;
  readonly maxDailyLoss: Money | null;
}

export interface WatchPosition {
  readonly id: string;
  readonly instrumentId: string;
  readonly symbol: string;
  readonly tick: number;
  /** Signed: > 0 long, < 0 short. */
  readonly size: Qty;
  readonly entryPrice: Price;
  readonly markPrice: Price | null;
  readonly unrealized: Money;
  readonly leverage: number;
  readonly marginUsed: Money;
  readonly stopLoss: Price | null;
  readonly takeProfit: Price | null;
}

export interface WatchQuote {
  readonly instrument: Instrument;
  /** null: no candle at or before the clock. */
  readonly bid: Price | null;
  readonly ask: Price | null;
  readonly last: number | null;
  /** Change of the mid over 24 hours, as a ratio (0.0123 = +1.23%), as `quote --json`. */
  readonly change24h: number | null;
  /** Closes of the latest `sparkBars` candles of the watch timeframe. */
  readonly spark: readonly number[];
}

export interface WatchSnapshot {
  readonly clock: number;
  readonly account: WatchAccount;
  readonly positions: readonly WatchPosition[];
  readonly orders: readonly OrderView[];
  readonly quotes: readonly WatchQuote[];
  /** Candles of the focused instrument at the watch timeframe, the latest `chartBars`. */
  readonly candles: Candles;
}

export interface SnapshotRequest {
  readonly accountId: string;
  readonly instruments: readonly Instrument[];
  readonly focused: Instrument;
  readonly timeframe: Timeframe;
  readonly chartBars: number;
  readonly sparkBars: number;
  /** From `baseTimeframes`; 1m when absent. */
  readonly bases?: ReadonlyMap<string, Timeframe>;
}

/**
 * The stored timeframe of each instrument's candles: 1m for the synthetic market, 1h or 1d for
 * imported history (read once per screen; see `baseTimeframe`).
 */
export function baseTimeframes(store: Store, instruments: readonly Instrument[]): Map<string, Timeframe> {
  return new Map(instruments.map((i) => [i.id, baseTimeframe(store, i.id) ?? '1m']));
}

/** Latest `bars` candles of `tf` (or of the stored timeframe when it is coarser) at or before `clock`. */
function latestCandles(store: Store, inst: Instrument, tf: Timeframe, base: Timeframe, clock: number, bars: number): Candles {
  const shown = TIMEFRAME_MS[base] > TIMEFRAME_MS[tf] ? base : tf;
  const from = bucketStart(clock, shown) - (Math.max(1, bars) - 1) * TIMEFRAME_MS[shown];
  const c = aggregate(loadCandles(store, inst.id, { from, to: clock }, base), shown);
  const n = c.time.length;
  return n > bars ? sliceCandles(c, n - bars, n) : c;
}

/** Everything the screen shows, read at the clock (no write). */
export function readWatchSnapshot(store: Store, req: SnapshotRequest): WatchSnapshot {
  const clock = readClock(store);
  const { account, positions } = dryRun(
    store,
    (engine) => {
      const acct = engine.account(req.accountId);
      const m = accountMarks(engine.state, acct);
      const ps: WatchPosition[] = [...acct.positions.values()].map((p) => {
        const inst = engine.instrument(p.instrumentId);
        return {
          id: p.id,
          instrumentId: p.instrumentId,
          symbol: inst.spec.symbol,
          tick: inst.spec.tickSize,
          size: p.size,
          entryPrice: p.entryPrice,
          markPrice: inst.bar ? priceFromFloat(inst.bar.close) : null,
          unrealized: engine.unrealizedOf(p),
          leverage: p.leverage,
          marginUsed: p.marginUsed,
          stopLoss: p.stopLoss,
          takeProfit: p.takeProfit,
        };
      });
      const a: WatchAccount = {
        id: acct.id,
        balance: acct.balance,
        equity: m.equity,
        unrealized: m.unrealized,
        marginUsed: m.marginUsed,
        available: m.available,
        todayPnl: (acct.dayPnl + m.unrealized) as Money,
        maxDailyLoss: acct.maxDailyLoss,
      };
      return { account: a, positions: ps };
    },
    { accountIds: [req.accountId] },
  );
  const baseOf = (id: string): Timeframe => req.bases?.get(id) ?? '1m';
  const quotes = req.instruments.map((inst): WatchQuote => {
    const base = baseOf(inst.id);
    const last = candleAtOrBefore(store, inst.id, clock, base);
    if (!last) return { instrument: inst, bid: null, ask: null, last: null, change24h: null, spark: [] };
    const q = quoteFromMid(last.close, inst.baseSpread, inst.tickSize);
    const dayAgo = candleAtOrBefore(store, inst.id, clock - DAY_MS, base);
    const spark = req.sparkBars > 0 ? Array.from(latestCandles(store, inst, req.timeframe, base, clock, req.sparkBars).close) : [];
    return {
      instrument: inst,
      bid: q.bid,
      ask: q.ask,
      last: last.close,
      change24h: dayAgo ? (last.close - dayAgo.close) / dayAgo.close : null,
      spark,
    };
  });
  return {
    clock,
    account,
    positions,
    quotes,
    orders: listOrders(store, req.accountId, 'open', 50),
    candles: latestCandles(store, req.focused, req.timeframe, baseOf(req.focused.id), clock, req.chartBars),
  };
}

/** Bot names by id, for the log of decisions. */
export function botNames(store: Store): Map<string, string> {
  return new Map(listBots(store).map((b) => [b.id, b.name]));
}

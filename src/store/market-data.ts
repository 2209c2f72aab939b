/**
 * Market-data queries beyond the bulk candle reader (store/candles.ts): the stored timeframes of
 * an instrument, the candle a price comes from, windows that end at the data, deleting candles
 * and instruments, writing imported batches, and what happened after a time (for `clock set`).
 */
import { lastKnownStart } from '../core/market-data.ts';
import { TIMEFRAMES, toIso, type Timeframe } from '../core/time.ts';
import type { Compilable } from 'kysely';
import { baseTimeframe, candleAtOrBefore, insertCandles, type LastCandle } from './candles.ts';
import { packRange, storePacks } from './candle-pack-writes.ts';
import type { Store } from './db.ts';
import { BEGIN_WRITE } from './pg/writer-lock.ts';
import { newId } from './ids.ts';
import type { DataOrigin } from './schema.ts';

const MIN_T = -8.64e15;
const MAX_T = 8.64e15;

const candlesOf = (store: Store, instrumentId: string, tf: Timeframe) =>
  store.db.selectFrom('candles').where('instrument_id', '=', instrumentId).where('timeframe', '=', tf);

/** The timeframes an instrument has candles of (normally one). */
export function storedTimeframes(store: Store, instrumentId: string): Timeframe[] {
  return TIMEFRAMES.filter((tf) => store.get(candlesOf(store, instrumentId, tf).select('timestamp').limit(1)) !== undefined);
}

export interface PriceCandle {
  readonly base: Timeframe;
  readonly candle: LastCandle;
}

/** The candle whose close is the instrument's price at `clock` (its close is known by then). */
export function priceCandleAt(
  store: Store,
  instrumentId: string,
  clock: number,
  base = baseTimeframe(store, instrumentId),
): PriceCandle | undefined {
  if (!base) return undefined;
  const candle = candleAtOrBefore(store, instrumentId, lastKnownStart(clock, base), base);
  return candle ? { base, candle } : undefined;
}

/** The start of the latest candle of `tf` at or before `t`. */
export function latestCandleStart(store: Store, instrumentId: string, tf: Timeframe, t: number): number | undefined {
  return (
    store.get(
      candlesOf(store, instrumentId, tf)
        .select((eb) => eb.fn.max<number | null>('timestamp').as('t'))
        .where('timestamp', '<=', t),
    )?.t ?? undefined
  );
}

/**
 * First and last candle starts of one timeframe: two index look-ups (SQLite answers a lone
 * MIN or MAX from the index), unlike candleBounds' COUNT(*) that walks every row.
 */
export function candleSpan(store: Store, instrumentId: string, tf: Timeframe): { first: number; last: number } | undefined {
  const last = latestCandleStart(store, instrumentId, tf, MAX_T);
  const first = store.get(candlesOf(store, instrumentId, tf).select((eb) => eb.fn.min<number | null>('timestamp').as('t')))?.t ?? null;
  return last === undefined || first === null ? undefined : { first, last };
}

/** The start of the first candle of `tf` after `t`. */
export function nextCandleStart(store: Store, instrumentId: string, tf: Timeframe, t: number): number | undefined {
  return (
    store.get(
      candlesOf(store, instrumentId, tf)
        .select((eb) => eb.fn.min<number | null>('timestamp').as('t'))
        .where('timestamp', '>', t),
    )?.t ?? undefined
  );
}

/** Start of the `n`-th latest candle at or before `t` (n = 1: the latest). */
export function nthLatestCandleStart(store: Store, instrumentId: string, tf: Timeframe, t: number, n: number): number | undefined {
  return store.get(
    candlesOf(store, instrumentId, tf)
      .select('timestamp')
      .where('timestamp', '<=', t)
      .orderBy('timestamp', 'desc')
      .limit(1)
      .offset(Math.max(0, n - 1)),
  )?.timestamp;
}

export function countCandlesIn(store: Store, instrumentId: string, from = MIN_T, to = MAX_T): number {
  return (
    store.get(
      store.db
        .selectFrom('candles')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('instrument_id', '=', instrumentId)
        .where('timestamp', '>=', from)
        .where('timestamp', '<=', to),
    )?.n ?? 0
  );
}

/** Delete an instrument's candles (every timeframe) with from <= timestamp <= to; returns how many. */
export function deleteCandles(store: Store, instrumentId: string, from = MIN_T, to = MAX_T): number {
  return store.run(
    store.db.deleteFrom('candles').where('instrument_id', '=', instrumentId).where('timestamp', '>=', from).where('timestamp', '<=', to),
  ).changes;
}

export function setDataOrigin(store: Store, instrumentId: string, origin: DataOrigin, syntheticFrom: number | null, nowIso: string): void {
  store.run(
    store.db
      .updateTable('instruments')
      .set({ data_origin: origin, synthetic_from: syntheticFrom, updated_at: nowIso })
      .where('id', '=', instrumentId),
  );
}

/** What refers to an instrument: working orders, open positions, bots, and history rows. */
export interface InstrumentUse {
  readonly pendingOrders: number;
  readonly openPositions: number;
  readonly bots: number;
  readonly pastOrders: number;
  readonly closedPositions: number;
  readonly backtests: number;
}

export function instrumentUse(store: Store, instrumentId: string): InstrumentUse {
  const { db } = store;
  const n = (q: Compilable<{ n: number }>): number => store.get(q)?.n ?? 0;
  const orders = db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('instrument_id', '=', instrumentId);
  const positions = db
    .selectFrom('positions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('instrument_id', '=', instrumentId);
  return {
    pendingOrders: n(orders.where('status', '=', 'pending')),
    openPositions: n(positions.where('is_open', '=', 1)),
    bots: n(
      db
        .selectFrom('bots')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('instrument_id', '=', instrumentId),
    ),
    pastOrders: n(orders.where('status', '<>', 'pending')),
    closedPositions: n(positions.where('is_open', '=', 0)),
    backtests: n(
      db
        .selectFrom('backtests')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('instrument_id', '=', instrumentId),
    ),
  };
}

/** Cancel an instrument's working orders at `atIso` (instruments remove --force). */
export function cancelPendingOrders(store: Store, instrumentId: string, atIso: string): number {
  return store.run(
    store.db
      .updateTable('orders')
      .set({ status: 'canceled', canceled_at: atIso, updated_at: atIso })
      .where('instrument_id', '=', instrumentId)
      .where('status', '=', 'pending'),
  ).changes;
}

/** Delete an instrument's bots (their decisions cascade) and backtests. */
export function deleteBotsAndBacktests(store: Store, instrumentId: string): { bots: number; backtests: number } {
  // Orders placed by a bot keep their history; only the link to the deleted bot goes.
  const botIds = store.db.selectFrom('bots').select('id').where('instrument_id', '=', instrumentId);
  store.run(store.db.updateTable('orders').set({ bot_id: null }).where('bot_id', 'in', botIds));
  store.run(store.db.updateTable('positions').set({ bot_id: null }).where('bot_id', 'in', botIds));
  const bots = store.run(store.db.deleteFrom('bots').where('instrument_id', '=', instrumentId)).changes;
  const backtests = store.run(store.db.deleteFrom('backtests').where('instrument_id', '=', instrumentId)).changes;
  return { bots, backtests };
}

/** Delete the instrument row (its candles cascade). Only when no order or position refers to it. */
export function deleteInstrumentRow(store: Store, instrumentId: string): void {
  store.run(store.db.deleteFrom('candles').where('instrument_id', '=', instrumentId));
  store.run(store.db.deleteFrom('instruments').where('id', '=', instrumentId));
}

/** Keep an instrument for its trade history but retire it: no candles, not tradeable. */
export function retireInstrument(store: Store, instrumentId: string, nowIso: string): void {
  store.run(store.db.deleteFrom('candles').where('instrument_id', '=', instrumentId));
  store.run(store.db.updateTable('instruments').set({ is_active: 0, is_tradeable: 0, updated_at: nowIso }).where('id', '=', instrumentId));
}

/** What happened after `t` on the simulation clock (orders, fills, journals, bot decisions). */
export interface ActivityAfter {
  readonly orders: number;
  readonly fills: number;
  readonly journals: number;
  readonly decisions: number;
  readonly first: string | null;
}

export function activityAfter(store: Store, t: number): ActivityAfter {
  const iso = toIso(t);
  const { db } = store;
  const none = { n: 0, first: null };
  const orders =
    store.get(
      db
        .selectFrom('orders')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min<string | null>('created_at').as('first')])
        .where('created_at', '>', iso),
    ) ?? none;
  const fills =
    store.get(
      db
        .selectFrom('orders')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min<string | null>('filled_at').as('first')])
        .where('filled_at', '>', iso),
    ) ?? none;
  const journals =
    store.get(
      db
        .selectFrom('ledger_entries')
        .select((eb) => [eb.fn.count<number>('journal_id').distinct().as('n'), eb.fn.min<string | null>('created_at').as('first')])
        .where('created_at', '>', iso),
    ) ?? none;
  const decisions =
    store.get(
      db
        .selectFrom('bot_decisions')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min<string | null>('candle_timestamp').as('first')])
        .where('candle_timestamp', '>', iso),
    ) ?? none;
  const firsts = [orders.first, fills.first, journals.first, decisions.first].filter((x): x is string => x !== null).sort();
  return { orders: orders.n, fills: fills.n, journals: journals.n, decisions: decisions.n, first: firsts[0] ?? null };
}

/** A write transaction that may span awaits (a streamed import). The caller must not nest it. */
export function beginWrite(store: Store): { commit(): void; rollback(): void } {
  store.exec(store.dialect === 'postgres' ? BEGIN_WRITE : 'BEGIN IMMEDIATE');
  let open = true;
  return {
    commit() {
      if (open) {
        open = false;
        store.exec('COMMIT');
      }
    },
    rollback() {
      if (open) {
        open = false;
        if (store.dialect === 'postgres' || store.sqlite.inTransaction) store.exec('ROLLBACK');
      }
    },
  };
}

/** How imported rows meet stored ones: refuse overlaps, add only new timestamps, or replace the range. */
export type ImportMode = 'refuse' | 'merge' | 'replace';

/** Column batch of validated candles to write. */
export interface CandleBatch {
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/**
 * Writes imported batches. `replace` deletes the stored candles from the first imported time
 * up to each batch's last time before inserting it, so the whole file range is replaced.
 */
export class CandleWriter {
  private deletedUpTo = -Infinity;
  written = 0;
  deleted = 0;

  constructor(
    private readonly store: Store,
    private readonly instrumentId: string,
    private readonly tf: Timeframe,
    private readonly mode: ImportMode,
  ) {}

  write(b: CandleBatch, n: number): void {
    if (n === 0) return;
    if (this.mode === 'replace') {
      const from = this.deletedUpTo === -Infinity ? (b.time[0] as number) : this.deletedUpTo + 1;
      const to = b.time[n - 1] as number;
      this.deleted += deleteCandles(this.store, this.instrumentId, from, to);
      this.deletedUpTo = to;
    }
    const { instrumentId, tf } = this;
    // the bulk insert, multi-row statements (candles.ts); invalidates the packs it writes into, packed below
    this.written += insertCandles(this.store, instrumentId, tf, b, 0, n, newId, this.mode === 'merge');
    // merge may skip rows that exist: pack those buckets from the table, not from the batch
    if (this.mode === 'merge') packRange(this.store, instrumentId, tf, b.time[0] as number, b.time[n - 1] as number);
    else storePacks(this.store, instrumentId, tf, b, n);
  }
}

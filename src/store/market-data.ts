/**
 * Market-data queries beyond the bulk candle reader (store/candles.ts): the stored timeframes of
 * an instrument, the candle a price comes from, windows that end at the data, deleting candles
 * and instruments, writing imported batches, and what happened after a time (for `clock set`).
 */
import { lastKnownStart } from '../core/market-data.ts';
import { TIMEFRAMES, toIso, type Timeframe } from '../core/time.ts';
import { baseTimeframe, candleAtOrBefore, type LastCandle } from './candles.ts';
import { packRange, storePacks } from './candle-packs.ts';
import type { Store } from './db.ts';
import { newId } from './ids.ts';
import type { DataOrigin } from './schema.ts';

const MIN_T = -8.64e15;
const MAX_T = 8.64e15;

/** The timeframes an instrument has candles of (normally one). */
export function storedTimeframes(store: Store, instrumentId: string): Timeframe[] {
  const probe = store.prepare('SELECT 1 FROM candles WHERE instrument_id = ? AND timeframe = ? LIMIT 1');
  return TIMEFRAMES.filter((tf) => probe.get(instrumentId, tf) !== undefined);
}

export interface PriceCandle { readonly base: Timeframe; readonly candle: LastCandle }

/** The candle whose close is the instrument's price at `clock` (its close is known by then). */
export function priceCandleAt(store: Store, instrumentId: string, clock: number, base = baseTimeframe(store, instrumentId)): PriceCandle | undefined {
  if (!base) return undefined;
  const candle = candleAtOrBefore(store, instrumentId, lastKnownStart(clock, base), base);
  return candle ? { base, candle } : undefined;
}

/** The start of the latest candle of `tf` at or before `t`. */
export function latestCandleStart(store: Store, instrumentId: string, tf: Timeframe, t: number): number | undefined {
  const r = store.prepare('SELECT MAX(timestamp) AS t FROM candles WHERE instrument_id = ? AND timeframe = ? AND timestamp <= ?')
    .get(instrumentId, tf, t) as { t: number | null };
  return r.t ?? undefined;
}

/**
 * First and last candle starts of one timeframe: two index look-ups (SQLite answers a lone
 * MIN or MAX from the index), unlike candleBounds' COUNT(*) that walks every row.
 */
export function candleSpan(store: Store, instrumentId: string, tf: Timeframe): { first: number; last: number } | undefined {
  const last = latestCandleStart(store, instrumentId, tf, MAX_T);
  const first = (store.prepare('SELECT MIN(timestamp) AS t FROM candles WHERE instrument_id = ? AND timeframe = ?').get(instrumentId, tf) as { t: number | null }).t;
  return last === undefined || first === null ? undefined : { first, last };
}

/** The start of the first candle of `tf` after `t`. */
export function nextCandleStart(store: Store, instrumentId: string, tf: Timeframe, t: number): number | undefined {
  const r = store.prepare('SELECT MIN(timestamp) AS t FROM candles WHERE instrument_id = ? AND timeframe = ? AND timestamp > ?')
    .get(instrumentId, tf, t) as { t: number | null };
  return r.t ?? undefined;
}

/** Start of the `n`-th latest candle at or before `t` (n = 1: the latest). */
export function nthLatestCandleStart(store: Store, instrumentId: string, tf: Timeframe, t: number, n: number): number | undefined {
  const r = store.prepare(`SELECT timestamp FROM candles WHERE instrument_id = ? AND timeframe = ? AND timestamp <= ?
    ORDER BY timestamp DESC LIMIT 1 OFFSET ?`).get(instrumentId, tf, t, Math.max(0, n - 1)) as { timestamp: number } | undefined;
  return r?.timestamp;
}

export function countCandlesIn(store: Store, instrumentId: string, from = MIN_T, to = MAX_T): number {
  return (store.prepare('SELECT COUNT(*) AS n FROM candles WHERE instrument_id = ? AND timestamp >= ? AND timestamp <= ?')
    .get(instrumentId, from, to) as { n: number }).n;
}

/** Delete an instrument's candles (every timeframe) with from <= timestamp <= to; returns how many. */
export function deleteCandles(store: Store, instrumentId: string, from = MIN_T, to = MAX_T): number {
  return store.prepare('DELETE FROM candles WHERE instrument_id = ? AND timestamp >= ? AND timestamp <= ?').run(instrumentId, from, to).changes;
}

export function setDataOrigin(store: Store, instrumentId: string, origin: DataOrigin, syntheticFrom: number | null, nowIso: string): void {
  store.prepare('UPDATE instruments SET data_origin = ?, synthetic_from = ?, updated_at = ? WHERE id = ?').run(origin, syntheticFrom, nowIso, instrumentId);
}

/** What refers to an instrument: working orders, open positions, bots, and history rows. */
export interface InstrumentUse {
  readonly pendingOrders: number; readonly openPositions: number; readonly bots: number;
  readonly pastOrders: number; readonly closedPositions: number; readonly backtests: number;
}

export function instrumentUse(store: Store, instrumentId: string): InstrumentUse {
  const n = (sql: string): number => (store.prepare(sql).get(instrumentId) as { n: number }).n;
  return {
    pendingOrders: n("SELECT COUNT(*) AS n FROM orders WHERE instrument_id = ? AND status = 'pending'"),
    openPositions: n('SELECT COUNT(*) AS n FROM positions WHERE instrument_id = ? AND is_open = 1'),
    bots: n('SELECT COUNT(*) AS n FROM bots WHERE instrument_id = ?'),
    pastOrders: n("SELECT COUNT(*) AS n FROM orders WHERE instrument_id = ? AND status <> 'pending'"),
    closedPositions: n('SELECT COUNT(*) AS n FROM positions WHERE instrument_id = ? AND is_open = 0'),
    backtests: n('SELECT COUNT(*) AS n FROM backtests WHERE instrument_id = ?'),
  };
}

/** Cancel an instrument's working orders at `atIso` (instruments remove --force). */
export function cancelPendingOrders(store: Store, instrumentId: string, atIso: string): number {
  return store.prepare("UPDATE orders SET status = 'canceled', canceled_at = ?, updated_at = ? WHERE instrument_id = ? AND status = 'pending'")
    .run(atIso, atIso, instrumentId).changes;
}

/** Delete an instrument's bots (their decisions cascade) and backtests. */
export function deleteBotsAndBacktests(store: Store, instrumentId: string): { bots: number; backtests: number } {
  // Orders placed by a bot keep their history; only the link to the deleted bot goes.
  store.prepare('UPDATE orders SET bot_id = NULL WHERE bot_id IN (SELECT id FROM bots WHERE instrument_id = ?)').run(instrumentId);
  store.prepare('UPDATE positions SET bot_id = NULL WHERE bot_id IN (SELECT id FROM bots WHERE instrument_id = ?)').run(instrumentId);
  const bots = store.prepare('DELETE FROM bots WHERE instrument_id = ?').run(instrumentId).changes;
  const backtests = store.prepare('DELETE FROM backtests WHERE instrument_id = ?').run(instrumentId).changes;
  return { bots, backtests };
}

/** Delete the instrument row (its candles cascade). Only when no order or position refers to it. */
export function deleteInstrumentRow(store: Store, instrumentId: string): void {
  store.prepare('DELETE FROM candles WHERE instrument_id = ?').run(instrumentId);
  store.prepare('DELETE FROM instruments WHERE id = ?').run(instrumentId);
}

/** Keep an instrument for its trade history but retire it: no candles, not tradeable. */
export function retireInstrument(store: Store, instrumentId: string, nowIso: string): void {
  store.prepare('DELETE FROM candles WHERE instrument_id = ?').run(instrumentId);
  store.prepare('UPDATE instruments SET is_active = 0, is_tradeable = 0, updated_at = ? WHERE id = ?').run(nowIso, instrumentId);
}

/** What happened after `t` on the simulation clock (orders, fills, journals, bot decisions). */
export interface ActivityAfter { readonly orders: number; readonly fills: number; readonly journals: number; readonly decisions: number; readonly first: string | null }

export function activityAfter(store: Store, t: number): ActivityAfter {
  const iso = toIso(t);
  const q = (sql: string) => store.prepare(sql).get(iso) as { n: number; first: string | null };
  const orders = q('SELECT COUNT(*) AS n, MIN(created_at) AS first FROM orders WHERE created_at > ?');
  const fills = q('SELECT COUNT(*) AS n, MIN(filled_at) AS first FROM orders WHERE filled_at > ?');
  const journals = q('SELECT COUNT(DISTINCT journal_id) AS n, MIN(created_at) AS first FROM ledger_entries WHERE created_at > ?');
  const decisions = q('SELECT COUNT(*) AS n, MIN(candle_timestamp) AS first FROM bot_decisions WHERE candle_timestamp > ?');
  const firsts = [orders.first, fills.first, journals.first, decisions.first].filter((x): x is string => x !== null).sort();
  return { orders: orders.n, fills: fills.n, journals: journals.n, decisions: decisions.n, first: firsts[0] ?? null };
}

/** A write transaction that may span awaits (a streamed import). The caller must not nest it. */
export function beginWrite(store: Store): { commit(): void; rollback(): void } {
  store.sqlite.exec('BEGIN IMMEDIATE');
  let open = true;
  return {
    commit() { if (open) { open = false; store.sqlite.exec('COMMIT'); } },
    rollback() { if (open) { open = false; if (store.sqlite.inTransaction) store.sqlite.exec('ROLLBACK'); } },
  };
}

/** How imported rows meet stored ones: refuse overlaps, add only new timestamps, or replace the range. */
export type ImportMode = 'refuse' | 'merge' | 'replace';

/** Column batch of validated candles to write. */
export interface CandleBatch {
  readonly time: Float64Array; readonly open: Float64Array; readonly high: Float64Array;
  readonly low: Float64Array; readonly close: Float64Array; readonly volume: Float64Array;
}

/**
 * Writes imported batches. `replace` deletes the stored candles from the first imported time
 * up to each batch's last time before inserting it, so the whole file range is replaced.
 */
export class CandleWriter {
  private readonly insert;
  private readonly del;
  private deletedUpTo = -Infinity;
  written = 0;
  deleted = 0;

  constructor(private readonly store: Store, private readonly instrumentId: string, private readonly tf: Timeframe, private readonly mode: ImportMode) {
    this.insert = store.prepare(`INSERT ${mode === 'merge' ? 'OR IGNORE ' : ''}INTO candles (id, instrument_id, timeframe, timestamp, open, high, low, close, volume)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.del = store.prepare('DELETE FROM candles WHERE instrument_id = ? AND timestamp >= ? AND timestamp <= ?');
  }

  write(b: CandleBatch, n: number): void {
    if (n === 0) return;
    if (this.mode === 'replace') {
      const from = this.deletedUpTo === -Infinity ? (b.time[0] as number) : this.deletedUpTo + 1;
      const to = b.time[n - 1] as number;
      this.deleted += this.del.run(this.instrumentId, from, to).changes;
      this.deletedUpTo = to;
    }
    const { instrumentId, tf } = this;
    for (let i = 0; i < n; i++) {
      this.written += this.insert.run(newId(), instrumentId, tf, b.time[i], b.open[i], b.high[i], b.low[i], b.close[i], b.volume[i]).changes;
    }
    // merge may skip rows that exist: pack those buckets from the table, not from the batch
    if (this.mode === 'merge') packRange(this.store, instrumentId, tf, b.time[0] as number, b.time[n - 1] as number);
    else storePacks(this.store, instrumentId, tf, b, n);
  }
}

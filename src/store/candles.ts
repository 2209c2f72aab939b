/** Reading candles into column arrays (no per-row objects kept). */
import type { Candles } from '../core/candles.ts';
import { countPacked, invalidatePackRange, loadPacked, packInvalidator, readPacked, splitPacked, type RangeShare } from './candle-packs.ts';
import { copyCandles, vacuumCandles } from './candles-pg.ts';
import { param, type Store } from './db.ts';
import { TIMEFRAMES, type Timeframe } from '../core/time.ts';

export interface CandleRange {
  readonly from?: number | undefined;
  readonly to?: number | undefined;
}

/**
 * The finest timeframe stored for an instrument: '1m' for the synthetic market, '1h' or '1d'
 * for imported history. Everything else is aggregated from it.
 */
export function baseTimeframe(store: Store, instrumentId: string): Timeframe | null {
  const any = store.hotStatement('candles.any', (db) =>
    db
      .selectFrom('candles')
      .select('timestamp')
      .where('instrument_id', '=', param<string>())
      .where('timeframe', '=', param<string>())
      .limit(param<number>()),
  );
  for (const tf of TIMEFRAMES) if (any.get(instrumentId, tf, 1)) return tf;
  return null;
}

export function countCandles(store: Store, instrumentId: string, range: CandleRange = {}, tf: Timeframe = '1m'): number {
  return countPacked(store, instrumentId, tf, range.from ?? -8.64e15, range.to ?? 8.64e15);
}

/**
 * Candles of one stored timeframe (default 1m) with from <= timestamp <= to, oldest first.
 * Whole buckets come from the packed store (migration 012: one memcpy per day of 1m candles),
 * the rest from the rows; counted and read in one snapshot.
 */
export function loadCandles(store: Store, instrumentId: string, range: CandleRange = {}, tf: Timeframe = '1m'): Candles {
  // PostgreSQL too (migrations/pg/003); a range without packs is one binary COPY read (candles-pg.ts)
  return loadPacked(store, instrumentId, tf, range.from ?? -8.64e15, range.to ?? 8.64e15);
}

/**
 * Read candles straight into column arrays at `offset` (at most `max` rows): no per-row objects
 * are kept. Used to fill shared buffers from several threads at once. Returns the rows read.
 * The table is clustered on (instrument_id, timeframe, timestamp) (migration 010) and whole
 * buckets are read from their packs (migration 012), see candle-packs.ts.
 */
export function loadCandlesInto(
  store: Store,
  instrumentId: string,
  range: CandleRange,
  tf: Timeframe,
  out: Candles,
  offset: number,
  max: number,
): number {
  return readPacked(store, instrumentId, tf, range.from ?? -8.64e15, range.to ?? 8.64e15, out, offset, max);
}

/**
 * The candles of the range cut into at most `parts` shares of about equal counts (to load it on
 * several threads), each with its offset in the whole; from the packs' counts, no row walk.
 */
export function splitCandles(store: Store, instrumentId: string, range: CandleRange, tf: Timeframe, parts: number): RangeShare[] {
  return splitPacked(store, instrumentId, tf, range.from ?? -8.64e15, range.to ?? 8.64e15, parts);
}

export interface LastCandle {
  readonly timestamp: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** The last candle of timeframe `tf` (default 1m) at or before `t`. */
export function candleAtOrBefore(store: Store, instrumentId: string, t: number, tf: Timeframe = '1m'): LastCandle | undefined {
  return store
    .hotStatement('candles.atOrBefore', (db) =>
      db
        .selectFrom('candles')
        .select(['timestamp', 'open', 'high', 'low', 'close', 'volume'])
        .where('instrument_id', '=', param<string>())
        .where('timeframe', '=', param<string>())
        .where('timestamp', '<=', param<number>())
        .orderBy('timestamp', 'desc')
        .limit(param<number>()),
    )
    .get(instrumentId, tf, t, 1);
}

export function candleBounds(
  store: Store,
  instrumentId: string,
  tf: Timeframe = '1m',
): { first: number; last: number; count: number } | undefined {
  const r = store.get(
    store.db
      .selectFrom('candles')
      .select((eb) => [
        eb.fn.min<number | null>('timestamp').as('first'),
        eb.fn.max<number | null>('timestamp').as('last'),
        eb.fn.countAll<number>().as('count'),
      ])
      .where('instrument_id', '=', instrumentId)
      .where('timeframe', '=', tf),
  );
  return !r || r.first === null || r.last === null ? undefined : { first: r.first, last: r.last, count: r.count };
}

/**
 * Insert candles one row at a time, fast (seeding, extending, importing): a hot statement, built
 * with Kysely once per connection; `orIgnore` skips timestamps already stored. Returns a function
 * that inserts one row and returns the number of rows written (0 or 1).
 *
 * The one insert path into `candles`: it deletes the pack of each bucket it writes into (once
 * per run of rows in a bucket; migration 013 replaced the per-row trigger), so take a new
 * inserter for each run of inserts and repack after it (storePacks / packRange).
 */
export function candleInserter(
  store: Store,
  orIgnore = false,
): (id: string, instrumentId: string, tf: string, t: number, o: number, h: number, l: number, c: number, v: number) => number {
  const st = store.hotStatement(orIgnore ? 'candles.insertOrIgnore' : 'candles.insert', (db) =>
    db
      .insertInto('candles')
      .$if(orIgnore, (q) => q.orIgnore())
      .values({
        id: param<string>(),
        instrument_id: param<string>(),
        timeframe: param<string>(),
        timestamp: param<number>(),
        open: param<number>(),
        high: param<number>(),
        low: param<number>(),
        close: param<number>(),
        volume: param<number>(),
      }),
  );
  const invalidate = packInvalidator(store);
  return (id, instrumentId, tf, t, o, h, l, c, v) => {
    invalidate(instrumentId, tf, t);
    return st.run(id, instrumentId, tf, t, o, h, l, c, v).changes;
  };
}

/**
 * Call after a bulk write of candles has committed (seed, import): on PostgreSQL it VACUUMs
 * `candles` so series reads become index-only scans (candles-pg.ts vacuumCandles); nothing to do
 * on SQLite, whose candles are a clustered B-tree.
 */
export function settleCandles(store: Store): void {
  if (store.dialect === 'postgres') vacuumCandles(store);
}

/**
 * Rows per multi-row INSERT: 96 divides a day of 1m candles (1,440), so a day of a market
 * advance or a seed is whole statements. 7 placeholders a row (672, under SQLite's limit of 999
 * on old builds): the instrument and the timeframe are the named `@i` and `@tf`, bound once per
 * statement, not once per row.
 */
const INSERT_ROWS = 96;
const INSERT_COLUMNS = '(id, instrument_id, timeframe, timestamp, open, high, low, close, volume)';
const INSERT_ROW = '(?, @i, @tf, ?, ?, ?, ?, ?, ?)';
/** The SQL text of each (verb, rows) statement, built once per process. */
const insertSql = new Map<string, string>();

function insertStatement(store: Store, verb: string, rows: number) {
  const key = `${verb}${rows}`;
  let text = insertSql.get(key);
  if (text === undefined) {
    text = `${verb} INTO candles ${INSERT_COLUMNS} VALUES ${Array(rows).fill(INSERT_ROW).join(', ')}`;
    insertSql.set(key, text);
  }
  return store.prepare(text);
}

/**
 * Insert rows [from, from + n) of `c` (oldest first) as candles of one instrument and timeframe,
 * each with a new id from `newId`: INSERT_ROWS rows per statement (the rest in one statement of
 * their own size), the values passed as arguments (better-sqlite3 binds an argument directly; an
 * array's elements it reads one by one through V8's API, ~400 instructions each). Deletes the
 * pack of each bucket it writes into, as candleInserter does; repack after it. `orIgnore` skips
 * timestamps already stored. Returns the rows written. On PostgreSQL the rows are COPYed instead
 * (candles-pg.ts). Raw SQLite SQL on purpose: a bulk candle write path kept behind the
 * repository (multi-row VALUES lists of a fixed width, prepared once per connection).
 */
export function insertCandles(
  store: Store,
  instrumentId: string,
  tf: string,
  c: Candles,
  from: number,
  n: number,
  newId: () => string,
  orIgnore = false,
): number {
  // PostgreSQL: one COPY of the n rows (through a staging table for orIgnore), see candles-pg.ts
  if (store.dialect === 'postgres') {
    // the packs of the buckets the batch writes into go first, as packInvalidator does row by row
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = from; j < from + n; j++) {
      const t = c.time[j] as number;
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    if (n > 0) invalidatePackRange(store, instrumentId, tf, lo, hi);
    return copyCandles(store, instrumentId, tf, c, from, n, newId, orIgnore);
  }
  const verb = orIgnore ? 'INSERT OR IGNORE' : 'INSERT';
  const invalidate = packInvalidator(store);
  const { time, open, high, low, close, volume } = c;
  const shared = { i: instrumentId, tf };
  const args: unknown[] = new Array<unknown>(7 * INSERT_ROWS);
  let written = 0;
  const end = from + n;
  for (let i = from; i < end; i += INSERT_ROWS) {
    const rows = Math.min(INSERT_ROWS, end - i);
    if (rows < INSERT_ROWS) args.length = 7 * rows;
    for (let k = 0; k < rows; k++) {
      const j = i + k;
      const t = time[j] as number;
      invalidate(instrumentId, tf, t);
      const o = 7 * k;
      args[o] = newId();
      args[o + 1] = t;
      args[o + 2] = open[j];
      args[o + 3] = high[j];
      args[o + 4] = low[j];
      args[o + 5] = close[j];
      args[o + 6] = volume[j];
    }
    written += insertStatement(store, verb, rows).run(...args, shared).changes;
  }
  return written;
}

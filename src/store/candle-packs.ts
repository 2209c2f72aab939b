/**
 * The packed candle store (migration 012): for each (instrument, timeframe, bucket of 1440
 * candle periods: a UTC day of 1m candles, 60 days of 1h ones), one row holding that bucket's
 * candles as a BLOB of six little-endian float64 columns (time, open, high, low, close, volume;
 * n values each, oldest first). Reading a day is then one memcpy instead of 1440 row
 * conversions in better-sqlite3.
 *
 * The spec's `candles` table stays the source of truth and stays complete: a pack is only a
 * copy. Triggers on `candles` delete the pack of every bucket an UPDATE or DELETE touches, in
 * the same transaction, and the one insert path (candleInserter) deletes the pack of every
 * bucket it inserts into (migration 013: no per-row INSERT trigger), so a pack is never stale;
 * a bucket without a pack is read from the rows. Writers pack the buckets they have just
 * written (storePacks / packRange).
 *
 * Its statements are raw SQL on purpose (`?` placeholders, turned into $n on PostgreSQL): this is
 * the bulk candle fast path kept behind the candle repository. PostgreSQL has the same table
 * (migrations/pg/003: BYTEA, statement-level triggers); there the COPY insert path drops the packs
 * of the buckets a batch spans (invalidatePackRange), runs of whole packs are read with one binary
 * COPY (candles-pg.ts readPackBlobs) and a range with no pack is one binary COPY of the rows.
 */
import { emptyCandles, headCandles, type Candles } from '../core/candles.ts';
import { TIMEFRAME_MS, type Timeframe } from '../core/time.ts';
import { readCandleColumns, readPackBlobs } from './candles-pg.ts';
import type { Store } from './db.ts';
import { COLUMNS, copyPack, letBlobDie, LITTLE_ENDIAN } from './candle-pack-bytes.ts';

/** Candle periods per pack. */
export const PACK_PERIODS = 1440;

const T_MIN = -8.64e15;
const T_MAX = 8.64e15;

/** Width of a pack of timeframe `tf` in ms, or null when `tf` is not packed. */
export function packSpan(tf: string): number | null {
  const ms = (TIMEFRAME_MS as Readonly<Record<string, number>>)[tf];
  return LITTLE_ENDIAN && ms !== undefined ? PACK_PERIODS * ms : null;
}

/** The bucket of a timestamp: floor(trunc(t) / span), as the triggers compute it. */
export const bucketOf = (t: number, span: number): number => Math.floor(Math.trunc(t) / span);

/**
 * A function deleting the pack of (instrument, timeframe, bucket of `t`), for an insert at `t`:
 * one DELETE per bucket met in a row (inserts come in time order), none on a database without
 * the packed store. Use it for one run of inserts that nothing packs in between.
 */
export function packInvalidator(store: Store): (instrumentId: string, tf: string, t: number) => void {
  if (!packsEnabled(store)) return () => {};
  const del = store.prepare('DELETE FROM candle_packs WHERE instrument_id = ? AND timeframe = ? AND bucket = ?');
  let lastId = '';
  let lastTf = '';
  let lastBucket = NaN;
  return (instrumentId, tf, t) => {
    const span = packSpan(tf);
    if (span === null) return;
    const b = bucketOf(t, span);
    if (b === lastBucket && instrumentId === lastId && tf === lastTf) return;
    del.run(instrumentId, tf, b);
    lastId = instrumentId;
    lastTf = tf;
    lastBucket = b;
  };
}

/** packsEnabled's answer per PostgreSQL store (see there). */
const pgPacks = new WeakMap<Store, boolean>();

/**
 * Delete the packs of every bucket meeting [from, to] (times of timeframe `tf`): one statement,
 * for a bulk insert that does not go through packInvalidator (PostgreSQL's COPY, candles-pg.ts).
 * Conservative: a bucket of the span the batch skips loses its pack too, and is read from rows.
 */
export function invalidatePackRange(store: Store, instrumentId: string, tf: string, from: number, to: number): void {
  const span = packSpan(tf);
  if (span === null || from > to || !packsEnabled(store)) return;
  store
    .prepare('DELETE FROM candle_packs WHERE instrument_id = ? AND timeframe = ? AND bucket >= ? AND bucket <= ?')
    .run(instrumentId, tf, bucketOf(from, span), bucketOf(to, span));
}

/** Whether the database has the packed store (a database opened without migrating may not). */
export function packsEnabled(store: Store): boolean {
  if (store.dialect === 'postgres') {
    // a catalog round trip per read otherwise; cached once present (migrations only add it),
    // asked again while absent (an unmigrated database may be migrated through this store)
    if (pgPacks.get(store) === true) return true;
    const row = store.prepare("SELECT to_regclass('candle_packs') IS NOT NULL AS present").get() as { present: number };
    pgPacks.set(store, row.present === 1);
    return row.present === 1;
  }
  // asked by every candle write and read (~450 times in a 30-day `bot run`): the answer is kept
  // per connection with the schema's version (a cookie in the file header that every CREATE
  // or DROP changes), so a migration run through this connection, or by another process, is
  // seen, and the sqlite_master scan runs once per schema
  const version = (store.prepare('PRAGMA schema_version').get() as { schema_version: number }).schema_version;
  const known = sqlitePacks.get(store);
  if (known?.version === version) return known.present;
  const present = store.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'candle_packs'").get() !== undefined;
  sqlitePacks.set(store, { version, present });
  return present;
}

/** packsEnabled's answer per SQLite store, with the schema version it was read at. */
const sqlitePacks = new WeakMap<Store, { version: number; present: boolean }>();

/**
 * One piece of a range: a whole pack; part of a pack (a bucket the range cuts, `count` rows from
 * row `start`, its blob already read); or rows to read from `candles` with from <= timestamp < to
 * (to inclusive when `inclusive`).
 */
type Segment =
  | { kind: 'pack'; bucket: number; n: number }
  | { kind: 'slice'; blob: Uint8Array; n: number; start: number; count: number }
  | { kind: 'rows'; from: number; to: number; inclusive: boolean };

/**
 * How to read [from, to]: the packs of buckets lying wholly inside it, the parts inside it of
 * packed buckets it cuts (at both ends: reading an hour of a packed day is a slice of its
 * pack), and row ranges for buckets without a pack.
 */
function plan(store: Store, instrumentId: string, tf: Timeframe, from: number, to: number): Segment[] {
  const span = packSpan(tf);
  if (span === null || !packsEnabled(store) || from > to) return [{ kind: 'rows', from, to, inclusive: true }];
  const packs = store
    .prepare('SELECT bucket, n FROM candle_packs WHERE instrument_id = ? AND timeframe = ? AND bucket >= ? AND bucket <= ? ORDER BY bucket')
    .raw(true)
    .all(instrumentId, tf, bucketOf(from, span), bucketOf(to, span)) as [number, number][];
  const segs: Segment[] = [];
  let cursor = from;
  for (const [bucket, n] of packs) {
    const start = bucket * span;
    if (start > cursor) segs.push({ kind: 'rows', from: cursor, to: start, inclusive: false });
    if (start >= from && start + span <= to) segs.push({ kind: 'pack', bucket, n });
    else {
      const s = slice(store, instrumentId, tf, bucket, n, from, to);
      if (s.count > 0) segs.push(s);
    }
    cursor = start + span;
  }
  if (cursor <= to) segs.push({ kind: 'rows', from: cursor, to, inclusive: true });
  return segs;
}

/** The rows of a pack with from <= time <= to (times are sorted: two binary searches). */
function slice(
  store: Store,
  instrumentId: string,
  tf: Timeframe,
  bucket: number,
  n: number,
  from: number,
  to: number,
): Extract<Segment, { kind: 'slice' }> {
  const blob = (
    store
      .prepare('SELECT data FROM candle_packs WHERE instrument_id = ? AND timeframe = ? AND bucket = ?')
      .get(instrumentId, tf, bucket) as {
      data: Uint8Array;
    }
  ).data;
  const view = new DataView(blob.buffer, blob.byteOffset, n * 8);
  const firstAbove = (t: number, orEqual: boolean): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = view.getFloat64(mid * 8, true);
      if (v < t || (orEqual && v === t)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const start = firstAbove(from, false); // first time >= from
  return { kind: 'slice', blob, n, start, count: firstAbove(to, true) - start }; // up to the first time > to
}

export function countRows(store: Store, instrumentId: string, tf: Timeframe, s: Extract<Segment, { kind: 'rows' }>): number {
  const op = s.inclusive ? '<=' : '<';
  return (
    store
      .prepare(`SELECT COUNT(*) AS n FROM candles WHERE instrument_id = ? AND timeframe = ? AND timestamp >= ? AND timestamp ${op} ?`)
      .get(instrumentId, tf, s.from, s.to) as { n: number }
  ).n;
}

function segCount(store: Store, instrumentId: string, tf: Timeframe, s: Segment): number {
  return s.kind === 'pack' ? s.n : s.kind === 'slice' ? s.count : countRows(store, instrumentId, tf, s);
}

/** Rows per read of a row segment: enough to amortise the call, few enough to die young in the GC. */
const READ_CHUNK = 8192;

/** Read a row segment into the columns at `i` (at most `max` rows); returns the rows read. */
export function readRows(
  store: Store,
  instrumentId: string,
  tf: Timeframe,
  s: Extract<Segment, { kind: 'rows' }>,
  out: Candles,
  i0: number,
  max: number,
): number {
  if (store.dialect === 'postgres') {
    // no packs there: one binary COPY read into column arrays in the bridge's worker (candles-pg.ts)
    const c = readCandleColumns(store, instrumentId, tf, s.from, s.to, s.inclusive, max);
    for (const col of COLUMNS) out[col].set(c[col], i0);
    return c.time.length;
  }
  const st = store
    .prepare(
      `SELECT timestamp, open, high, low, close, volume FROM candles
    WHERE instrument_id = ? AND timeframe = ? AND timestamp >= ? AND timestamp ${s.inclusive ? '<=' : '<'} ? ORDER BY timestamp LIMIT ?`,
    )
    .raw(true);
  const { time, open, high, low, close, volume } = out;
  let from = s.from;
  let i = i0;
  const end = i0 + max;
  while (i < end) {
    const want = Math.min(READ_CHUNK, end - i);
    const rows = st.all(instrumentId, tf, from, s.to, want) as number[][];
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k] as number[];
      time[i] = r[0] as number;
      open[i] = r[1] as number;
      high[i] = r[2] as number;
      low[i] = r[3] as number;
      close[i] = r[4] as number;
      volume[i] = r[5] as number;
      i++;
    }
    if (rows.length < want) break;
    from = Math.floor(time[i - 1] as number) + 1; // timestamps are integer epoch ms
  }
  return i - i0;
}

/** Candles in [from, to] (count first: exact), in one read snapshot. */
export function countPacked(store: Store, instrumentId: string, tf: Timeframe, from = T_MIN, to = T_MAX): number {
  return snapshot(store, () => {
    let n = 0;
    for (const s of plan(store, instrumentId, tf, from, to)) n += segCount(store, instrumentId, tf, s);
    return n;
  });
}

/** Read at most `max` candles of [from, to] into `out` at `offset`; returns how many. */
export function readPacked(
  store: Store,
  instrumentId: string,
  tf: Timeframe,
  from: number,
  to: number,
  out: Candles,
  offset: number,
  max: number,
): number {
  return snapshot(store, () => readPlan(store, instrumentId, tf, plan(store, instrumentId, tf, from, to), out, offset, max));
}

/** One thread's share of a range: the candles with from <= time <= to, `count` of them, at `offset` in the whole. */
export interface RangeShare {
  readonly from: number;
  readonly to: number;
  readonly offset: number;
  readonly count: number;
}

/**
 * [from, to] cut into at most `parts` consecutive shares of about equal counts (to load it on
 * several threads), cut only where the read plan has a seam (a pack's edge, a run of rows), so
 * the counts come from the packs' `n` instead of walking the rows (an OFFSET walks them all).
 * Counted in one snapshot; empty for an empty range.
 */
export function splitPacked(store: Store, instrumentId: string, tf: Timeframe, from: number, to: number, parts: number): RangeShare[] {
  return snapshot(store, () => {
    const segs = plan(store, instrumentId, tf, from, to);
    const counts = segs.map((s) => segCount(store, instrumentId, tf, s));
    const n = counts.reduce((a, b) => a + b, 0);
    if (n === 0) return [];
    // the seams: before segment k (k >= 1), at the segment's first time
    const startOf = (s: Segment): number =>
      s.kind === 'pack'
        ? s.bucket * (packSpan(tf) as number)
        : s.kind === 'rows'
          ? s.from
          : new DataView(s.blob.buffer, s.blob.byteOffset).getFloat64(s.start * 8, true);
    const shares: RangeShare[] = [];
    let offset = 0;
    let shareFrom = from;
    let k = 0;
    let seen = 0; // rows before segment k
    for (let p = 1; p < parts; p++) {
      const target = (p * n) / parts;
      // the seam closest to the target, after the current share's start
      let best = -1;
      let bestBefore = 0;
      for (let j = k + 1, before = seen + (counts[k] as number); j < segs.length; before += counts[j] as number, j++) {
        if (best < 0 || Math.abs(before - target) < Math.abs(bestBefore - target)) {
          best = j;
          bestBefore = before;
        }
        if (before >= target) break;
      }
      if (best < 0) break;
      const cut = startOf(segs[best] as Segment);
      shares.push({ from: shareFrom, to: cut - 1, offset, count: bestBefore - offset });
      offset = bestBefore;
      shareFrom = cut;
      seen = bestBefore;
      k = best;
    }
    shares.push({ from: shareFrom, to, offset, count: n - offset });
    return shares;
  });
}

/** Every candle of [from, to], counted then read in one snapshot. */
export function loadPacked(store: Store, instrumentId: string, tf: Timeframe, from: number, to: number): Candles {
  return snapshot(store, () => {
    const segs = plan(store, instrumentId, tf, from, to);
    const only = segs.length === 1 ? (segs[0] as Segment) : null;
    // PostgreSQL, nothing packed: one binary COPY of the rows, no count first
    if (store.dialect === 'postgres' && only?.kind === 'rows')
      return readCandleColumns(store, instrumentId, tf, only.from, only.to, only.inclusive, null);
    let n = 0;
    for (const s of segs) n += segCount(store, instrumentId, tf, s);
    const out = emptyCandles(n);
    const got = readPlan(store, instrumentId, tf, segs, out, 0, n); // = n: one snapshot
    return got === n ? out : headCandles(out, got);
  });
}

function readPlan(
  store: Store,
  instrumentId: string,
  tf: Timeframe,
  segs: readonly Segment[],
  out: Candles,
  offset: number,
  max: number,
): number {
  let i = offset;
  const end = offset + max;
  const blobs = store
    .prepare(
      'SELECT bucket, n, data FROM candle_packs WHERE instrument_id = ? AND timeframe = ? AND bucket >= ? AND bucket <= ? ORDER BY bucket',
    )
    .raw(true);
  for (let k = 0; k < segs.length && i < end; k++) {
    const s = segs[k] as Segment;
    if (s.kind === 'rows') {
      i += readRows(store, instrumentId, tf, s, out, i, end - i);
      continue;
    }
    if (s.kind === 'slice') {
      const take = Math.min(s.count, end - i);
      copyPack(s.blob, s.n, out, i, take, s.start);
      i += take;
      continue;
    }
    // a run of consecutive packs: one statement walks them
    let last = k;
    while (last + 1 < segs.length && (segs[last + 1] as Segment).kind === 'pack') last++;
    const lastBucket = (segs[last] as Extract<Segment, { kind: 'pack' }>).bucket;
    // PostgreSQL: one binary COPY of the run's packs (candles-pg.ts), not hex text
    const run =
      store.dialect === 'postgres'
        ? readPackBlobs(store, instrumentId, tf, s.bucket, lastBucket)
        : (blobs.iterate(instrumentId, tf, s.bucket, lastBucket) as IterableIterator<[number, number, Uint8Array]>);
    for (const row of run) {
      const [, n, blob] = row;
      const take = Math.min(n, end - i);
      copyPack(blob, n, out, i, take);
      if (store.dialect === 'sqlite') letBlobDie(blob.length);
      i += take;
      if (i >= end) break;
    }
    k = last;
  }
  return i - offset;
}

/** Run `fn` in one read snapshot (a deferred transaction, or the caller's). */
function snapshot<T>(store: Store, fn: () => T): T {
  return store.snapshot(fn);
}

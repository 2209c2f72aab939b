/**
 * The writers of the packed store (see candle-packs.ts): after candles are written, their
 * buckets are packed again, from the batch just written where it is the whole bucket's tail.
 */
import { emptyCandles, type Candles } from '../core/candles.ts';
import type { Timeframe } from '../core/time.ts';
import type { Store } from './db.ts';
import { COLUMNS, encodePack } from './candle-pack-bytes.ts';
import { bucketOf, countRows, packsEnabled, packSpan, readRows } from './candle-packs.ts';

function writePack(store: Store, instrumentId: string, tf: Timeframe, bucket: number, data: Uint8Array, n: number): void {
  // PostgreSQL has no INSERT OR REPLACE: an upsert on the pack key (uq_candle_packs_key) does the
  // same to this table (no other unique key, nothing references a pack row)
  const sql =
    store.dialect === 'postgres'
      ? `INSERT INTO candle_packs (instrument_id, timeframe, bucket, n, data) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (instrument_id, timeframe, bucket) DO UPDATE SET n = excluded.n, data = excluded.data`
      : 'INSERT OR REPLACE INTO candle_packs (instrument_id, timeframe, bucket, n, data) VALUES (?, ?, ?, ?, ?)';
  store.prepare(sql).run(instrumentId, tf, bucket, n, data);
}

/**
 * Pack the buckets of candles just written: `c` (n rows, oldest first) were all inserted with
 * a plain INSERT in the current transaction. A bucket whose stored rows are exactly those of
 * `c` is packed from `c`; a bucket that also holds older rows is packed from the table.
 * `appended`: the caller knows every row it wrote is later than every row stored before (the
 * synthetic market's extension), so a bucket holds its older rows and the batch's, nothing
 * else: only the older rows are counted (a few at most), not the whole bucket (a day of 1m rows
 * walked by COUNT(*), ~260 us, twice per instrument and simulated day of a `bot run`).
 */
export function storePacks(store: Store, instrumentId: string, tf: Timeframe, c: Candles, n = c.time.length, appended = false): void {
  const span = packSpan(tf);
  if (span === null || n === 0 || !packsEnabled(store)) return;
  let i = 0;
  while (i < n) {
    const b = bucketOf(c.time[i] as number, span);
    let j = i + 1;
    while (j < n && bucketOf(c.time[j] as number, span) === b) j++;
    const older = { kind: 'rows', from: b * span, to: c.time[i] as number, inclusive: false } as const;
    // appended: the rows before the batch in its first bucket, none in the later ones
    const appendedBefore = appended && i === 0 ? countRows(store, instrumentId, tf, older) : 0;
    const stored = appended
      ? appendedBefore + (j - i)
      : countRows(store, instrumentId, tf, { kind: 'rows', from: b * span, to: (b + 1) * span, inclusive: false });
    const before = appended ? appendedBefore : stored === j - i ? 0 : countRows(store, instrumentId, tf, older);
    if (stored === before + (j - i)) {
      // the bucket holds `before` older rows, all before the batch (appending to a day): those
      // rows and the batch, without reading the batch back
      const all = emptyCandles(stored);
      if (before > 0) readRows(store, instrumentId, tf, older, all, 0, before);
      for (const col of COLUMNS) all[col].set(c[col].subarray(i, j), before);
      writePack(store, instrumentId, tf, b, encodePack(all, 0, stored), stored);
    } else packBucket(store, instrumentId, tf, b, span);
    i = j;
  }
}

/** Pack every bucket meeting [from, to] from the table's rows (after any write to that range). */
export function packRange(store: Store, instrumentId: string, tf: Timeframe, from: number, to: number): void {
  const span = packSpan(tf);
  if (span === null || !packsEnabled(store) || from > to) return;
  for (let b = bucketOf(from, span); b <= bucketOf(to, span); b++) packBucket(store, instrumentId, tf, b, span);
}

function packBucket(store: Store, instrumentId: string, tf: Timeframe, b: number, span: number): void {
  const seg = { kind: 'rows', from: b * span, to: (b + 1) * span, inclusive: false } as const;
  const n = countRows(store, instrumentId, tf, seg);
  if (n === 0) return;
  const c = emptyCandles(n);
  readRows(store, instrumentId, tf, seg, c, 0, n);
  writePack(store, instrumentId, tf, b, encodePack(c, 0, n), n);
}

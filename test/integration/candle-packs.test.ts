/**
 * The packed candle store (migration 012) is a copy of the candles table that is never stale:
 * after any write (imports in every mode, deletes, updates, seed, extending the market) every
 * pack holds exactly its bucket's rows, and reading any range through the packs gives exactly
 * what a plain SELECT gives.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { migrateDown, migrateUp } from '../../src/store/migrator.ts';
import { MIGRATION_NAMES } from '../../migrations/names.ts';
import { countCandles, loadCandles, loadCandlesInto, splitCandles } from '../../src/store/candles.ts';
import { PACK_PERIODS } from '../../src/store/candle-packs.ts';
import { packRange } from '../../src/store/candle-pack-writes.ts';
import { CandleWriter, deleteCandles, type ImportMode } from '../../src/store/market-data.ts';
import { emptyCandles, type Candles } from '../../src/core/candles.ts';
import { insertInstrument, findInstrument } from '../../src/store/instruments.ts';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { TIMEFRAME_MS, type Timeframe } from '../../src/core/time.ts';
import { extendImported, extendMarket } from '../../src/app/extend.ts';
import { candleInserter } from '../../src/store/candles.ts';
import { seedDatabase } from '../../src/app/seed.ts';
import { newId } from '../../src/store/ids.ts';
import type { SqliteStore as Store } from '../../src/store/db.ts';
import { tempStore } from '../helpers/store.ts';

const BEFORE_012 = MIGRATION_NAMES[MIGRATION_NAMES.indexOf('012_candle_packs') - 1] as string;
const T0 = Date.UTC(2025, 0, 1);
const MIN = 60_000;

type Row = [number, number, number, number, number, number];

const plain = (store: Store, id: string, tf: string, from: number, to: number): Row[] =>
  store.sqlite
    .prepare(
      `SELECT timestamp, open, high, low, close, volume
  FROM candles WHERE instrument_id = ? AND timeframe = ? AND timestamp >= ? AND timestamp <= ? ORDER BY timestamp`,
    )
    .raw(true)
    .all(id, tf, from, to) as Row[];
const rowsOf = (c: Candles): Row[] => Array.from(c.time, (t, i) => [t, c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i]] as Row);

/** Every pack holds exactly the rows of its bucket (and no bucket's pack is empty). */
function expectPacksExact(store: Store): number {
  const packs = store.sqlite.prepare('SELECT instrument_id, timeframe, bucket, n, data FROM candle_packs').all() as {
    instrument_id: string;
    timeframe: Timeframe;
    bucket: number;
    n: number;
    data: Buffer;
  }[];
  for (const p of packs) {
    const span = PACK_PERIODS * TIMEFRAME_MS[p.timeframe];
    const f = new Float64Array(new Uint8Array(p.data).buffer);
    expect(f.length).toBe(6 * p.n);
    const got = Array.from({ length: p.n }, (_, k) => [0, 1, 2, 3, 4, 5].map((c) => f[c * p.n + k]) as Row);
    expect(p.n).toBeGreaterThan(0);
    expect(got).toEqual(plain(store, p.instrument_id, p.timeframe, p.bucket * span, (p.bucket + 1) * span - 1));
  }
  return packs.length;
}

/** Reads through the packs equal a plain SELECT for these ranges (count, whole read, read at an offset). */
function expectReadsExact(store: Store, id: string, tf: Timeframe, ranges: readonly [number, number][]): void {
  for (const [from, to] of ranges) {
    const want = plain(store, id, tf, from, to);
    expect(countCandles(store, id, { from, to }, tf)).toBe(want.length);
    expect(rowsOf(loadCandles(store, id, { from, to }, tf))).toEqual(want);
    const max = Math.max(0, want.length - 7);
    const out = emptyCandles(max + 3);
    expect(loadCandlesInto(store, id, { from, to }, tf, out, 3, max)).toBe(max);
    expect(rowsOf(out).slice(3)).toEqual(want.slice(0, max));
    expectSplitExact(store, id, tf, from, to, want);
  }
}

/** The shares of a split load (optimize's threads) tile the range: contiguous, and each reads its rows. */
function expectSplitExact(store: Store, id: string, tf: Timeframe, from: number, to: number, want: readonly Row[]): void {
  for (const parts of [1, 2, 3]) {
    const shares = splitCandles(store, id, { from, to }, tf, parts);
    if (want.length === 0) {
      expect(shares).toEqual([]);
      continue;
    }
    expect(shares.length).toBeGreaterThanOrEqual(1);
    expect(shares.length).toBeLessThanOrEqual(parts);
    expect(shares[0]?.from).toBe(from);
    expect(shares.at(-1)?.to).toBe(to);
    let offset = 0;
    for (const [k, s] of shares.entries()) {
      if (k > 0) expect(s.from).toBe((shares[k - 1]?.to as number) + 1);
      expect(s.offset).toBe(offset);
      const out = emptyCandles(s.count);
      expect(loadCandlesInto(store, id, { from: s.from, to: s.to }, tf, out, 0, s.count + 1)).toBe(s.count);
      expect(rowsOf(out)).toEqual(want.slice(offset, offset + s.count));
      offset += s.count;
    }
    expect(offset).toBe(want.length);
  }
}

const price = fc.oneof(fc.double({ min: 0.01, max: 1e6, noNaN: true }), fc.integer({ min: 1, max: 1_000_000 }));

/** A batch of `n` candles every `step` ms from `start` (prices as the generator would not make them: any double). */
const batch = (start: number, step: number, values: readonly number[]): Candles => {
  const c = emptyCandles(values.length);
  values.forEach((v, i) => {
    c.time[i] = start + i * step;
    c.open[i] = v;
    c.high[i] = v * 2;
    c.low[i] = v / 3;
    c.close[i] = v + 0.125;
    c.volume[i] = i % 5 === 0 ? -0 : v / 7;
  });
  return c;
};

describe('candle packs', () => {
  it('migration 012 packs an existing file, every pack exact; down removes the store and keeps every row', async () => {
    const { store, cleanup } = await tempStore();
    try {
      await migrateDown(store, { to: BEFORE_012 });
      const id = insertInstrument(store, SEED_INSTRUMENTS[0] as (typeof SEED_INSTRUMENTS)[number], '2025-01-01T00:00:00.000Z');
      const ins = store.sqlite.prepare(
        'INSERT INTO candles (id, instrument_id, timeframe, timestamp, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      store.tx(() => {
        // 3.5 days of 1m from mid-day, a gap, 70 days of 1h: partial buckets at both ends
        for (let i = 0; i < 5040; i++)
          ins.run(newId(), id, '1m', T0 + 720 * MIN + i * MIN, 100 + i / 8, 101 + i, 99, 100.5 + Math.sin(i), i % 3);
        for (let i = 0; i < 1680; i++) ins.run(newId(), id, '1h', T0 + 10 * 86_400_000 + i * 3_600_000, 5 + i, 6 + i, 4, 5.5, 1e-8 * i);
      });
      const all = store.sqlite.prepare('SELECT * FROM candles ORDER BY id').all();
      await migrateUp(store);
      expect(expectPacksExact(store)).toBe(4 + 3); // days 1-4 of 1m (1st and 4th partial); 1h over three epoch-aligned 60-day buckets
      expectReadsExact(store, id, '1m', [
        [-8.64e15, 8.64e15],
        [T0, T0 + 2 * 86_400_000],
        [T0 + 86_400_000, T0 + 2 * 86_400_000 - 1],
        [T0 + 86_400_000 + 1, T0 + 3 * 86_400_000 + 5 * MIN],
      ]);
      expectReadsExact(store, id, '1h', [
        [-8.64e15, 8.64e15],
        [T0 + 20 * 86_400_000, T0 + 200 * 86_400_000],
      ]);
      await migrateDown(store, { to: BEFORE_012 });
      expect(store.sqlite.prepare("SELECT name FROM sqlite_master WHERE name LIKE '%pack%'").all()).toEqual([]);
      expect(store.sqlite.prepare('SELECT * FROM candles ORDER BY id').all()).toEqual(all);
      expect(rowsOf(loadCandles(store, id))).toEqual(plain(store, id, '1m', -8.64e15, 8.64e15)); // reads without the store
    } finally {
      cleanup();
    }
  });

  it('stays exact under any sequence of imports (every mode), deletes, updates and repacks', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const id = insertInstrument(store, SEED_INSTRUMENTS[0] as (typeof SEED_INSTRUMENTS)[number], '2025-01-01T00:00:00.000Z');
      const DAY_MIN = 1440;
      const op = fc.oneof(
        fc.record({
          kind: fc.constant('write' as const),
          mode: fc.constantFrom<ImportMode>('refuse', 'merge', 'replace'),
          tf: fc.constantFrom<Timeframe>('1m', '1h'),
          start: fc.integer({ min: 0, max: 4 * DAY_MIN }),
          values: fc.array(price, { minLength: 1, maxLength: 3000 }),
          split: fc.integer({ min: 1, max: 3000 }),
        }),
        fc.record({
          kind: fc.constant('delete' as const),
          start: fc.integer({ min: 0, max: 5 * DAY_MIN }),
          len: fc.integer({ min: 0, max: 2 * DAY_MIN }),
        }),
        fc.record({ kind: fc.constant('update' as const), at: fc.integer({ min: 0, max: 5 * DAY_MIN }), v: price }),
        fc.record({
          kind: fc.constant('pack' as const),
          start: fc.integer({ min: 0, max: 5 * DAY_MIN }),
          len: fc.integer({ min: 0, max: 3 * DAY_MIN }),
        }),
      );
      fc.assert(
        fc.property(
          fc.array(op, { minLength: 1, maxLength: 6 }),
          fc.array(fc.tuple(fc.integer({ min: -10, max: 6 * DAY_MIN }), fc.integer({ min: 0, max: 6 * DAY_MIN })), {
            minLength: 3,
            maxLength: 3,
          }),
          (ops, ranges) => {
            store.sqlite.exec('DELETE FROM candles');
            for (const o of ops) {
              if (o.kind === 'write') {
                const step = TIMEFRAME_MS[o.tf];
                const c = batch(T0 + o.start * MIN - ((T0 + o.start * MIN) % step), step, o.values);
                try {
                  store.sqlite.transaction(() => {
                    const w = new CandleWriter(store, id, o.tf, o.mode);
                    for (let k = 0; k < c.time.length; k += o.split) {
                      const n = Math.min(o.split, c.time.length - k);
                      const part = emptyCandles(n);
                      for (const col of ['time', 'open', 'high', 'low', 'close', 'volume'] as const)
                        part[col].set(c[col].subarray(k, k + n));
                      w.write(part, n);
                    }
                  })();
                } catch (e) {
                  expect(String(e)).toMatch(/UNIQUE|PRIMARY KEY/); // refuse over stored rows: rolled back
                }
              } else if (o.kind === 'delete') {
                store.tx(() => deleteCandles(store, id, T0 + o.start * MIN, T0 + (o.start + o.len) * MIN));
              } else if (o.kind === 'update') {
                store.sqlite
                  .prepare('UPDATE candles SET close = ? WHERE instrument_id = ? AND timestamp = ?')
                  .run(o.v, id, T0 + o.at * MIN);
              } else {
                store.tx(() => packRange(store, id, '1m', T0 + o.start * MIN, T0 + (o.start + o.len) * MIN));
              }
              expectPacksExact(store);
            }
            const rs = ranges.map(([a, len]) => [T0 + a * MIN, T0 + (a + len) * MIN] as [number, number]);
            expectReadsExact(store, id, '1m', [[-8.64e15, 8.64e15], ...rs]);
            expectReadsExact(store, id, '1h', [[-8.64e15, 8.64e15], ...rs]);
          },
        ),
        { numRuns: 25 },
      );
    } finally {
      cleanup();
    }
  });

  it('seed and extending the market pack every day they write', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const end = Date.UTC(2026, 0, 1, 13, 7);
      seedDatabase(store, {
        days: 3,
        end,
        seed: 7,
        reset: false,
        instruments: SEED_INSTRUMENTS.slice(0, 2),
        nowIso: '2026-01-01T00:00:00.000Z',
        demoPasswordHash: 'x',
      });
      expect(expectPacksExact(store)).toBe(2 * 4); // 3 days ending mid-day: 4 UTC days each
      // seed drops the triggers for its bulk insert: they are back (inserts invalidate without one: migration 013)
      expect(
        (
          store.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'candles' ORDER BY name").all() as {
            name: string;
          }[]
        ).map((t) => t.name),
      ).toEqual(['tr_candles_packs_delete', 'tr_candles_packs_update']);
      const inst = findInstrument(store, 'BTC-USD');
      expect(store.tx(() => extendMarket(store, inst, end + 2.5 * 86_400_000))).toBe(3 * 1440);
      expect(expectPacksExact(store)).toBe(2 * 4 + 3); // the day it continued was repacked, three more
      const packed = (store.sqlite.prepare('SELECT SUM(n) AS n FROM candle_packs WHERE instrument_id = ?').get(inst.id) as { n: number }).n;
      expect(packed).toBe(6 * 1440); // every row of the instrument is in a pack
      expectReadsExact(store, inst.id, '1m', [
        [-8.64e15, 8.64e15],
        [end - 86_400_000, end + 86_400_000],
      ]);
    } finally {
      cleanup();
    }
  });

  it('extending imported history packs what it writes, over a packed partial bucket', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const id = insertInstrument(store, SEED_INSTRUMENTS[0] as (typeof SEED_INSTRUMENTS)[number], '2025-01-01T00:00:00.000Z');
      const H = 3_600_000;
      store.tx(() => new CandleWriter(store, id, '1h', 'refuse').write(batch(T0 + 5 * H, H, [10, 11, 12, 13, 12, 11, 10, 9]), 8));
      expect(expectPacksExact(store)).toBe(1);
      const inst = findInstrument(store, 'BTC-USD');
      const added = store.tx(() => extendImported(store, inst, T0 + 100 * 86_400_000, '2025-01-01T00:00:00.000Z'));
      expect(added).toBe(100 * 24 - 1 - 12); // from 13:00 on day 0 up to the last 1h candle closed by the target
      expect(expectPacksExact(store)).toBe(3); // epoch-aligned 60-day buckets 334 (the one it continued), 335, 336
      const packed = (store.sqlite.prepare('SELECT SUM(n) AS n FROM candle_packs WHERE instrument_id = ?').get(id) as { n: number }).n;
      expect(packed).toBe(8 + added);
      expectReadsExact(store, id, '1h', [
        [-8.64e15, 8.64e15],
        [T0 + 7 * H, T0 + 70 * 86_400_000],
      ]);
    } finally {
      cleanup();
    }
  });

  it('an insert drops the pack of its bucket without a trigger (migration 013), until the writer repacks', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const id = insertInstrument(store, SEED_INSTRUMENTS[0] as (typeof SEED_INSTRUMENTS)[number], '2025-01-01T00:00:00.000Z');
      store.tx(() => new CandleWriter(store, id, '1m', 'refuse').write(batch(T0, MIN, [1, 2, 3, 4]), 4));
      store.tx(() => new CandleWriter(store, id, '1m', 'refuse').write(batch(T0 + 86_400_000, MIN, [5, 6]), 2));
      expect(expectPacksExact(store)).toBe(2);
      const triggers = store.sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name = 'tr_candles_packs_insert'")
        .all();
      expect(triggers).toEqual([]);
      store.tx(() => candleInserter(store)(newId(), id, '1m', T0 + 10 * MIN, 7, 8, 6, 7.5, 1)); // a bare insert, not repacked
      const buckets = store.sqlite.prepare('SELECT bucket FROM candle_packs WHERE instrument_id = ? ORDER BY bucket').all(id);
      expect(buckets).toEqual([{ bucket: T0 / 86_400_000 + 1 }]); // only the day it wrote into lost its pack
      expectPacksExact(store);
      expectReadsExact(store, id, '1m', [
        [-8.64e15, 8.64e15],
        [T0 + 2 * MIN, T0 + 86_400_000],
      ]);
      // rolling 013 back restores the trigger
      await migrateDown(store, { to: '013_candle_packs_insert_invalidation' });
      store.tx(() => candleInserter(store)(newId(), id, '1m', T0 + 86_400_000 + 10 * MIN, 7, 8, 6, 7.5, 1));
      expect(store.sqlite.prepare('SELECT COUNT(*) AS n FROM candle_packs').get()).toEqual({ n: 0 });
      await migrateUp(store);
    } finally {
      cleanup();
    }
  });
});

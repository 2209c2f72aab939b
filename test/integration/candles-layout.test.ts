/**
 * Migration 010 (candles clustered on instrument, timeframe, timestamp) and the chunked read
 * path into column arrays: every row and column survives the conversion both ways, and the
 * reads give exactly what a plain query gives, across chunk boundaries and ranges.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { migrateDown, migrateUp } from '../../src/store/migrator.ts';
import { MIGRATION_NAMES } from '../../migrations/names.ts';
import { countCandles, loadCandles, loadCandlesInto } from '../../src/store/candles.ts';
import { emptyCandles } from '../../src/core/candles.ts';
import { insertInstrument } from '../../src/store/instruments.ts';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { newId } from '../../src/store/ids.ts';
import type { SqliteStore as Store } from '../../src/store/db.ts';
import { candleKey, tempStore } from '../helpers/store.ts';

const BEFORE_010 = MIGRATION_NAMES[MIGRATION_NAMES.indexOf('010_candles_clustered') - 1] as string;
const T0 = Date.UTC(2025, 0, 1);

/** Rows in a scrambled order (ids not in key order), two instruments, two timeframes. */
function insertScrambled(store: Store, n: number): string[] {
  const ids = SEED_INSTRUMENTS.slice(0, 2).map((spec) => insertInstrument(store, spec, '2025-01-01T00:00:00.000Z'));
  const insert = store.sqlite.prepare(
    'INSERT INTO candles (id, instrument_id, timeframe, timestamp, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  store.tx(() => {
    for (let k = 0; k < n; k++) {
      const i = (k * 7919) % n; // a permutation of 0..n-1 (7919 is prime, n is not a multiple)
      const p = 100 + Math.sin(i) * 10 + i / 3;
      insert.run(newId(), ids[i % 2], '1m', T0 + i * 60_000, p, p + 0.5, p - 0.25, p + 0.125, 1 + (i % 17) / 3);
      if (i % 60 === 0) insert.run(newId(), ids[i % 2], '1h', T0 + i * 60_000, p, p + 1, p - 1, p, 42.5);
    }
  });
  return ids;
}

const allRows = (store: Store) => store.sqlite.prepare('SELECT * FROM candles ORDER BY id').all();

describe('migration 010: clustered candles', () => {
  it('converts an existing file without losing or changing a row, and back', async () => {
    const { store, cleanup } = await tempStore();
    try {
      await migrateDown(store, { to: BEFORE_010 });
      expect(candleKey(store.sqlite)).toEqual([]);
      insertScrambled(store, 3001);
      const before = allRows(store);
      expect(before.length).toBeGreaterThan(3001);

      await migrateUp(store);
      expect(candleKey(store.sqlite)).toEqual(['instrument_id', 'timeframe', 'timestamp']);
      expect(allRows(store)).toEqual(before);
      const dup = store.sqlite.prepare(
        'INSERT INTO candles (id, instrument_id, timeframe, timestamp, open, high, low, close, volume) SELECT ?, instrument_id, timeframe, timestamp, 1, 1, 1, 1, 1 FROM candles LIMIT 1',
      );
      expect(() => dup.run(newId())).toThrow(/UNIQUE|PRIMARY KEY/); // same (instrument, timeframe, timestamp)
      const sameId = store.sqlite.prepare(
        "INSERT INTO candles (id, instrument_id, timeframe, timestamp, open, high, low, close, volume) SELECT id, instrument_id, '1d', timestamp, 1, 1, 1, 1, 1 FROM candles LIMIT 1",
      );
      expect(() => sameId.run()).toThrow(/UNIQUE/); // the spec's id stays a unique key
      expect(store.sqlite.pragma('foreign_key_check(candles)')).toEqual([]);

      await migrateDown(store, { to: BEFORE_010 });
      expect(candleKey(store.sqlite)).toEqual([]);
      expect(allRows(store)).toEqual(before);
      const idx = (store.sqlite.prepare('PRAGMA index_list(candles)').all() as { name: string }[]).map((i) => i.name);
      expect(idx).toEqual(
        expect.arrayContaining([
          'ix_candles_instrument_id',
          'ix_candles_timeframe',
          'ix_candles_timestamp',
          'uq_candles_instrument_timeframe_timestamp',
        ]),
      );
    } finally {
      cleanup();
    }
  });

  it('deleting an instrument still cascades to its candles', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const [a, b] = insertScrambled(store, 301);
      store.sqlite.prepare('DELETE FROM instruments WHERE id = ?').run(a);
      const left = store.sqlite.prepare('SELECT DISTINCT instrument_id AS i FROM candles').all() as { i: string }[];
      expect(left.map((r) => r.i)).toEqual([b]);
    } finally {
      cleanup();
    }
  });
});

describe('reading candles into column arrays', () => {
  it('gives exactly the rows of a plain query, for any range, offset and limit', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const n = 20_011; // about 10,000 rows per instrument: more than one read chunk
      const [a] = insertScrambled(store, n) as [string];
      const plain = (from: number, to: number) =>
        store.sqlite
          .prepare(
            `SELECT timestamp, open, high, low, close, volume FROM candles
        WHERE instrument_id = ? AND timeframe = '1m' AND timestamp BETWEEN ? AND ? ORDER BY timestamp`,
          )
          .raw(true)
          .all(a, from, to) as number[][];
      const cols = (c: ReturnType<typeof loadCandles>) =>
        Array.from(c.time, (t, i) => [t, c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i]]);

      const whole = loadCandles(store, a);
      expect(whole.time.length).toBe(Math.ceil(n / 2));
      expect(cols(whole)).toEqual(plain(-8.64e15, 8.64e15));

      fc.assert(
        fc.property(
          fc.integer({ min: -5, max: n + 5 }),
          fc.integer({ min: 0, max: n + 5 }),
          fc.integer({ min: 0, max: 12_000 }),
          fc.integer({ min: 0, max: 3 }),
          (lo, span, max, offset) => {
            const range = { from: T0 + lo * 60_000, to: T0 + (lo + span) * 60_000 };
            const expected = plain(range.from, range.to);
            expect(countCandles(store, a, range)).toBe(expected.length);
            expect(cols(loadCandles(store, a, range))).toEqual(expected);
            const out = emptyCandles(offset + max);
            const got = loadCandlesInto(store, a, range, '1m', out, offset, max);
            expect(got).toBe(Math.min(max, expected.length));
            expect(Array.from(out.time.subarray(0, offset))).toEqual(new Array(offset).fill(0)); // nothing before the offset
            expect(Array.from(out.close.subarray(offset, offset + got))).toEqual(expected.slice(0, got).map((r) => r[4]));
          },
        ),
        { numRuns: 15 },
      );
      const hourly = store.sqlite
        .prepare(
          `SELECT timestamp, open, high, low, close, volume FROM candles
        WHERE instrument_id = ? AND timeframe = '1h' ORDER BY timestamp`,
        )
        .raw(true)
        .all(a) as number[][];
      expect(hourly.length).toBeGreaterThan(50);
      expect(cols(loadCandles(store, a, {}, '1h'))).toEqual(hourly);
    } finally {
      cleanup();
    }
  });
});

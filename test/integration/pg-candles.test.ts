/**
 * Candles on PostgreSQL (issue 16 point 4): the COPY write paths (seed, and an import in each
 * mode: refuse, merge, replace) store exactly the rows SQLite stores, read back column for column
 * (Float64Array equality); and the binary COPY read returns exactly the rows of a plain SELECT,
 * for ranges that cut day buckets, with offsets and limits. The packed store (migrations/pg/003)
 * is never stale: after a seed, an import in each mode, a range delete, an advance of the synthetic
 * market and row UPDATEs, every PostgreSQL pack holds exactly its bucket's rows and loadCandles
 * equals SQLite's and a plain SELECT.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCandles, type ImportOptions } from '../../src/app/import.ts';
import { seedDatabase } from '../../src/app/seed.ts';
import { emptyCandles, type Candles } from '../../src/core/candles.ts';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { parseQty, priceFromFloat } from '../../src/core/money.ts';
import { countCandles, insertCandles, loadCandles, loadCandlesInto } from '../../src/store/candles.ts';
import { newId } from '../../src/store/ids.ts';
import { literal } from '../../src/store/candles-pg.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { findInstrument, insertInstrument } from '../../src/store/instruments.ts';
import { deleteCandles } from '../../src/store/market-data.ts';
import { extendMarket } from '../../src/app/extend.ts';
import type { PgStore } from '../../src/store/pg/store.ts';
import { tempDir } from '../helpers/cli.ts';
import { freshPgDatabase } from '../helpers/pg.ts';
import { tempStore } from '../helpers/store.ts';

const MIN = 60_000;
const DAY = 1440 * MIN;
const END = Date.UTC(2026, 0, 31, 13, 37); // not on a day boundary: the first and last days are cut
const INSTRUMENTS = SEED_INSTRUMENTS.slice(0, 2);
const COLS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

let pg: PgStore;
let sqlite: Store;
let cleanups: (() => void | Promise<void>)[] = [];
let dir: string;

beforeAll(async () => {
  const db = await freshPgDatabase('candles');
  const store = await openStore(db.url);
  if (store.dialect !== 'postgres') throw new Error('expected a PostgreSQL store');
  pg = store;
  const t = await tempStore();
  sqlite = t.store;
  const d = tempDir('tunicoin-pg-candles-');
  dir = d.dir;
  cleanups = [() => pg.close(), () => db.drop(), t.cleanup, d.cleanup];
  for (const s of [pg, sqlite]) {
    seedDatabase(s, {
      seed: 7,
      days: 3,
      end: END,
      instruments: INSTRUMENTS,
      reset: false,
      nowIso: '2026-02-01T00:00:00.000Z',
      demoPasswordHash: '$2a$04$abcdefghijklmnopqrstuu5Q1Xbz7Bj4J9v3x8Y0p1q2r3s4t5u6a',
    });
    insertInstrument(
      s,
      {
        ...(SEED_INSTRUMENTS[0] as (typeof SEED_INSTRUMENTS)[number]),
        symbol: 'REAL',
        name: 'REAL',
        tickSize: priceFromFloat(0.01),
        contractSize: parseQty('1'),
        minSize: parseQty('0.01'),
        maxSize: parseQty('1000'),
      },
      '2026-01-01T00:00:00.000Z',
    );
  }
}, 60_000);

afterAll(async () => {
  for (const c of cleanups) await c();
});

const id = (s: Store, symbol: string): string => findInstrument(s, symbol).id;

function expectSameColumns(a: Candles, b: Candles): void {
  for (const c of COLS) expect(a[c], c).toEqual(b[c]);
}

/** The same rows through a plain SELECT (pg's own text protocol), as columns. */
function selected(instrumentId: string, from: number, to: number): Candles {
  const r = pg.query(
    `SELECT "timestamp", open, high, low, close, volume FROM candles WHERE instrument_id = $1 AND timeframe = '1m'
      AND "timestamp" >= $2::float8 AND "timestamp" <= $3::float8 ORDER BY "timestamp"`,
    [instrumentId, from, to],
  );
  const c = emptyCandles(r.rows.length);
  r.rows.forEach((row, i) => COLS.forEach((col, j) => (c[col][i] = row[j] as number)));
  return c;
}

/** Every PostgreSQL pack holds exactly the rows of its bucket (1m: a UTC day); returns how many packs. */
function expectPacksFresh(): number {
  const packs = pg.query(`SELECT instrument_id, bucket, n, data FROM candle_packs WHERE timeframe = '1m' ORDER BY instrument_id, bucket`);
  for (const [inst, bucket, n, data] of packs.rows as [string, number, number, Uint8Array][]) {
    const want = selected(inst, bucket * DAY, (bucket + 1) * DAY - 1);
    expect(n, `${inst} ${bucket}`).toBe(want.time.length);
    const f = new Float64Array(new Uint8Array(data).buffer);
    COLS.forEach((col, j) => expect(f.subarray(j * n, (j + 1) * n), `${inst} ${bucket} ${col}`).toEqual(want[col]));
  }
  return packs.rows.length;
}

/** Both stores' candles of `symbol` are identical, equal a plain SELECT, and no pack is stale. */
function expectSameCandles(symbol: string): number {
  const all = loadCandles(pg, id(pg, symbol));
  expect(all.time).toBeInstanceOf(Float64Array);
  expectSameColumns(all, loadCandles(sqlite, id(sqlite, symbol)));
  expectSameColumns(all, selected(id(pg, symbol), -8.64e15, 8.64e15));
  expectPacksFresh();
  return all.time.length;
}

describe('PostgreSQL candle writes (COPY) store what SQLite stores', () => {
  it('seed', () => {
    for (const inst of INSTRUMENTS) expect(expectSameCandles(inst.symbol)).toBe(3 * 1440);
  });

  it('after the seed (which VACUUMs), a series read is an index-only scan of the covering key, no heap fetch', () => {
    const instrumentId = id(pg, INSTRUMENTS[0]?.symbol as string);
    // 4,320 rows are few enough that a seq scan + sort is cheapest; a year's series takes the index
    pg.exec('SET enable_seqscan = off');
    const plan = pg
      .query(
        `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT "timestamp", open, high, low, close, volume FROM candles
         WHERE instrument_id = ${literal(instrumentId)} AND timeframe = '1m' AND "timestamp" >= 0 ORDER BY "timestamp"`,
      )
      .rows.map((r) => String(r[0]).trim());
    expect(plan[0]).toMatch(/^Index Only Scan using pk_candles on candles \(actual rows=4320 loops=1\)$/);
    pg.exec('RESET enable_seqscan');
    expect(plan, plan.join('\n')).toContain('Heap Fetches: 0');
  });

  /** 1m rows from minute `from` (of 2025-06-01T00:00Z), `n` of them, every `step` minutes, values varied by `salt`. */
  function csv(from: number, n: number, step: number, salt: number): string {
    const t0 = Date.UTC(2025, 5, 1);
    let out = 'date,open,high,low,close,volume\n';
    for (let k = 0; k < n; k++) {
      const i = from + k * step;
      const o = 100 + 10 * Math.sin(i / 37 + salt);
      const c = o + Math.cos(i / 11 + salt);
      const p = (x: number) => x.toFixed(2);
      out += `${new Date(t0 + i * MIN).toISOString()},${p(o)},${p(Math.max(o, c) + 0.07)},${p(Math.min(o, c) - 0.03)},${p(c)},${Math.abs(Math.sin(i * 1.3 + salt)) * 1234.5}\n`;
    }
    return out;
  }

  async function importBoth(content: string, mode: ImportOptions['mode']) {
    const f = join(dir, `${mode}-${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(f, content);
    const opts: ImportOptions = { file: f, symbol: 'REAL', timeframe: '1m', mode, skipInvalid: false, adjusted: false };
    const a = await importCandles(pg, opts);
    const b = await importCandles(sqlite, opts);
    expect(a).toEqual(b);
    return a;
  }

  it('an import in each mode: refuse, merge, replace', async () => {
    // refuse: two batches of the importer (4096 rows each), over several day buckets
    let r = await importBoth(csv(0, 5000, 1, 0), 'refuse');
    expect(r.imported).toBe(5000);
    expect(expectSameCandles('REAL')).toBe(5000);
    // merge: 1000 stored timestamps (with other values: kept as stored) and 4000 new ones
    r = await importBoth(csv(4000, 5000, 1, 1), 'merge');
    expect(r).toMatchObject({ imported: 4000, alreadyStored: 1000 });
    expect(expectSameCandles('REAL')).toBe(9000);
    // replace: every other minute of [2000, 7998] with new values, the minutes between deleted
    r = await importBoth(csv(2000, 3000, 2, 2), 'replace');
    expect(r).toMatchObject({ imported: 3000, replaced: 5999 });
    expect(expectSameCandles('REAL')).toBe(9000 - 5999 + 3000);
    // a refused overlap writes nothing on either
    const f = join(dir, 'overlap.csv');
    writeFileSync(f, csv(8990, 20, 1, 3));
    for (const s of [pg, sqlite])
      await expect(
        importCandles(s, { file: f, symbol: 'REAL', timeframe: '1m', mode: 'refuse', skipInvalid: false, adjusted: false }),
      ).rejects.toMatchObject({ kind: 'conflict' });
    expect(expectSameCandles('REAL')).toBe(6001);
  });
});

describe('PostgreSQL candle reads (binary COPY into the columns)', () => {
  it('ranges that cut buckets, with offsets and limits, read exactly the SELECTed rows', () => {
    const inst = id(pg, INSTRUMENTS[0]?.symbol as string);
    const first = END - (3 * 1440 - 1) * MIN;
    const ranges: [number, number][] = [
      [first, END],
      [first + 17 * MIN, END - 3 * MIN], // inside both cut days
      [Math.floor(first / DAY + 1) * DAY - 5 * MIN, Math.floor(first / DAY + 2) * DAY + 7 * MIN], // across a whole day
      [first - DAY, first - 1], // nothing
      [END, END + DAY], // one row
    ];
    for (const [from, to] of ranges) {
      const want = selected(inst, from, to);
      const got = loadCandles(pg, inst, { from, to });
      expectSameColumns(got, want);
      expectSameColumns(got, loadCandles(sqlite, id(sqlite, INSTRUMENTS[0]?.symbol as string), { from, to }));
      expect(countCandles(pg, inst, { from, to })).toBe(want.time.length);
      // into a buffer at an offset, at most `max` rows
      const n = want.time.length;
      const max = Math.max(1, Math.floor(n / 3));
      const out = emptyCandles(max + 5);
      const read = loadCandlesInto(pg, inst, { from, to }, '1m', out, 5, max);
      expect(read).toBe(Math.min(n, max));
      for (const col of COLS) {
        expect(out[col].subarray(5, 5 + read)).toEqual(want[col].subarray(0, read));
        expect(Array.from(out[col].subarray(0, 5))).toEqual([0, 0, 0, 0, 0]);
      }
    }
  });

  it('a read across many network chunks and row chunks (70,000 rows), and an instrument id that needs quoting', () => {
    const inst = id(pg, 'REAL');
    const got = loadCandles(pg, inst);
    expect(got.time.length).toBe(6001);
    expectSameColumns(got, selected(inst, -8.64e15, 8.64e15));
    // more rows than one chunk of the worker's columns (65536)
    const big = insertInstrument(
      pg,
      { ...(SEED_INSTRUMENTS[0] as (typeof SEED_INSTRUMENTS)[number]), symbol: 'BIG', name: 'BIG' },
      '2026-01-01T00:00:00.000Z',
    );
    const n = 70_000;
    const c = emptyCandles(n);
    for (let i = 0; i < n; i++) {
      c.time[i] = Date.UTC(2024, 0, 1) + i * MIN;
      c.open[i] = 1 / (i + 3);
      c.high[i] = Math.PI * i;
      c.low[i] = -0.1 * (i + 1);
      c.close[i] = 1e-300 * i;
      c.volume[i] = i === 0 ? Number.MAX_VALUE : Math.sqrt(i);
    }
    expect(pg.tx(() => insertCandles(pg, big, '1m', c, 0, n, newId))).toBe(n);
    const back = loadCandles(pg, big);
    expectSameColumns(back, c);
    expectSameColumns(back, selected(big, -8.64e15, 8.64e15));
    expect(loadCandles(pg, big, { from: c.time[65530], to: c.time[65545] }).time).toEqual(c.time.subarray(65530, 65546));
    expect(loadCandles(pg, "no'such\\id").time.length).toBe(0);
    expect(literal("a'b\\c")).toBe("E'a''b\\\\c'");
  });
});

describe('PostgreSQL packed candle store (migrations/pg/003): never stale', () => {
  const symbol = INSTRUMENTS[1]?.symbol as string;
  const packCount = (s: Store, inst: string): number =>
    (s.prepare("SELECT COUNT(*) AS n FROM candle_packs WHERE instrument_id = ? AND timeframe = '1m'").get(inst) as { n: number }).n;

  it('the seed and the imports packed their days on PostgreSQL as on SQLite, and reads use them', () => {
    // a seed of 3 days ending mid-day meets 4 UTC days
    expect(packCount(pg, id(pg, symbol))).toBe(4);
    expect(packCount(sqlite, id(sqlite, symbol))).toBe(4);
    expect(expectPacksFresh()).toBeGreaterThan(8);
    // a pack read returns the pack's bytes, not the rows: tamper with one pack (a test-only write)
    const inst = id(pg, symbol);
    const day = Math.floor(END / DAY) - 1; // a whole packed day
    const saved = pg.query('SELECT data FROM candle_packs WHERE instrument_id = $1 AND timeframe = $2 AND bucket = $3', [inst, '1m', day])
      .rows[0]?.[0] as Uint8Array;
    pg.query(
      `UPDATE candle_packs SET data = overlay(data placing '\\x0000000000000000'::bytea from (8 * n + 1)::int) WHERE instrument_id = $1 AND bucket = $2`,
      [inst, day],
    );
    expect(loadCandles(pg, inst, { from: day * DAY, to: (day + 1) * DAY - 1 }).open[0]).toBe(0);
    pg.query('UPDATE candle_packs SET data = $1 WHERE instrument_id = $2 AND bucket = $3', [saved, inst, day]);
    expect(expectSameCandles(symbol)).toBe(3 * 1440);
  });

  it('a range delete (candles delete) cutting days', () => {
    const from = END - 2 * DAY + 17 * MIN;
    const to = END - DAY + 5 * MIN;
    for (const s of [pg, sqlite]) expect(s.tx(() => deleteCandles(s, id(s, symbol), from, to))).toBe(1440 + 5 - 17 + 1);
    expect(expectSameCandles(symbol)).toBe(3 * 1440 - (1440 - 12 + 1));
  });

  it('an UPDATE of one row, and one moving a row to another day', () => {
    for (const s of [pg, sqlite]) {
      const inst = id(s, symbol);
      s.run(
        s.db
          .updateTable('candles')
          .set({ close: 4321.5 })
          .where('instrument_id', '=', inst)
          .where('timestamp', '=', END - 3 * MIN),
      );
      s.run(
        s.db
          .updateTable('candles')
          .set({ timestamp: END - 2 * DAY + 20 * MIN }) // into the deleted range, another day
          .where('instrument_id', '=', inst)
          .where('timestamp', '=', END - 30 * MIN),
      );
    }
    expect(expectSameCandles(symbol)).toBe(3 * 1440 - (1440 - 12 + 1));
    const c = loadCandles(pg, id(pg, symbol), { from: END - 3 * MIN, to: END - 3 * MIN });
    expect(Array.from(c.close)).toEqual([4321.5]);
  });

  it('market advance extends the synthetic market and packs the new days', () => {
    const target = END + 2 * DAY;
    const added = [pg, sqlite].map((s) => s.tx(() => extendMarket(s, findInstrument(s, symbol), target)));
    expect(added[0]).toBeGreaterThan(2 * 1440 - 1);
    expect(added[0]).toBe(added[1]);
    const n = expectSameCandles(symbol);
    expect(n).toBe(3 * 1440 - (1440 - 12 + 1) + (added[0] as number));
    // the days after END are packed again (the last one, cut by the target, too)
    expect(packCount(pg, id(pg, symbol))).toBe(packCount(sqlite, id(sqlite, symbol)));
  });

  it('a bulk insert into packed days with no repack after it drops their packs (COPY on PostgreSQL)', () => {
    const before = packCount(pg, id(pg, symbol));
    const c = emptyCandles(3);
    [END + 30_000, END + DAY + 30_000, END + DAY + 90_000].forEach((t, i) => {
      c.time[i] = t;
      c.open[i] = c.high[i] = c.low[i] = c.close[i] = 100 + i;
      c.volume[i] = 1;
    });
    for (const s of [pg, sqlite]) expect(s.tx(() => insertCandles(s, id(s, symbol), '1m', c, 0, 3, newId))).toBe(3);
    expect(packCount(pg, id(pg, symbol))).toBe(before - 2);
    expect(packCount(sqlite, id(sqlite, symbol))).toBe(before - 2);
    const n = expectSameCandles(symbol);
    expect(loadCandles(pg, id(pg, symbol), { from: END, to: END + 30_000 }).close[1]).toBe(100);
    expect(n).toBe(countCandles(sqlite, id(sqlite, symbol)));
  });
});

/**
 * insertCandles on SQLite: whole multi-row statements and a shorter last one, the instrument and
 * timeframe bound once per statement, every value stored exactly, `orIgnore` keeping what is
 * there, and a failed row undoing only its own statement's rows (the statement journal, kept
 * in memory: temp_store = MEMORY).
 */
import { describe, expect, it } from 'vitest';
import { emptyCandles, type Candles } from '../../src/core/candles.ts';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { insertCandles } from '../../src/store/candles.ts';
import { newId } from '../../src/store/ids.ts';
import { insertInstrument } from '../../src/store/instruments.ts';
import { withTempStoreOnDisk } from '../../src/store/seed-rows.ts';
import { tempStore } from '../helpers/store.ts';

const T0 = Date.UTC(2025, 0, 1);

function series(n: number, start = T0): Candles {
  const c = emptyCandles(n);
  for (let i = 0; i < n; i++) {
    const p = 100 + Math.sin(i) * 7 + i / 9;
    c.time[i] = start + i * 60_000;
    c.open[i] = p;
    c.high[i] = p + 0.1 + (i % 5) / 3;
    c.low[i] = p - 0.2 - (i % 3) / 7;
    c.close[i] = p + 1 / (i + 3);
    c.volume[i] = 1e-4 * (i % 13) + i / 17;
  }
  return c;
}

type Row = {
  id: string;
  instrument_id: string;
  timeframe: string;
  timestamp: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
};

describe('insertCandles (SQLite)', () => {
  it('stores every row of whole and partial statements exactly, with unique v7 ids', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const [a, b] = SEED_INSTRUMENTS.slice(0, 2).map((spec) => insertInstrument(store, spec, '2025-01-01T00:00:00.000Z')) as [
        string,
        string,
      ];
      const c = series(1000);
      // rows 10..260 of `c` for one instrument (2 statements of 96 and one of 59), all 1000 for the other
      expect(store.tx(() => insertCandles(store, a, '1m', c, 10, 251, newId))).toBe(251);
      expect(store.tx(() => insertCandles(store, b, '1h', c, 0, 1000, newId))).toBe(1000);
      const rows = (id: string) =>
        store.sqlite.prepare('SELECT * FROM candles WHERE instrument_id = ? ORDER BY timestamp').all(id) as Row[];
      const ra = rows(a);
      expect(ra).toHaveLength(251);
      ra.forEach((r, k) => {
        const j = 10 + k;
        expect(r).toMatchObject({
          instrument_id: a,
          timeframe: '1m',
          timestamp: c.time[j],
          open: c.open[j],
          high: c.high[j],
          low: c.low[j],
        });
        expect([r.close, r.volume]).toEqual([c.close[j], c.volume[j]]);
        expect(typeof r.timestamp).toBe('number');
      });
      const rb = rows(b);
      expect(rb.map((r) => r.timeframe)).toEqual(Array(1000).fill('1h'));
      expect(rb.map((r) => r.volume)).toEqual([...c.volume]);
      const ids = [...ra, ...rb].map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      // the timestamp column holds integers (bound as numbers, stored with INTEGER affinity)
      expect(store.sqlite.prepare("SELECT count(*) AS n FROM candles WHERE typeof(timestamp) <> 'integer'").get()).toEqual({ n: 0 });
    } finally {
      cleanup();
    }
  });

  it('orIgnore keeps the stored rows and writes only the new ones', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const id = insertInstrument(store, SEED_INSTRUMENTS[0]!, '2025-01-01T00:00:00.000Z');
      const c = series(300);
      store.tx(() => insertCandles(store, id, '1m', c, 0, 150, newId));
      const moved = series(300);
      for (let i = 0; i < 300; i++) moved.open[i] = (moved.open[i] as number) + 1000;
      expect(store.tx(() => insertCandles(store, id, '1m', moved, 100, 200, newId, true))).toBe(150);
      const opens = store.sqlite.prepare('SELECT open FROM candles WHERE instrument_id = ? ORDER BY timestamp').pluck().all(id) as number[];
      expect(opens).toEqual([...c.open.subarray(0, 150), ...moved.open.subarray(150, 300)]);
    } finally {
      cleanup();
    }
  });

  it('a duplicate key fails the call and leaves the rows already there untouched', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const id = insertInstrument(store, SEED_INSTRUMENTS[0]!, '2025-01-01T00:00:00.000Z');
      const c = series(200);
      store.tx(() => insertCandles(store, id, '1m', c, 150, 1, newId));
      expect(() => store.tx(() => insertCandles(store, id, '1m', c, 0, 200, newId))).toThrow(/UNIQUE|PRIMARY KEY/);
      const count = () => store.sqlite.prepare('SELECT count(*) FROM candles').pluck().get();
      expect(count()).toBe(1);
      // inside one transaction that goes on: the failed statement's own rows are undone, the earlier statement's stay
      store.sqlite.exec('BEGIN');
      expect(() => insertCandles(store, id, '1m', c, 0, 200, newId)).toThrow(/UNIQUE|PRIMARY KEY/);
      expect(count()).toBe(1 + 96);
      store.sqlite.exec('ROLLBACK');
      expect(store.sqlite.prepare('PRAGMA temp_store').pluck().get()).toBe(2); // MEMORY
    } finally {
      cleanup();
    }
  });

  it('withTempStoreOnDisk puts the temporary store on disk for its call only, also when the call throws', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const mode = () => store.sqlite.prepare('PRAGMA temp_store').pluck().get();
      expect(withTempStoreOnDisk(store, () => store.tx(() => mode()))).toBe(0); // DEFAULT: a file
      expect(mode()).toBe(2);
      expect(() =>
        withTempStoreOnDisk(store, () => {
          throw new Error('boom');
        }),
      ).toThrow('boom');
      expect(mode()).toBe(2);
    } finally {
      cleanup();
    }
  });
});

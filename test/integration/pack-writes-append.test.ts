/**
 * The packed store's write shortcuts for the synthetic market's extension: storePacks told the
 * batch was appended (after every stored row) writes the same packs as the counting path, and
 * packsEnabled, kept per connection and schema version, follows the table's drop and re-creation
 * on the same connection.
 */
import { describe, expect, it } from 'vitest';
import { emptyCandles, type Candles } from '../../src/core/candles.ts';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { MIGRATION_NAMES } from '../../migrations/names.ts';
import { insertCandles } from '../../src/store/candles.ts';
import { packsEnabled } from '../../src/store/candle-packs.ts';
import { storePacks } from '../../src/store/candle-pack-writes.ts';
import { newId } from '../../src/store/ids.ts';
import { insertInstrument } from '../../src/store/instruments.ts';
import { migrateDown, migrateUp } from '../../src/store/migrator.ts';
import type { SqliteStore } from '../../src/store/db.ts';
import { tempStore } from '../helpers/store.ts';

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 1);

function minutes(from: number, n: number, salt: number): Candles {
  const c = emptyCandles(n);
  for (let i = 0; i < n; i++) {
    const p = 100 + Math.sin(i + salt) * 3 + salt;
    c.time[i] = from + i * MIN;
    c.open[i] = p;
    c.high[i] = p + 0.5;
    c.low[i] = p - 0.25;
    c.close[i] = p + 1 / (i + 2);
    c.volume[i] = (i % 7) / 3 + salt;
  }
  return c;
}

const packs = (store: SqliteStore, id: string) =>
  store.sqlite.prepare('SELECT bucket, n, hex(data) AS data FROM candle_packs WHERE instrument_id = ? ORDER BY bucket').all(id);

describe('pack writes of an appended batch', () => {
  it('write the packs the counting path writes', async () => {
    const stores = [await tempStore(), await tempStore()];
    try {
      const out = stores.map(({ store }, k) => {
        const id = insertInstrument(store, SEED_INSTRUMENTS[0] as (typeof SEED_INSTRUMENTS)[number], '2025-01-01T00:00:00.000Z');
        // a first batch ending mid-day, then 2.5 days appended after it: a partial bucket continued, two whole, one partial
        for (const c of [minutes(T0 + 300 * MIN, 900, 1), minutes(T0 + 1200 * MIN, 3600, 2)])
          store.tx(() => {
            insertCandles(store, id, '1m', c, 0, c.time.length, newId);
            storePacks(store, id, '1m', c, c.time.length, k === 1);
          });
        return packs(store, id);
      });
      expect(out[0]).toHaveLength(4);
      expect(out[1]).toEqual(out[0]);
      const n = (out[0] as { n: number }[]).map((p) => p.n);
      expect(n).toEqual([1140, 1440, 1440, 480]);
    } finally {
      for (const s of stores) s.cleanup();
    }
  });

  it('packsEnabled follows the schema on the same connection', async () => {
    const { store, cleanup } = await tempStore();
    try {
      expect(packsEnabled(store)).toBe(true);
      await migrateDown(store, { to: MIGRATION_NAMES[MIGRATION_NAMES.indexOf('012_candle_packs') - 1] as string });
      expect(packsEnabled(store)).toBe(false);
      await migrateUp(store);
      expect(packsEnabled(store)).toBe(true);
    } finally {
      cleanup();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { seedDatabase } from '../../src/app/seed.ts';
import { isSeeded } from '../../src/store/seed-rows.ts';
import { readClock } from '../../src/store/clock.ts';
import { candleKey, tempStore } from '../helpers/store.ts';
import type { SqliteStore as Store } from '../../src/store/db.ts';

const END = Date.UTC(2026, 0, 31, 23, 59);
const seedOpts = (over: Partial<Parameters<typeof seedDatabase>[1]> = {}) => ({
  seed: 42,
  days: 2,
  end: END,
  instruments: SEED_INSTRUMENTS,
  reset: false,
  nowIso: '2026-02-01T00:00:00.000Z',
  demoPasswordHash: '$2a$04$abcdefghijklmnopqrstuu5Q1Xbz7Bj4J9v3x8Y0p1q2r3s4t5u6a',
  ...over,
});
const count = (s: Store, sql: string) => (s.sqlite.prepare(sql).get() as { n: number }).n;

describe('seedDatabase', () => {
  it('creates the demo world with a balanced deposit journal', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const summary = seedDatabase(store, seedOpts());
      expect(summary.candles).toBe(2 * 1440 * 5);
      expect(count(store, 'SELECT COUNT(*) AS n FROM candles')).toBe(14_400);
      expect(
        count(
          store,
          "SELECT COUNT(*) AS n FROM users WHERE email = 'demo@tunicoin.local' AND is_verified = 1 AND kyc_status = 'approved' AND plan_id = 'free'",
        ),
      ).toBe(1);
      const acct = store.sqlite.prepare("SELECT * FROM accounts WHERE name = 'Demo Account'").get() as {
        id: string;
        balance: number;
        max_leverage: number;
        is_demo: number;
      };
      expect(acct.balance).toBe(10_000_000_000);
      expect(acct.max_leverage).toBe(10);
      expect(acct.is_demo).toBe(1);
      const entries = store.sqlite
        .prepare('SELECT journal_id, amount, balance_after, account_id FROM ledger_entries ORDER BY seq')
        .all() as { journal_id: string; amount: number; account_id: string }[];
      expect(entries).toHaveLength(2);
      expect(entries[0]!.journal_id).toBe(entries[1]!.journal_id);
      expect(entries.reduce((s, e) => s + e.amount, 0)).toBe(0);
      expect(entries.find((e) => e.account_id === acct.id)!.amount).toBe(10_000_000_000);
      expect(readClock(store)).toBe(END);
      const last = store.sqlite.prepare('SELECT MAX(timestamp) AS t, MIN(timestamp) AS f FROM candles').get() as { t: number; f: number };
      expect(last.t).toBe(END);
      expect(last.f).toBe(END - (2 * 1440 - 1) * 60_000);
      // the bulk load rebuilt every candle index
      const idx = (store.sqlite.prepare('PRAGMA index_list(candles)').all() as { name: string }[]).map((i) => i.name);
      expect(idx).toEqual(expect.arrayContaining(['ix_candles_timestamp', 'uq_candles_id']));
      // the spec's composite index is the table itself (migration 010: clustered on it)
      expect(candleKey(store.sqlite)).toEqual(['instrument_id', 'timeframe', 'timestamp']);
      expect(isSeeded(store)).toBe(true);
    } finally {
      cleanup();
    }
  });

  it('gives the same prices and volumes for the same seed whatever the end time', async () => {
    const a = await tempStore();
    const b = await tempStore();
    try {
      seedDatabase(a.store, seedOpts({ instruments: SEED_INSTRUMENTS.slice(0, 1) }));
      seedDatabase(b.store, seedOpts({ end: END + 86_400_000 * 100, instruments: SEED_INSTRUMENTS.slice(0, 1) }));
      const rows = (s: Store) => s.sqlite.prepare('SELECT open, high, low, close, volume FROM candles ORDER BY timestamp').all();
      expect(rows(b.store)).toEqual(rows(a.store));
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });

  it('reset wipes and re-seeds; an interrupted seed leaves nothing', async () => {
    const { store, cleanup } = await tempStore();
    try {
      seedDatabase(store, seedOpts({ days: 1 }));
      seedDatabase(store, seedOpts({ days: 1, reset: true, seed: 7, instruments: SEED_INSTRUMENTS.slice(0, 2) }));
      expect(count(store, 'SELECT COUNT(*) AS n FROM instruments')).toBe(2);
      expect(count(store, "SELECT COUNT(*) AS n FROM users WHERE email = 'demo@tunicoin.local'")).toBe(1);
      expect(count(store, 'SELECT COUNT(*) AS n FROM ledger_entries')).toBe(2);

      const fresh = await tempStore();
      try {
        expect(() =>
          seedDatabase(
            fresh.store,
            seedOpts({
              days: 3,
              onProgress: (done) => {
                if (done >= 20_000) throw new Error('killed');
              },
            }),
          ),
        ).toThrow('killed');
        for (const t of ['users', 'accounts', 'instruments', 'candles', 'ledger_entries', 'settings']) {
          expect(count(fresh.store, `SELECT COUNT(*) AS n FROM ${t}`)).toBe(0);
        }
      } finally {
        fresh.cleanup();
      }
    } finally {
      cleanup();
    }
  });
});

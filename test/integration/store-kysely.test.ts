/** The Kysely-built repositories: synchronous building, hot statements, and verify's checks that can fail. */
import { afterEach, describe, expect, it } from 'vitest';
import { param } from '../../src/store/db.ts';
import { candleInserter, loadCandles } from '../../src/store/candles.ts';
import { insertInstrument } from '../../src/store/instruments.ts';
import { verifyLedger } from '../../src/store/verify.ts';
import { seedDatabase } from '../../src/app/seed.ts';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { newId } from '../../src/store/ids.ts';
import { tempStore } from '../helpers/store.ts';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

describe('store on Kysely', () => {
  it('builds and compiles synchronously, and runs typed rows on better-sqlite3', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const q = t.store.db.selectFrom('settings').select('value').where('key', '=', 'clock');
    expect(q.compile().sql).toBe('select "value" from "settings" where "key" = ?');
    t.store.run(t.store.db.insertInto('settings').values({ key: 'clock', value: '42' }));
    expect(t.store.get(q)).toEqual({ value: '42' });
    expect(t.store.all(q)).toEqual([{ value: '42' }]);
  });

  it('hot statements keep positional placeholders and are prepared once', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const build = () =>
      t.store.hotStatement('test.hot', (db) => db.selectFrom('settings').select('value').where('key', '=', param<string>()));
    expect((build() as unknown as { source: string }).source).toBe('select "value" from "settings" where "key" = ?');
    expect(build()).toBe(build());
    const spec = SEED_INSTRUMENTS[0];
    if (!spec) throw new Error('no seed instrument');
    const id = insertInstrument(t.store, spec, '2026-01-01T00:00:00.000Z', 'synthetic');
    const insert = candleInserter(t.store);
    const ignore = candleInserter(t.store, true);
    for (let i = 0; i < 5; i++) expect(insert(newId(), id, '1m', i * 60_000, 10 + i, 12 + i, 9 + i, 11 + i, 100 + i)).toBe(1);
    expect(ignore(newId(), id, '1m', 0, 1, 1, 1, 1, 1)).toBe(0); // the timestamp is stored already
    const c = loadCandles(t.store, id, { from: 60_000, to: 180_000 });
    expect([...c.time]).toEqual([60_000, 120_000, 180_000]);
    expect([...c.open]).toEqual([11, 12, 13]);
    expect([...c.volume]).toEqual([101, 102, 103]);
  });

  it("ledger verify's checks pass on a seeded database and fail on a tampered one", async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const spec = SEED_INSTRUMENTS[0];
    if (!spec) throw new Error('no seed instrument');
    seedDatabase(t.store, {
      days: 1,
      instruments: [spec],
      seed: 1,
      end: Date.UTC(2026, 0, 1),
      nowIso: '2026-01-01T00:00:00.000Z',
      demoPasswordHash: 'x',
      reset: false,
    });
    expect(verifyLedger(t.store).filter((c) => !c.ok)).toEqual([]);
    t.store.sqlite.exec("UPDATE accounts SET balance = balance + 1, equity = equity + 5 WHERE kind = 'trader'");
    t.store.sqlite.exec('UPDATE ledger_entries SET amount = amount + 1 WHERE rowid = (SELECT MAX(rowid) FROM ledger_entries)');
    const broken = verifyLedger(t.store)
      .filter((c) => !c.ok)
      .map((c) => c.name);
    expect(broken).toEqual(
      expect.arrayContaining([
        'every journal sums to zero',
        'the whole ledger sums to zero',
        'account balance equals the sum of its postings',
        'balance_after is the running sum',
        'last balance_after equals the account balance',
        'margin available equals equity minus margin used',
        'equity equals balance plus unrealised PnL',
      ]),
    );
  });
});

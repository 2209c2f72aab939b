/**
 * Differential end-to-end (issue 16): `seed --reset` over trading history, then real market data
 * (the CSV import, candles, indicators, `clock set` replay, a backtest, candle deletion), as in
 * the SQLite suites seed, replay-cli and market-cli, on a SQLite file and on PostgreSQL.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.ts';
import { expectSameTranscripts, runBoth, withStores, type Run, type Session } from './differential.ts';

const SPX = join(ROOT, 'fixtures', 'sp500-daily-2015-2020.csv');
const END = '2019-12-30T00:00:00Z'; // before the replay: history is never rewritten
const STORAGE_CHECKS = ['SQLite integrity_check', 'foreign keys resolve', 'foreign keys enforced by the server'];
const ledgerChecks = (stdout: string): string => {
  const v = JSON.parse(stdout) as { checks: Array<{ name: string }> };
  return JSON.stringify({ ...v, checks: v.checks.filter((c) => !STORAGE_CHECKS.includes(c.name)) }, null, 2);
};

async function workflow(s: Session): Promise<void> {
  // seed --reset wipes every table, amendments included (it broke their foreign key before)
  await s.cli(['seed', '--days', '1', '--end', END, '--instruments', 'BTC-USD', '--json']);
  await s.cli(['order', 'buy', 'BTC-USD', '0.01', '--json']);
  await s.cli(['position', 'set', 'BTC-USD', '--sl', '1000', '--json']);
  await s.cli(['seed', '--reset', '--days', '1', '--end', END, '--instruments', 'BTC-USD', '--yes', '--json']);
  await s.cli(['positions', '--json']);
  await s.cli(['ledger', 'verify', '--json'], { compare: ledgerChecks });

  // a world of imported history, replayed
  await s.cli(['instruments', 'remove', 'BTC-USD', '--force', '--yes', '--json']);
  await s.cli(['instruments', 'add', 'SPX500', '--type', 'cfd', '--tick', '0.01', '--json']);
  await s.cli(['import', 'candles', SPX, '--symbol', 'SPX500', '--timeframe', '1d', '--json']);
  await s.cli(['import', 'candles', SPX, '--symbol', 'SPX500', '--timeframe', '1d'], { code: 4 });
  await s.cli(['clock', 'set', '2020-01-02T23:59', '--json']);
  await s.cli(['quote', 'SPX500', '--json']);
  await s.cli(['order', 'buy', 'SPX500', '1', '--sl', '3000', '--json']);
  await s.cli(['order', 'sell', 'SPX500', '1', '--type', 'limit', '--price', '3300', '--json']);
  await s.cli(['market', 'advance', '30d', '--json']);
  await s.cli(['candles', 'SPX500', '--timeframe', '1w', '--from', '2020-01-01', '--to', '2020-01-31', '--json']);
  await s.cli(['indicators', 'SPX500', '--timeframe', '1d', '--last', '2', '--json']);
  await s.cli(['orders', '--status', 'all', '--json']);
  await s.cli(['positions', '--json']);
  await s.cli(['account', '--json']);
  await s.cli(['ledger', '--json']);
  await s.cli(['ledger', 'verify', '--json'], { compare: ledgerChecks });
  await s.cli(['backtest', 'buy_and_hold', '--symbol', 'SPX500', '--timeframe', '1d', '--json']);
  await s.cli(['candles', 'delete', 'SPX500', '--from', '2020-04-01', '--yes', '--json']);
  await s.cli(['instruments', '--json']);
  await s.cli(['clock', '--json']);
}

let run: Run & { cleanup: () => Promise<void> };
let since = 0;

beforeAll(async () => {
  since = Date.now();
  run = await runBoth('replay', workflow);
}, 300_000); // a bound for a loaded, shared machine, not a timing threshold
afterAll(() => run?.cleanup());

describe('seed --reset and market replay on SQLite and on PostgreSQL', () => {
  it('prints the same, command by command', () => {
    expectSameTranscripts(run, since);
  });

  it('keeps the same candles and rows', async () => {
    await withStores(run, (lite, pg) => {
      const candles = (store: typeof lite) =>
        store.all(
          store.db
            .selectFrom('candles')
            .select(['timeframe', 'timestamp', 'open', 'high', 'low', 'close', 'volume'])
            .orderBy('timeframe')
            .orderBy('timestamp'),
        );
      const c = candles(pg);
      expect(c.length).toBeGreaterThan(1000);
      expect(c).toEqual(candles(lite));
      for (const t of ['amendments', 'orders', 'positions', 'ledger_entries', 'instruments', 'backtests'] as const) {
        const n = (store: typeof lite) => store.get(store.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')))?.n;
        expect([t, n(pg)]).toEqual([t, n(lite)]);
      }
    });
  });
});

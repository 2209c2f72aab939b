/**
 * Differential end-to-end (issue 16): the paper-trading, bots, backtest/optimize, reports, users
 * and migrations workflow of the SQLite e2e suites (trading-cli, workflow-cli, bots-cli,
 * backtest-cli, research-cli, report-cli, users-cli, market-cli) run on a SQLite file and on
 * PostgreSQL through the same commands; the outputs must be the same but for ids, paths, the
 * wall clock and elapsed times, and the rows written the same.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markDecisionResized } from '../../src/store/bot-decisions.ts';
import type { Store } from '../../src/store/db.ts';
import { expectSameTranscripts, runBoth, withStores, type Run, type Session } from './differential.ts';

const END = '2026-01-15T00:00:00Z';
const PASSWORD = 'a long enough secret';

interface Id {
  id: string;
}

/** The storage checks of `ledger verify` are each database's own (integrity_check, foreign keys): left out. */
const STORAGE_CHECKS = ['SQLite integrity_check', 'foreign keys resolve', 'foreign keys enforced by the server'];
const ledgerChecks = (stdout: string): string => {
  const v = JSON.parse(stdout) as { checks: Array<{ name: string }> };
  return JSON.stringify({ ...v, checks: v.checks.filter((c) => !STORAGE_CHECKS.includes(c.name)) }, null, 2);
};

async function workflow(s: Session): Promise<void> {
  await s.cli(['seed', '--days', '1', '--end', END, '--instruments', 'BTC-USD,ETH-USD', '--json']);
  await s.cli(['db', 'path', '--json'], { own: true });
  await s.cli(['instruments', '--json']);
  await s.cli(['strategies', '--json']);
  await s.cli(['instruments', 'set', 'ETH-USD', '--max-participation', '0.5', '--json']);
  await s.cli(['quote', 'BTC-USD', '--json']);
  await s.cli(['candles', 'ETH-USD', '--timeframe', '15m', '--limit', '5', '--json']);
  await s.cli(['candles', 'BTC-USD', '--limit', '3', '--format', 'csv']);
  await s.cli(['indicators', 'BTC-USD', '--timeframe', '5m', '--last', '3', '--json']);
  await s.cli(['chart', 'BTC-USD', '--timeframe', '1h', '--height', '6']);

  // orders: market and limit, buy and sell, amend, cancel, stops, positions, close
  await s.cli(['order', 'buy', 'BTC-USD', '0.02', '--json']);
  await s.cli(['order', 'sell', 'ETH-USD', '0.5', '--json']);
  const limit = await s.json<Id>(['order', 'buy', 'ETH-USD', '1', '--type', 'limit', '--price', '1000']);
  await s.cli(['order', 'amend', limit.id.slice(0, 8), '--price', '1100', '--size', '2', '--json']);
  await s.cli(['order', 'show', limit.id, '--json']);
  const sellLimit = await s.json<Id>(['order', 'sell', 'BTC-USD', '0.01', '--type', 'limit', '--price', '1000000']);
  await s.cli(['order', 'buy', 'ETH-USD', '0.2', '--trail', '1%', '--json']);
  await s.cli(['order', 'buy', 'BTC-USD', '1000'], { code: 5 });
  await s.cli(['orders', '--json']);
  await s.cli(['orders', '--status', 'all']);
  await s.cli(['position', 'set', 'BTC-USD', '--sl', '1000', '--tp', '10000000', '--json']);
  await s.cli(['positions', '--json']);
  await s.cli(['order', 'cancel', sellLimit.id, '--json']);
  await s.cli(['close', 'ETH-USD', '--size', '0.2', '--json']);
  await s.cli(['account', '--json']);
  await s.cli(['account']);
  await s.cli(['account', 'create', 'Second', '--balance', '2500', '--max-daily-loss', '100', '--json']);
  await s.cli(['account', 'deposit', '100', '--account', 'Second', '--json']);
  await s.cli(['account', 'withdraw', '40', '--account', 'Second', '--json']);
  await s.cli(['account', 'use', 'Second', '--json']);
  await s.cli(['account', 'list', '--json']);
  await s.cli(['account', 'use', 'Demo Account']);
  await s.cli(['ledger', '--json']);
  await s.cli(['ledger', '--limit', '5']);
  await s.cli(['ledger', 'verify', '--json'], { compare: ledgerChecks });

  // the market moves: fills, stops, funding
  await s.cli(['market', 'advance', '1h', '--json']);
  await s.cli(['clock', '--json']);
  await s.cli(['orders', '--status', 'all', '--json']);
  await s.cli(['close', 'BTC-USD', '--json']);
  await s.cli(['positions', '--json']);

  // bots
  await s.cli([
    'bot',
    'create',
    'trend',
    '--strategy',
    'ema_crossover',
    '--symbol',
    'BTC-USD',
    '--timeframe',
    '1m',
    '--param',
    'fast=3',
    '--param',
    'slow=8',
    '--json',
  ]);
  await s.cli(['bot', 'create', 'slow', '--strategy', 'sma_crossover', '--symbol', 'ETH-USD', '--account', 'Second', '--json']);
  await s.cli(['bot', 'start', 'trend', '--json']);
  await s.cli(['bot', 'run', 'trend', '--for', '2h', '--json']);
  await s.cli(['bot', 'list', '--json']);
  await s.cli(['bot', 'show', 'trend', '--json']);
  await s.cli(['bot', 'decisions', 'trend', '--limit', '50', '--json']);
  await s.cli(['bot', 'decisions', 'trend', '--only-trades']);
  const traded = (await s.json<Array<{ orderId: string | null }>>(['bot', 'decisions', 'trend', '--only-trades'])).find((d) => d.orderId);
  await s.cli(['bot', 'explain', traded?.orderId ?? 'none', '--json']);
  await s.cli(['bot', 'pause', 'trend', '--json']);
  await s.cli(['bot', 'resume', 'trend', '--json']);
  await s.cli(['bot', 'stop', 'trend', '--json']);
  await s.cli(['bot', 'delete', 'slow', '--yes', '--json']);
  await s.cli(['ledger', 'verify', '--json'], { compare: ledgerChecks });

  // backtests, a small sweep (local worker threads on both), reports
  const bt = await s.json<Id>([
    'backtest',
    'sma_crossover',
    '--symbol',
    'BTC-USD',
    '--timeframe',
    '5m',
    '--param',
    'fast=5',
    '--param',
    'slow=20',
  ]);
  await s.cli(['backtest', 'ema_crossover', '--symbol', 'BTC-USD', '--timeframe', '15m']);
  const second = (await s.json<Array<Id>>(['backtests']))[0] as Id;
  await s.cli(['backtests', 'show', bt.id.slice(0, 8), '--json']);
  await s.cli(['backtests', 'show', bt.id, '--monthly', '--json']);
  const sweep = await s.json<{ sweepId: string }>([
    'optimize',
    'sma_crossover',
    '--symbol',
    'BTC-USD',
    '--timeframe',
    '5m',
    '--grid',
    'fast=3:5:2',
    '--grid',
    'slow=10:20:10',
    '--min-trades',
    '1',
  ]);
  await s.cli(['optimize', 'show', sweep.sweepId.slice(0, 8), '--json']);
  const reports = join(s.env.XDG_DATA_HOME as string, 'reports');
  await s.cli(['report', 'backtest', bt.id, '-o', join(reports, 'bt.html'), '--yes', '--json']);
  await s.cli(['report', 'bot', 'trend', '-o', join(reports, 'bot.html'), '--json']);
  await s.cli(['report', 'account', '-o', join(reports, 'account.html'), '--json']);
  await s.cli(['report', 'compare', bt.id, second.id, '-o', join(reports, 'compare.html'), '--json']);

  // users: a second user makes login needed; 2FA; logout
  await s.cli(['whoami', '--json']);
  await s.cli(['user', 'register', 'Ada@Example.com', '--password-stdin', '--json'], { input: `${PASSWORD}\n` });
  await s.cli(['account', 'list'], { code: 8 });
  await s.cli(['login', 'ada@example.com', '--password-stdin', '--json'], { input: PASSWORD });
  await s.cli(['whoami', '--json']);
  await s.cli(['account', 'create', 'Ada', '--balance', '1000', '--json']);
  await s.cli(['order', 'buy', 'ETH-USD', '0.1', '--json']);
  await s.cli(['plan', 'list', '--json']);
  await s.cli(['user', 'list', '--json']);
  await s.cli(['plan', 'set', 'free', '--max-bots', '5', '--json']);
  await s.cli(['user', 'set', 'demo@tunicoin.local', '--plan', 'pro', '--json']);
  const secret = (await s.json<{ secret: string }>(['user', '2fa', 'enable'], { own: true })).secret;
  const code = () => new TOTP({ secret: Secret.fromBase32(secret) }).generate();
  const { recoveryCodes } = await s.json<{ recoveryCodes: string[] }>(['user', '2fa', 'enable', '--code', code()], { own: true });
  await s.cli(['logout', '--json']);
  await s.cli(['login', 'ada@example.com', '--password-stdin', '--code', recoveryCodes[0] ?? '', '--json'], { input: PASSWORD });
  await s.cli(['user', 'show', '--json']);
  await s.cli(['user', 'passwd', '--password-stdin', '--json'], { input: `${PASSWORD}\nanother long secret\n` });
  await s.cli(['orders', '--all-users', '--status', 'all', '--json']);
  await s.cli(['backtests', '--all-users', '--json']);
  await s.cli(['user', '2fa', 'disable', '--code', recoveryCodes[1] ?? '', '--json']);
  await s.cli(['ledger', 'verify', '--all-users', '--json'], { compare: ledgerChecks });
}

/** The migrations down to an empty database and back up: names differ (each database has its own list). */
async function migrations(s: Session): Promise<{ names: string[]; down: string[]; up: string[]; empty: boolean }> {
  const before = await s.json<{ applied: string[]; pending: string[] }>(['db', 'status'], { own: true });
  const down = (await s.json<{ reverted: string[] }>(['db', 'rollback', '--all', '--yes'], { own: true })).reverted;
  const mid = await s.json<{ applied: string[]; pending: string[] }>(['db', 'status'], { own: true });
  const up = (await s.json<{ applied: string[] }>(['db', 'migrate'], { own: true })).applied;
  const after = await s.json<{ applied: string[]; pending: string[] }>(['db', 'status'], { own: true });
  expect(before.pending).toEqual([]);
  expect(mid).toEqual({ path: expect.any(String), applied: [], pending: before.applied });
  expect(after).toEqual({ path: expect.any(String), applied: before.applied, pending: [] });
  return { names: before.applied, down, up, empty: mid.applied.length === 0 };
}

const TABLES = [
  'users',
  'plans',
  'sessions',
  'recovery_codes',
  'accounts',
  'instruments',
  'candles',
  'orders',
  'positions',
  'ledger_entries',
  'amendments',
  'bots',
  'bot_decisions',
  'backtests',
  'sweeps',
  'sweep_results',
  'settings',
] as const;

const count = (store: Store, table: (typeof TABLES)[number]): number =>
  store.get(store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? -1;

let run: Run & { cleanup: () => Promise<void> };
let since = 0;

beforeAll(async () => {
  since = Date.now();
  run = await runBoth('trading', workflow);
}, 300_000); // a bound for a loaded, shared machine, not a timing threshold
afterAll(() => run?.cleanup());

describe('the same workflow on SQLite and on PostgreSQL', () => {
  it('prints the same, command by command (ids, paths, wall-clock stamps and elapsed times aside)', () => {
    expect(run.sqlite.steps.length).toBeGreaterThan(70);
    expectSameTranscripts(run, since);
  });

  it('writes the same rows: counts of every table, the ledger postings, money as exact integers', async () => {
    await withStores(run, (lite, pg) => {
      expect(pg.dialect).toBe('postgres');
      for (const t of TABLES) expect(count(pg, t), t).toBe(count(lite, t));
      const postings = (store: Store) =>
        store
          .all(
            store.db
              .selectFrom('ledger_entries as e')
              .innerJoin('accounts as a', 'a.id', 'e.account_id')
              .select(['a.name', 'e.entry_type', 'e.amount', 'e.balance_after', 'e.seq'])
              .orderBy('a.name')
              .orderBy('e.seq'),
          )
          .map((r) => ({ ...r }));
      const p = postings(pg);
      expect(p.length).toBeGreaterThan(20);
      expect(p).toEqual(postings(lite));
      expect(p.every((r) => Number.isInteger(r.amount) && Number.isInteger(r.balance_after))).toBe(true);
      const decisions = (store: Store) =>
        store
          .all(
            store.db
              .selectFrom('bot_decisions')
              .select(['candle_timestamp', 'decision', 'executed', 'execution_result'])
              .orderBy('candle_timestamp'),
          )
          .map((r) => ({ ...r, execution_result: r.execution_result === null ? null : (JSON.parse(r.execution_result) as unknown) }));
      const d = decisions(pg);
      expect(d.some((r) => r.executed === 1)).toBe(true);
      expect(d).toEqual(decisions(lite));
      // a leg cut at the fill keeps the size it wanted in its result (edited the same way on both)
      for (const store of [lite, pg]) {
        const filled = store.get(
          store.db.selectFrom('bot_decisions').select('order_id').where('executed', '=', 1).orderBy('candle_timestamp').limit(1),
        );
        markDecisionResized(store, filled?.order_id ?? '', 0.25);
      }
      expect(decisions(pg)).toEqual(decisions(lite));
      expect(decisions(pg).find((r) => (r.execution_result as { resized?: string } | null)?.resized)?.execution_result).toMatchObject({
        status: 'filled',
        requested_size: 0.25,
        resized: 'cut to the margin available at the fill',
      });
    });
  });

  it('db path: the file and whether it exists; a URL without its password, not connected to', () => {
    const path = (x: Session) => JSON.parse(x.steps.find((st) => st.args[0] === 'db')?.stdout ?? '{}') as unknown;
    expect(path(run.sqlite)).toEqual({ path: run.sqlitePath, from: '--db', exists: true });
    const url = new URL(run.pgUrl);
    url.password = '***';
    expect(path(run.pg)).toEqual({ path: url.toString(), from: '--db', exists: null });
  });

  it('writes default trade logs next to the SQLite file, and into the data dir for PostgreSQL', () => {
    for (const [s] of [[run.sqlite], [run.pg]] as const) {
      const bt = JSON.parse(s.steps.find((st) => st.args[0] === 'backtest')?.stdout ?? '{}') as { id: string; tradeLog: string };
      expect(bt.tradeLog).toBe(join(s.env.XDG_DATA_HOME as string, 'tunicoin', 'backtests', `${bt.id}.csv`));
      expect(existsSync(bt.tradeLog)).toBe(true);
    }
  });

  it('db rollback --all empties each database and db migrate brings it back, one migration at a time', async () => {
    const lite = await migrations(run.sqlite);
    const pg = await migrations(run.pg);
    for (const m of [lite, pg]) {
      expect(m.down).toEqual([...m.names].reverse());
      expect(m.up).toEqual(m.names);
    }
    expect(pg.names).not.toEqual(lite.names); // each database has its own migrations folder
    await withStores(run, (a, b) => {
      for (const t of TABLES) expect([t, count(b, t)]).toEqual([t, count(a, t)]);
    });
  });
});

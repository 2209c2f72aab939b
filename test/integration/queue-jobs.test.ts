/**
 * A queued job run twice under the same id (a retry after its first worker committed and then
 * died): the backtest row, the sweep and its results are written once, and the output (the
 * deterministic engine's) is the same both times. On a real PostgreSQL database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { runJob, type BacktestJobData, type JobOutput, type SweepJobData } from '../../src/app/queue-jobs.ts';
import { openStore } from '../../src/store/db.ts';
import type { PgStore } from '../../src/store/pg/store.ts';
import type { Money, Ppm } from '../../src/core/money.ts';
import { runCli } from '../helpers/cli.ts';
import { freshPgDatabase } from '../helpers/pg.ts';

let db: Awaited<ReturnType<typeof freshPgDatabase>>;
let store: PgStore;

beforeAll(async () => {
  db = await freshPgDatabase('qjobs');
  const seed = await runCli(['seed', '--days', '2', '--end', '2026-03-01T00:00:00Z', '--instruments', 'BTC-USD'], { db: db.url });
  expect(seed.code, seed.stderr).toBe(0);
  const opened = await openStore(db.url);
  if (opened.dialect !== 'postgres') throw new Error('not a PostgreSQL store');
  store = opened;
});
afterAll(async () => {
  store.close();
  await db.drop();
});

const settings = {
  symbol: 'BTC-USD',
  timeframe: '15m' as const,
  capital: 10_000_000_000 as Money,
  leverage: 1,
  sizing: { kind: 'all' as const },
  makerFee: 200 as Ppm,
  takerFee: 500 as Ppm,
};
const hooks = () => ({ onProgress: () => undefined, signal: new AbortController().signal, nowIso: () => new Date().toISOString() });
const count = (table: 'backtests' | 'sweeps' | 'sweep_results', col: string, id: string): number =>
  Number(store.query(`SELECT count(*) AS n FROM ${table} WHERE ${col} = $1`, [id]).rows[0]?.[0]);

describe('a retried job', () => {
  it('writes its backtest row once and answers the same', async () => {
    const id = randomUUID();
    const data: BacktestJobData = {
      kind: 'backtest',
      userId: null,
      strategyRef: 'ema_crossover',
      settings,
      params: { fast: 12, slow: 26, mode: 'long_short' },
      tradesPath: `/tmp/${id}.csv`,
    };
    const first = (await runJob(store, id, data, hooks())) as JobOutput;
    const again = (await runJob(store, id, data, hooks())) as JobOutput;
    expect(first.ok && first.kind).toBe('backtest');
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    expect(count('backtests', 'id', id)).toBe(1);
  });

  it('writes its sweep and results once', async () => {
    const id = randomUUID();
    const data: SweepJobData = {
      kind: 'sweep',
      userId: null,
      strategyRef: 'ema_crossover',
      settings,
      baseParams: {},
      grid: [
        { name: 'fast', values: [5, 10] },
        { name: 'slow', values: [20, 30] },
      ],
      metric: 'sharpe',
      minTrades: 0,
    };
    const first = (await runJob(store, id, data, hooks())) as JobOutput;
    const again = (await runJob(store, id, data, hooks())) as JobOutput;
    if (!first.ok || first.kind !== 'sweep' || !again.ok || again.kind !== 'sweep') throw new Error('not a sweep output');
    expect(first.result.sweepId).toBe(id);
    expect(JSON.stringify(again.result.windows)).toBe(JSON.stringify(first.result.windows));
    expect(count('sweeps', 'id', id)).toBe(1);
    expect(count('sweep_results', 'sweep_id', id)).toBe(4);
  });

  it('stopped before its end (the worker asked to stop) writes nothing', async () => {
    const id = randomUUID();
    const stop = new AbortController();
    stop.abort();
    const out = await runJob(
      store,
      id,
      {
        kind: 'backtest',
        userId: null,
        strategyRef: 'macd',
        settings,
        params: { fast: 12, slow: 26, signal: 9, mode: 'long' },
        tradesPath: '/tmp/x.csv',
      },
      { ...hooks(), signal: stop.signal },
    );
    expect(out).toBeNull();
    expect(count('backtests', 'id', id)).toBe(0);
  });
});

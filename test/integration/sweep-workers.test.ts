/**
 * `runSweep` (the threads of `optimize`, dist/sweep-worker.js): the workers claim combinations
 * from a shared counter, so which thread ran which one varies from run to run; the ranking,
 * the metrics and the progress calls must not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSweep, startSweepPool, type SweepRequest, type SweepResult } from '../../src/app/optimize.ts';
import { seedDatabase } from '../../src/app/seed.ts';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { parseMoney } from '../../src/core/money.ts';
import type { Ppm } from '../../src/core/money.ts';
import { BUILTIN_STRATEGIES } from '../../src/core/strategy/builtin.ts';
import type { SqliteStore } from '../../src/store/db.ts';
import { tempStore } from '../helpers/store.ts';

let store: SqliteStore;
let cleanup: () => void;

beforeAll(async () => {
  ({ store, cleanup } = await tempStore());
  seedDatabase(store, {
    seed: 7,
    days: 3,
    end: Date.UTC(2026, 0, 31, 23, 59),
    instruments: SEED_INSTRUMENTS.filter((i) => i.symbol === 'BTC-USD'),
    reset: false,
    nowIso: '2026-02-01T00:00:00.000Z',
    demoPasswordHash: '$2a$04$abcdefghijklmnopqrstuu5Q1Xbz7Bj4J9v3x8Y0p1q2r3s4t5u6a',
  });
});
afterAll(() => cleanup());

const strategy = BUILTIN_STRATEGIES.find((s) => s.id === 'ema_crossover')!;
const request = (workers: number, over: Partial<SweepRequest> = {}): SweepRequest => ({
  strategy,
  strategyRef: 'ema_crossover',
  baseParams: {},
  grid: [
    { name: 'fast', values: [3, 5, 8, 12] },
    { name: 'slow', values: [20, 30, 40] },
  ],
  metric: 'sharpe',
  workers,
  symbol: 'BTC-USD',
  timeframe: '5m',
  capital: parseMoney('100000'),
  leverage: 1,
  sizing: { kind: 'all' },
  makerFee: 200 as Ppm,
  takerFee: 500 as Ppm,
  ...over,
});

async function sweep(workers: number, over: Partial<SweepRequest> = {}): Promise<{ result: SweepResult; progress: string[] }> {
  const progress: string[] = [];
  const result = await runSweep(store, request(workers, over), (done, total) => progress.push(`${done}/${total}`));
  return { result, progress };
}
const ranking = (r: SweepResult) => JSON.stringify({ rows: r.rows, skipped: r.skipped, candles: r.candles, from: r.from, to: r.to });

describe('runSweep on 1, 2 and 3 threads', () => {
  it('ranks every combination the same way and reports progress 1..n in order', async () => {
    const one = await sweep(1);
    expect(one.result.combos).toBe(12);
    expect(one.result.rows.map((r) => r.rank)).toEqual(Array.from({ length: 12 }, (_, k) => k + 1));
    expect(new Set(one.result.rows.map((r) => `${String(r.params.fast)}/${String(r.params.slow)}`)).size).toBe(12);
    expect(one.progress).toEqual(Array.from({ length: 12 }, (_, k) => `${k + 1}/12`));
    for (const workers of [2, 3]) {
      const many = await sweep(workers);
      expect(ranking(many.result)).toBe(ranking(one.result));
      expect(many.progress).toEqual(one.progress);
    }
  }, 60_000);

  it('without a progress callback (the test part of --train)', async () => {
    const grid = [{ name: 'fast', values: [5, 8] }];
    const quiet = await runSweep(store, request(2, { grid }));
    expect(ranking(quiet)).toBe(ranking((await sweep(1, { grid })).result));
  }, 60_000);

  it('more threads than combinations: each one still runs once', async () => {
    const grid = [{ name: 'fast', values: [5] }];
    const one = await sweep(1, { grid });
    const three = await sweep(3, { grid });
    expect(three.result.rows).toHaveLength(1);
    expect(ranking(three.result)).toBe(ranking(one.result));
    expect(three.progress).toEqual(['1/1']);
  }, 60_000);

  it("one pool for several sweeps (the command's, started early): each sees its own candles, warm-up and settings", async () => {
    const from = Date.UTC(2026, 0, 30, 6);
    const settings: Array<[number, Partial<SweepRequest>]> = [
      [2, {}],
      [2, { timeframe: '15m', from }], // warm-up history before --from, another window and timeframe
      [1, { timeframe: '15m', from: from + 3_600_000, grid: [{ name: 'fast', values: [5, 8] }] }], // a test part: 1 worker
      [2, { takerFee: 900 as Ppm }],
    ];
    const own = [];
    for (const [workers, over] of settings) own.push(ranking((await sweep(workers, over)).result));
    const pool = startSweepPool(2);
    try {
      for (const [k, [workers, over]] of settings.entries()) {
        const shared = await runSweep(store, { ...request(workers, over), pool });
        expect(ranking(shared)).toBe(own[k]);
      }
    } finally {
      await pool.close();
    }
    expect(new Set(own).size).toBe(settings.length); // the settings do change the results
  }, 60_000);

  it('an aborted sweep rejects and reports no more progress afterwards', async () => {
    const abort = new AbortController();
    const progress: number[] = [];
    // 140 combinations on 1m candles: far from done when the first one is reported
    const grid = [
      { name: 'fast', values: Array.from({ length: 10 }, (_, k) => 2 + 2 * k) },
      { name: 'slow', values: Array.from({ length: 14 }, (_, k) => 21 + 3 * k) },
    ];
    const run = runSweep(store, { ...request(2, { grid, timeframe: '1m' }), signal: abort.signal }, (done) => {
      progress.push(done);
      if (done === 1) abort.abort();
    });
    await expect(run).rejects.toThrow();
    const seen = progress.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(progress.length).toBe(seen);
    expect(seen).toBeLessThan(140);
  }, 60_000);
});

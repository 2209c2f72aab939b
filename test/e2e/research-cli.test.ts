/** End-to-end (issue 15): walk-forward and out-of-sample optimize, stored sweeps, honest benchmarks, monthly returns. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { json, runCli, seededTemplate, tempDir } from '../helpers/cli.ts';

let t: ReturnType<typeof tempDir>;
let db: string;

beforeAll(async () => {
  t = tempDir();
  const template = await seededTemplate(t.dir, ['--days', '4', '--end', '2026-03-01T00:00:00Z', '--instruments', 'BTC-USD,SPX-FUT']);
  db = join(t.dir, 'r.db');
  copyFileSync(template, db);
});
afterAll(() => t.cleanup());

const ok = async (args: string[]) => {
  const r = await runCli(args, { db });
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};

interface Metrics {
  trades: number;
  returnPct: number;
  sharpe: number;
  buyAndHoldReturnPct: number;
  buyAndHoldNetReturnPct: number;
  periodsPerYear: number;
  monthlyReturns: Array<{ month: string; returnPct: number }>;
}

describe('optimize as research', () => {
  it('ranks only combinations with enough trades, stores the sweep, and shows it back', async () => {
    const r = await ok([
      'optimize',
      'ema_crossover',
      '--grid',
      'fast=3:9:3',
      '--grid',
      'slow=12,40',
      '--timeframe',
      '15m',
      '--min-trades',
      '8',
      '--workers',
      '64',
      '--json',
    ]);
    expect(r.stderr).toMatch(/--workers 64 is more than the \d+ CPU\(s\) of this machine; using \d+/);
    const j = json<{
      sweepId: string;
      minTrades: number;
      results: Array<{ rank: number; metrics: Metrics }>;
      excluded: Array<{ trades: number; reason: string }>;
    }>(r);
    expect(j.minTrades).toBe(8);
    expect(j.results.length + j.excluded.length).toBe(6);
    for (const x of j.results) expect(x.metrics.trades).toBeGreaterThanOrEqual(8);
    for (const x of j.excluded) expect(x.trades).toBeLessThan(8);
    expect(j.results.map((x) => x.rank)).toEqual(j.results.map((_, k) => k + 1));
    const shown = json<typeof j>(await ok(['optimize', 'show', j.sweepId.slice(0, 8), '--json']));
    expect(shown.results).toEqual(j.results);
    expect(shown.excluded).toEqual(j.excluded);
    const s = new BetterSqlite3(db, { readonly: true });
    try {
      expect(s.prepare('SELECT COUNT(*) AS n FROM sweep_results WHERE sweep_id = ?').get(j.sweepId)).toEqual({ n: 6 });
    } finally {
      s.close();
    }
    expect((await runCli(['optimize', 'show', 'ffffffff'], { db })).code).toBe(3);
  });

  it('--train ranks on the first part and reports the choice on the rest; --walk-forward rolls it', async () => {
    const tt = json<{
      windows: Array<{
        train: { from: string; to: string };
        test: { from: string; to: string };
        best: object;
        testMetrics: Metrics | null;
      }>;
    }>(
      await ok([
        'optimize',
        'ema_crossover',
        '--grid',
        'fast=3:9:3',
        '--timeframe',
        '15m',
        '--train',
        '70%',
        '--min-trades',
        '1',
        '--json',
      ]),
    );
    expect(tt.windows).toHaveLength(1);
    const w = tt.windows[0]!;
    expect(Date.parse(w.test.from)).toBeGreaterThan(Date.parse(w.train.to));
    expect(w.testMetrics).not.toBeNull();
    const wf = await ok([
      'optimize',
      'ema_crossover',
      '--grid',
      'fast=3:9:3',
      '--timeframe',
      '15m',
      '--walk-forward',
      '3',
      '--window',
      '1d',
      '--min-trades',
      '1',
    ]);
    expect(wf.stdout).toMatch(/walk-forward, out of sample: \d test part\(s\), compounded return -?\d+\.\d\d%/);
    const rows = wf.stdout.split('\n').filter((l) => /^│ [123] /.test(l));
    expect(rows).toHaveLength(3);
    const tooLong = await runCli(['optimize', 'ema_crossover', '--grid', 'fast=3:9:3', '--walk-forward', '6', '--window', '90d'], { db });
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toMatch(/6 windows of 90d need .* days of candles; the range has/);
    expect((await runCli(['optimize', 'ema_crossover', '--grid', 'fast=3:9:3', '--train', '120%'], { db })).code).toBe(2);
  });
});

describe('honest benchmarks', () => {
  it('buy & hold gross and net, 365 days for crypto, 252 for futures or as asked, monthly returns', async () => {
    const btc = json<{ id: string; metrics: Metrics }>(await ok(['backtest', 'buy_and_hold', '--json']));
    expect(btc.metrics.periodsPerYear).toBe(365);
    expect(btc.metrics.buyAndHoldNetReturnPct).toBeLessThan(btc.metrics.buyAndHoldReturnPct);
    // the strategy buying and holding pays what the net benchmark pays (plus slippage and funding)
    expect(btc.metrics.returnPct).toBeLessThanOrEqual(btc.metrics.buyAndHoldNetReturnPct + 1e-6);
    const spx = json<{ metrics: Metrics }>(await ok(['backtest', 'buy_and_hold', '--symbol', 'SPX-FUT', '--leverage', '5', '--json']));
    expect(spx.metrics.periodsPerYear).toBe(252);
    const forced = json<{ metrics: Metrics }>(
      await ok(['backtest', 'buy_and_hold', '--symbol', 'SPX-FUT', '--leverage', '5', '--periods-per-year', '365', '--json']),
    );
    expect(forced.metrics.periodsPerYear).toBe(365);
    if (spx.metrics.sharpe !== 0) expect(forced.metrics.sharpe / spx.metrics.sharpe).toBeCloseTo(Math.sqrt(365 / 252), 4);
    expect(btc.metrics.monthlyReturns.map((m) => m.month)).toEqual(['2026-02', '2026-03']); // the last candle is at 03-01 00:00
    const monthly = (await ok(['backtests', 'show', btc.id.slice(0, 8), '--monthly'])).stdout;
    expect(monthly).toMatch(/│ 2026 │ +│ +-?\d+\.\d\d │/);
    expect(json<Array<{ month: string }>>(await ok(['backtests', 'show', btc.id, '--monthly', '--json']))).toEqual(
      btc.metrics.monthlyReturns.map((m): unknown => expect.objectContaining({ month: m.month })),
    );
  });
});

/** End-to-end: a bad strategy fails a backtest (exit 9, a `failed` row) or puts its bot in error; warm-up and rejections are said. */
import { describe, expect, it } from 'vitest';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { json, queryDb, runCli, runCliAsync, seededCopies } from '../helpers/cli.ts';
import { startRacingBots } from '../helpers/racing-bots.ts';

const END = '2026-03-01T00:00:00Z';
const { fresh, dir } = seededCopies(['--days', '3', '--end', END, '--instruments', 'BTC-USD,SPX-FUT'], 's');
const q = queryDb;
const file = (name: string, body: string) => {
  const p = join(dir(), name);
  writeFileSync(p, `export default { id: '${name.replace('.js', '')}', description: '', params: [], create() { ${body} } };`);
  return p;
};

describe('bad strategies', () => {
  it.each([
    [
      'warmup.js',
      `return { warmup: 'lots', onCandle: () => 'hold', explain: () => ({ reason: '', indicators: {} }) };`,
      /strategy warmup: warmup must be a positive integer \(candles\), got "lots"/,
    ],
    [
      'moon.js',
      `let k = 0; return { warmup: 1, onCandle: () => (++k === 3 ? 'moon' : 'hold'), explain: () => ({ reason: '', indicators: {} }) };`,
      /strategy moon: returned "moon"/,
    ],
    [
      'stop.js',
      `return { warmup: 1, onCandle: (c) => ({ action: 'buy', stopLoss: c.close * 2 }), explain: () => ({ reason: '', indicators: {} }) };`,
      /strategy stop: stopLoss .* is on the wrong side of the entry/,
    ],
    [
      'size.js',
      `return { warmup: 1, onCandle: () => ({ action: 'sell', size: 2 }), explain: () => ({ reason: '', indicators: {} }) };`,
      /strategy size: size 2 must be a fraction of equity above 0 and at most 1/,
    ],
  ])('%s: one line, exit 9, a failed backtest, nothing else; a bot goes to error', async (name, body, message) => {
    const db = fresh();
    const path = file(name, body);
    const r = await runCli(['backtest', path, '--symbol', 'BTC-USD'], { db });
    expect(r.code).toBe(9);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    const rows = q(db, 'SELECT status, error_message FROM backtests');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'failed', error_message: expect.stringMatching(message) });
    if (name === 'stop.js' || name === 'size.js') return; // the bot side of the same checks: twice is enough
    expect((await runCli(['bot', 'create', 'b', '--strategy', path, '--symbol', 'BTC-USD'], { db })).code).toBe(0);
    expect((await runCli(['bot', 'run', 'b', '--for', '4h'], { db })).code).toBe(9); // the bot is in error: `bot run` of it exits 9, the clock went on
    const bot = json<{ status: string; lastError: string }>(await runCli(['bot', 'show', 'b', '--json'], { db }));
    expect(bot.status).toBe('error');
    expect(bot.lastError).toMatch(message);
    expect(q(db, "SELECT COUNT(*) AS n FROM orders WHERE status = 'filled'")[0]!.n).toBe(0);
  });
});

describe('said, not silent', () => {
  it('a run with every order rejected says why; warm-up from stored history is announced', async () => {
    const db = fresh();
    const r = await runCli(
      [
        'backtest',
        'ema_crossover',
        '--symbol',
        'SPX-FUT',
        '--param',
        'fast=2',
        '--param',
        'slow=5',
        '--from',
        '2026-02-28T06:00:00Z',
        '--json',
      ],
      { db },
    );
    expect(r.code, r.stderr).toBe(0);
    const out = json<{
      metrics: { rejectedOrders: number; trades: number };
      rejections: Array<{ reason: string; decision: string }>;
      notes: string[];
      warnings: string[];
    }>(r);
    expect(out.metrics.trades).toBe(0);
    expect(out.metrics.rejectedOrders).toBe(out.rejections.length);
    expect(out.rejections[0]!.reason).toMatch(
      /^one SPX-FUT lot \(1\) needs \$2\d,\d{3}\.\d\d margin at [\d.]+; available margin is \$10,000\.00$/,
    );
    expect(out.rejections[0]!.decision).toMatch(/crossed above/);
    expect(out.notes).toEqual(['warm-up: 50 1h candles from 2026-02-26T04:00:00.000Z']);
    expect(out.warnings.at(-1)).toMatch(/^every order was rejected: one SPX-FUT lot/);
    const human = await runCli(
      ['backtest', 'ema_crossover', '--symbol', 'SPX-FUT', '--param', 'fast=2', '--param', 'slow=5', '--from', '2026-02-28T06:00:00Z'],
      { db },
    );
    expect(human.stdout).toMatch(/orders rejected \/ resized +│ \d+ \/ 0/);
    expect(human.stdout).toMatch(/\nwarning: every order was rejected: one SPX-FUT lot/);
    expect(human.stderr).toMatch(/warm-up: 50 1h candles from 2026-02-26T04:00:00.000Z/);
  });
});

describe('concurrent advances', () => {
  // Real processes racing for the write lock (how they interleave is up to SQLite's busy handler;
  // test/integration/concurrent-advance.test.ts forces an interleaving slice by slice).
  it('two `market advance` and a `bot run` at once make the decisions and orders of one sequential advance', async () => {
    const prepared = fresh();
    await startRacingBots(prepared);
    let copies = 0;
    const copy = () => {
      const p = join(dir(), `c${copies++}.db`);
      copyFileSync(prepared, p);
      return p;
    };
    const seq = copy();
    expect((await runCli(['market', 'advance', '4d'], { db: seq })).code).toBe(0);
    const par = copy();
    const runs = await Promise.all([
      runCliAsync(['bot', 'run', 'x', '--for', '2d'], { db: par }),
      runCliAsync(['market', 'advance', '1d'], { db: par }),
      runCliAsync(['market', 'advance', '1d'], { db: par }),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const decisions = (db: string) =>
      q(
        db,
        `SELECT b.name, d.candle_timestamp, d.decision, d.reason, d.final_order, o.status, o.side, o.filled_size, o.fill_price, o.filled_at
      FROM bot_decisions d JOIN bots b ON b.id = d.bot_id LEFT JOIN orders o ON o.id = d.order_id ORDER BY b.name, d.candle_timestamp`,
      );
    const orders = (db: string) =>
      q(
        db,
        "SELECT side, status, size, filled_size, fill_price, filled_at, commission, reject_reason FROM orders WHERE source = 'bot' ORDER BY filled_at, created_at, side",
      );
    const a = decisions(seq);
    expect(a.filter((d) => d.status === 'filled').length).toBeGreaterThan(4);
    expect(decisions(par)).toEqual(a);
    expect(orders(par)).toEqual(orders(seq));
    expect(q(par, 'SELECT name, balance FROM accounts ORDER BY name')).toEqual(q(seq, 'SELECT name, balance FROM accounts ORDER BY name'));
  }, 120_000);
});

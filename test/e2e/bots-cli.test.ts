/** End-to-end: bots on the built CLI: lifecycle, risk, decisions, parity with backtests, crash safety. */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { BIN, cleanEnv, json, queryDb, runCli, seededCopies } from '../helpers/cli.ts';

const END = '2026-03-01T00:00:00Z';
const { fresh, dir } = seededCopies(['--days', '2', '--end', END, '--instruments', 'BTC-USD,ETH-USD'], 'b');
const q = queryDb;

describe('lifecycle', () => {
  it('legal transitions only, with clear errors', async () => {
    const db = fresh();
    expect((await runCli(['bot', 'create', 'trend', '--strategy', 'ema_crossover', '--symbol', 'BTC-USD'], { db })).code).toBe(0);
    expect((await runCli(['bot', 'create', 'trend', '--strategy', 'ema_crossover', '--symbol', 'BTC-USD'], { db })).code).toBe(4);
    const steps: Array<[string, number, string | RegExp]> = [
      ['pause', 4, /cannot pause bot "trend": it is idle/],
      ['resume', 4, /cannot resume/],
      ['start', 0, 'running'],
      ['start', 4, /cannot start/],
      ['pause', 0, 'paused'],
      ['resume', 0, 'running'],
      ['stop', 0, 'stopped'],
      ['resume', 4, /it is stopped/],
      ['start', 0, 'running'],
    ];
    for (const [verb, code, expected] of steps) {
      const r = await runCli(['bot', verb, 'trend', '--json'], { db });
      expect(r.code, `${verb}: ${r.stderr}`).toBe(code);
      if (code === 0) expect(json<{ status: string }>(r).status).toBe(expected);
      else expect(r.stderr).toMatch(expected);
    }
    expect(json<{ status: string }>(await runCli(['bot', 'show', 'trend', '--json'], { db })).status).toBe('running');
    expect((await runCli(['bot', 'show', 'nobody'], { db })).code).toBe(3);
  });

  it.each([
    [['bot', 'create', 'x', '--symbol', 'BTC-USD'], 2, /--strategy is required/],
    [['bot', 'create', 'x', '--strategy', 'nope', '--symbol', 'BTC-USD'], 3, /unknown strategy "nope"/],
    [['bot', 'create', 'x', '--strategy', 'ema_crossover', '--symbol', 'DOGE'], 3, /unknown symbol/],
    [
      ['bot', 'create', 'x', '--strategy', 'ema_crossover', '--symbol', 'BTC-USD', '--param', 'fast=40'],
      2,
      /fast \(40\) must be below slow/,
    ],
    [
      ['bot', 'create', 'x', '--strategy', 'ema_crossover', '--symbol', 'BTC-USD', '--max-drawdown', 'lots'],
      2,
      /--max-drawdown must be a percentage/,
    ],
    [['bot', 'run', 'x', '--for', '7d'], 3, /unknown bot "x"/],
  ])('%j -> exit %d, nothing written', async (args, code, message) => {
    const db = fresh();
    const r = await runCli(args, { db });
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(q(db, 'SELECT COUNT(*) AS n FROM bots')[0]!.n).toBe(0);
  });
});

describe('running', () => {
  it('trades on closed candles, records every decision, stats agree with the ledger, explain', async () => {
    const db = fresh();
    expect(
      (
        await runCli(
          [
            'bot',
            'create',
            'fast',
            '--strategy',
            'ema_crossover',
            '--symbol',
            'BTC-USD',
            '--param',
            'fast=3',
            '--param',
            'slow=8',
            '--size',
            '25%',
          ],
          { db },
        )
      ).code,
    ).toBe(0);
    expect((await runCli(['account', 'create', 'Second', '--balance', '5000'], { db })).code).toBe(0);
    expect(
      (
        await runCli(
          [
            'bot',
            'create',
            'eth',
            '--strategy',
            'rsi_reversion',
            '--symbol',
            'ETH-USD',
            '--timeframe',
            '15m',
            '--account',
            'Second',
            '--param',
            'oversold=45',
            '--param',
            'exit=55',
          ],
          { db },
        )
      ).code,
    ).toBe(0);
    expect((await runCli(['bot', 'start', 'eth'], { db })).code).toBe(0);
    const r = await runCli(['bot', 'run', 'fast', '--for', '3d', '--json'], { db });
    expect(r.code, r.stderr).toBe(0);
    const out = json<{ decisions: number; bot: { stats: { trades: number } } }>(r);
    expect(out.decisions).toBe(72); // one per closed 1h candle
    expect(q(db, "SELECT COUNT(*) AS n FROM bot_decisions d JOIN bots b ON b.id = d.bot_id WHERE b.name = 'eth'")[0]!.n).toBe(288); // both bots ran
    const decisions = json<
      Array<{
        decision: string;
        reason: string;
        indicators: Record<string, number>;
        orderId: string | null;
        executed: boolean;
        result: { status: string; fillPrice: string } | null;
      }>
    >(await runCli(['bot', 'decisions', 'fast', '--only-trades', '--limit', '100', '--json'], { db }));
    expect(decisions.length).toBeGreaterThan(1);
    for (const d of decisions) {
      expect(d.reason).toMatch(/crossed (above|below)/);
      expect(Object.keys(d.indicators)).toEqual(['ema_3', 'ema_8', 'close']);
      if (d.orderId) expect(d.result?.status).toBe('filled');
    }
    const withOrder = decisions.find((d) => d.orderId)!;
    const ex = json<{ reason: string; order: string }>(await runCli(['bot', 'explain', withOrder.orderId!.slice(0, 8), '--json'], { db }));
    expect(ex.reason).toBe(withOrder.reason);
    const v = await runCli(['ledger', 'verify', '--json'], { db });
    expect(v.code, v.stdout).toBe(0);
    expect(json<{ checks: Array<{ name: string; ok: boolean }> }>(v).checks.find((c) => c.name.startsWith('bot stats'))?.ok).toBe(true);
    const manual = json<{ id: string }>(await runCli(['order', 'buy', 'ETH-USD', '0.01', '--json'], { db }));
    expect((await runCli(['bot', 'explain', manual.id.slice(0, 8)], { db })).stderr).toMatch(/not placed by a bot decision/);
  });

  it('risk layer: size cut to the max position; daily loss and drawdown trip the circuit breaker', async () => {
    const db = fresh();
    expect(
      (
        await runCli(
          ['bot', 'create', 'capped', '--strategy', 'buy_and_hold', '--symbol', 'BTC-USD', '--timeframe', '15m', '--max-position', '0.01'],
          { db },
        )
      ).code,
    ).toBe(0);
    expect((await runCli(['bot', 'run', 'capped', '--for', '1h'], { db })).code).toBe(0);
    const cut = json<Array<{ riskAdjusted: boolean; riskAdjustmentReason: string; finalOrder: { size: string } }>>(
      await runCli(['bot', 'decisions', 'capped', '--only-trades', '--json'], { db }),
    );
    expect(cut[0]).toMatchObject({ riskAdjusted: true, finalOrder: { size: '0.01' } }); // a decimal string, as every size in --json
    expect(cut[0]!.riskAdjustmentReason).toMatch(/size cut from .* to 0.01: max position 0.01/);
    expect(q(db, 'SELECT size FROM positions WHERE is_open = 1')[0]!.size).toBe(1_000_000);

    const db2 = fresh();
    const boom = join(dir(), 'flip.js'); // flips every candle: fees and spread lose money fast
    writeFileSync(
      boom,
      `export default { id: 'flipper', description: '', params: [], create() { let k = 0; return { warmup: 1, onCandle() { return (k++ % 2) ? 'sell' : 'buy'; }, explain: () => ({ reason: 'flip', indicators: {} }) }; } };`,
    );
    expect(
      (
        await runCli(
          [
            'bot',
            'create',
            'loser',
            '--strategy',
            boom,
            '--symbol',
            'BTC-USD',
            '--timeframe',
            '1m',
            '--leverage',
            '5',
            '--max-daily-loss',
            '20',
          ],
          { db: db2 },
        )
      ).code,
    ).toBe(0);
    expect((await runCli(['bot', 'run', 'loser', '--for', '6h'], { db: db2 })).code).toBe(0);
    const bot = json<{ status: string; circuitBroken: boolean; circuitBreakerReason: string }>(
      await runCli(['bot', 'show', 'loser', '--json'], { db: db2 }),
    );
    expect(bot).toMatchObject({ status: 'paused', circuitBroken: true });
    expect(bot.circuitBreakerReason).toMatch(/max daily loss 20.00/);
    expect((await runCli(['bot', 'resume', 'loser'], { db: db2 })).stderr).toMatch(/circuit breaker/);
    expect(json<{ status: string }>(await runCli(['bot', 'reset', 'loser', '--json'], { db: db2 })).status).toBe('paused');
    expect(json<{ circuitBroken: boolean }>(await runCli(['bot', 'show', 'loser', '--json'], { db: db2 })).circuitBroken).toBe(false);

    expect(
      (
        await runCli(
          [
            'bot',
            'create',
            'dd',
            '--strategy',
            boom,
            '--symbol',
            'ETH-USD',
            '--timeframe',
            '1m',
            '--leverage',
            '5',
            '--max-drawdown',
            '0.5',
          ],
          { db: db2 },
        )
      ).code,
    ).toBe(0);
    expect((await runCli(['bot', 'run', 'dd', '--for', '6h'], { db: db2 })).code).toBe(0);
    expect(json<{ circuitBreakerReason: string }>(await runCli(['bot', 'show', 'dd', '--json'], { db: db2 })).circuitBreakerReason).toMatch(
      /drawdown .* reached its max drawdown 0.5%/,
    );
    expect((await runCli(['ledger', 'verify'], { db: db2 })).code).toBe(0);
  });

  it('a strategy that throws puts its bot in error; the other bots go on', async () => {
    const db = fresh();
    const bad = join(dir(), 'throws.js');
    writeFileSync(
      bad,
      `export default { id: 'thrower', description: '', params: [], create() { let k = 0; return { warmup: 1, onCandle() { if (++k === 3) throw new Error('bad data at candle 3'); return 'hold'; }, explain: () => ({ reason: '', indicators: {} }) }; } };`,
    );
    expect((await runCli(['bot', 'create', 'bad', '--strategy', bad, '--symbol', 'BTC-USD'], { db })).code).toBe(0);
    expect((await runCli(['bot', 'create', 'good', '--strategy', 'buy_and_hold', '--symbol', 'ETH-USD'], { db })).code).toBe(0);
    expect((await runCli(['bot', 'start', 'good'], { db })).code).toBe(0);
    expect((await runCli(['bot', 'run', 'bad', '--for', '10h'], { db })).code).toBe(9); // its strategy failed; the clock and the other bot went on
    expect(json<{ status: string; lastError: string }>(await runCli(['bot', 'show', 'bad', '--json'], { db }))).toMatchObject({
      status: 'error',
      lastError: expect.stringMatching(/^strategy thrower: threw at the candle of .*: bad data at candle 3$/),
    });
    expect(q(db, "SELECT COUNT(*) AS n FROM bot_decisions d JOIN bots b ON b.id = d.bot_id WHERE b.name = 'good'")[0]!.n).toBe(10);
    expect((await runCli(['bot', 'delete', 'good'], { db })).stderr).toMatch(/holds a long position/);
    expect((await runCli(['bot', 'delete', 'good', '--force', '--yes'], { db })).code).toBe(0);
    expect(q(db, 'SELECT COUNT(*) AS n FROM positions WHERE is_open = 1')[0]!.n).toBe(0);
    expect((await runCli(['ledger', 'verify'], { db })).code).toBe(0);
  });
});

describe('parity: a bot and a backtest of the same strategy over the same candles make the same trades', () => {
  it('same fills (times, prices, sizes), fees and final equity', async () => {
    const db = fresh();
    expect((await runCli(['account', 'create', 'Parity', '--balance', '10000'], { db })).code).toBe(0);
    expect(
      (
        await runCli(
          [
            'bot',
            'create',
            'p',
            '--strategy',
            'ema_crossover',
            '--symbol',
            'BTC-USD',
            '--account',
            'Parity',
            '--param',
            'fast=4',
            '--param',
            'slow=10',
            '--param',
            'mode=long_short',
            '--size',
            '50%',
          ],
          { db },
        )
      ).code,
    ).toBe(0);
    expect((await runCli(['bot', 'run', 'p', '--for', '6d'], { db })).code).toBe(0);
    expect((await runCli(['bot', 'delete', 'p', '--force', '--yes'], { db })).code).toBe(0); // closes at the last close, like the backtest's end
    const fills = q(
      db,
      `SELECT o.filled_at, o.side, o.fill_price, o.filled_size, o.commission FROM orders o JOIN accounts a ON a.id = o.account_id
      WHERE a.name = 'Parity' AND o.status = 'filled' ORDER BY o.filled_at, o.rowid`,
    );
    const equity = q(db, "SELECT balance FROM accounts WHERE name = 'Parity'")[0]!.balance as number;
    const bt = json<{
      metrics: { finalEquity: number; totalFees: number };
      trades: Array<{ entry_time: string; exit_time: string; entry_price: number; exit_price: number; size: number; fees: number }>;
    }>(
      await runCli(
        [
          'backtest',
          'ema_crossover',
          '--symbol',
          'BTC-USD',
          '--timeframe',
          '1h',
          '--from',
          END,
          '--to',
          '2026-03-07T00:00:00Z',
          '--param',
          'fast=4',
          '--param',
          'slow=10',
          '--param',
          'mode=long_short',
          '--size',
          '50%',
          '--capital',
          '10000',
          '--json',
        ],
        { db },
      ),
    );
    expect(bt.trades.length).toBeGreaterThan(3);
    expect(fills.length).toBeGreaterThan(3);
    // every fill of the backtest (entries and exits; a reversal is a close fill, then an open fill) at the same time and price
    const btFills = bt.trades.flatMap((tr) => [
      [tr.entry_time, tr.entry_price],
      [tr.exit_time, tr.exit_price],
    ]);
    expect(fills.map((f) => f.filled_at)).toEqual(btFills.map((f) => f[0]));
    expect(fills.map((f) => (f.fill_price as number) / 1e8)).toEqual(btFills.map((f) => f[1]));
    const fees = fills.reduce((s, f) => s + (f.commission as number), 0) / 1e6;
    expect(fees).toBeCloseTo(bt.metrics.totalFees, 2);
    expect(equity / 1e6).toBeCloseTo(bt.metrics.finalEquity, 2);
  });
});

describe('crash safety', () => {
  it('SIGKILL at random moments leaves a consistent db; running again continues', async () => {
    const db = fresh();
    expect(
      (
        await runCli(
          [
            'bot',
            'create',
            'k',
            '--strategy',
            'ema_crossover',
            '--symbol',
            'BTC-USD',
            '--timeframe',
            '15m',
            '--param',
            'fast=3',
            '--param',
            'slow=7',
            '--size',
            '30%',
          ],
          { db },
        )
      ).code,
    ).toBe(0);
    expect((await runCli(['bot', 'start', 'k'], { db })).code).toBe(0);
    const start = Date.parse(END);
    for (const delay of [250, 420, 600, 900]) {
      // long enough (~200 days of 1m bars) that the kill always lands mid-run
      const child = spawn(process.execPath, [BIN, '--db', db, 'bot', 'run', 'k', '--for', '200d'], { env: cleanEnv(), stdio: 'ignore' });
      const closed = new Promise<NodeJS.Signals | null>((r) => child.on('close', (_code, signal) => r(signal)));
      await Promise.race([closed, new Promise((r) => setTimeout(r, delay))]);
      child.kill('SIGKILL');
      expect(await closed).toBe('SIGKILL');
      const s = new BetterSqlite3(db);
      expect(s.pragma('integrity_check', { simple: true })).toBe('ok');
      s.close();
      expect((await runCli(['ledger', 'verify'], { db })).code).toBe(0);
      // a decision with an order always has its order, and every bot order its decision
      expect(
        q(
          db,
          'SELECT COUNT(*) AS n FROM bot_decisions d LEFT JOIN orders o ON o.id = d.order_id WHERE d.order_id IS NOT NULL AND o.id IS NULL',
        )[0]!.n,
      ).toBe(0);
      expect(
        q(
          db,
          "SELECT COUNT(*) AS n FROM orders o WHERE o.source = 'bot' AND NOT EXISTS (SELECT 1 FROM bot_decisions d WHERE d.order_id = o.id)",
        )[0]!.n,
      ).toBe(0);
    }
    const clock = Number(q(db, "SELECT value FROM settings WHERE key = 'clock'")[0]!.value);
    expect((clock - start) % 86_400_000).toBe(0); // only whole committed days
    const r = await runCli(['bot', 'run', 'k', '--for', '2d', '--json'], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(Date.parse(json<{ to: string }>(r).to)).toBe(clock + 2 * 86_400_000);
    // decisions continue without gaps or duplicates: one per 15m candle since the start
    const d = q(db, 'SELECT candle_timestamp FROM bot_decisions ORDER BY candle_timestamp');
    expect(d.length).toBe((clock + 2 * 86_400_000 - start) / 900_000);
    expect(new Set(d.map((x) => x.candle_timestamp)).size).toBe(d.length);
  }, 120_000);
});

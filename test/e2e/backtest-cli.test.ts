/** End-to-end: strategies, backtests, sweeps, imports on the built CLI. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { BIN, cleanEnv, json, ROOT, runCli, tempDir } from '../helpers/cli.ts';

let t: ReturnType<typeof tempDir>;
let db: string;
const row = (sql: string, ...args: unknown[]) => {
  const s = new BetterSqlite3(db, { readonly: true });
  try {
    return s.prepare(sql).get(...args) as Record<string, unknown>;
  } finally {
    s.close();
  }
};

beforeAll(async () => {
  t = tempDir();
  db = join(t.dir, 'bt.db');
  expect((await runCli(['seed', '--days', '3', '--end', '2026-03-01T00:00:00Z', '--instruments', 'BTC-USD,ETH-USD'], { db })).code).toBe(0);
});
afterAll(() => t.cleanup());

interface BtJson {
  id: string;
  status: string;
  metrics: Record<string, unknown>;
  tradeLog: string;
  trades: Array<Record<string, unknown>>;
}

describe('backtest', () => {
  it('runs ema_crossover: metrics, a completed row, a trade log file', async () => {
    const r = await runCli(['backtest', 'ema_crossover', '--timeframe', '15m', '--param', 'mode=long_short', '--json'], { db });
    expect(r.code, r.stderr).toBe(0);
    const b = json<BtJson>(r);
    for (const k of [
      'start',
      'end',
      'durationDays',
      'exposurePct',
      'finalEquity',
      'peakEquity',
      'returnPct',
      'buyAndHoldReturnPct',
      'cagrPct',
      'volatilityAnnPct',
      'sharpe',
      'sortino',
      'calmar',
      'maxDrawdownPct',
      'maxDrawdownDurationDays',
      'avgDrawdownPct',
      'trades',
      'winRatePct',
      'bestTradePct',
      'worstTradePct',
      'avgTradePct',
      'profitFactor',
      'expectancy',
      'sqn',
      'totalFees',
      'totalFunding',
    ])
      expect(b.metrics).toHaveProperty(k);
    expect(b.metrics.trades).toBeGreaterThan(0);
    expect(b.trades[0]).toEqual(
      expect.objectContaining({
        side: expect.any(String),
        entry_reason: expect.stringMatching(/crossed/),
        exit_reason: expect.any(String),
      }),
    );
    const rowData = row('SELECT status, progress, trade_log_url, metrics, started_at, completed_at FROM backtests WHERE id = ?', b.id);
    expect(rowData).toMatchObject({ status: 'completed', progress: 1, trade_log_url: b.tradeLog });
    expect(JSON.parse(String(rowData.metrics))).toEqual(b.metrics);
    expect(readFileSync(b.tradeLog, 'utf8').split('\n')[0]).toBe(
      'n,side,entry_time,entry_price,exit_time,exit_price,size,pnl,gross_pnl,fees,funding,return_pct,entry_reason,exit_reason',
    );
    const list = json<Array<{ id: string; status: string }>>(await runCli(['backtests', '--json'], { db }));
    expect(list.find((x) => x.id === b.id)?.status).toBe('completed');
    expect(json<{ id: string }>(await runCli(['backtests', 'show', b.id.slice(0, 8), '--json'], { db })).id).toBe(b.id);
  });

  it('the same inputs give byte-identical metrics and trade logs', async () => {
    const args = ['backtest', 'rsi_reversion', '--timeframe', '5m', '--size', '50%', '--leverage', '2', '--json'];
    const a = json<BtJson>(await runCli([...args, '--trades', join(t.dir, 'a.csv')], { db }));
    const b = json<BtJson>(await runCli([...args, '--trades', join(t.dir, 'b.csv')], { db }));
    expect(JSON.stringify(b.metrics)).toBe(JSON.stringify(a.metrics));
    expect(readFileSync(join(t.dir, 'b.csv'))).toEqual(readFileSync(join(t.dir, 'a.csv')));
    expect(a.trades.length).toBeGreaterThan(0);
  });

  it('every built-in strategy runs; the trades JSON file can be requested', async () => {
    const list = json<Array<{ id: string }>>(await runCli(['strategies', '--json']));
    expect(list.map((s) => s.id)).toEqual([
      'ema_crossover',
      'sma_crossover',
      'rsi_reversion',
      'macd',
      'bollinger_breakout',
      'buy_and_hold',
    ]);
    for (const s of list) {
      const r = await runCli(
        ['backtest', s.id, '--timeframe', '15m', '--symbol', 'ETH-USD', '--trades', join(t.dir, `${s.id}.json`), '--json'],
        { db },
      );
      expect(r.code, `${s.id}: ${r.stderr}`).toBe(0);
      expect(Array.isArray(JSON.parse(readFileSync(join(t.dir, `${s.id}.json`), 'utf8')))).toBe(true);
    }
  });

  it('user strategies from .js and .ts files', async () => {
    const js = await runCli(['backtest', join(ROOT, 'fixtures', 'example-strategy.js'), '--json'], { db });
    expect(js.code, js.stderr).toBe(0);
    const ts = join(t.dir, 'mine.ts');
    writeFileSync(
      ts,
      `interface C { close: number }
      const strategy = { id: 'always_long', description: 'test', params: [],
        create() { return { warmup: 1, onCandle(_c: C, p: number): 'buy' | 'hold' { return p === 0 ? 'buy' : 'hold'; }, explain: () => ({ reason: 'typed', indicators: {} }) }; } };
      export default strategy;`,
    );
    const r = await runCli(['backtest', ts, '--json'], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(json<BtJson>(r).trades[0]?.entry_reason).toBe('typed');
  });

  it('--json prints the same trade list made with a CSV log as with a JSON one, raw or escaped', async () => {
    // reasons that JSON escapes (quote, backslash, newline, C0), one it leaves (U+2028), and a C1
    // control the terminal-safe printer escapes in the second run
    const js = join(t.dir, 'odd-reasons.js');
    const reasons = (c1: boolean) => ['q "x"', 'back\\slash', 'line\nbreak, comma', 'ctl \u0001 \u2028 é 😀', c1 ? 'c1 \u0085' : 'plain'];
    for (const c1 of [false, true]) {
      writeFileSync(
        js,
        `const R = ${JSON.stringify(reasons(c1))};
        export default { id: 'odd', description: 'test', params: [],
          create() { let k = 0; return { warmup: 1, onCandle(_c, p) { k++; return k % 7 === 0 ? (p === 0 ? 'buy' : 'close') : 'hold'; },
            explain: () => ({ reason: R[k % R.length], indicators: {} }) }; } };`,
      );
      const args = ['backtest', js, '--timeframe', '5m', '--json'];
      const fromCsv = await runCli([...args, '--trades', join(t.dir, `odd-${c1}.csv`)], { db });
      const fromJson = await runCli([...args, '--trades', join(t.dir, `odd-${c1}.json`)], { db });
      expect(fromCsv.code, fromCsv.stderr).toBe(0);
      expect(fromJson.code, fromJson.stderr).toBe(0);
      // the C1 control is printed as the four characters \x85 (which is then no JSON escape)
      expect(fromCsv.stdout.includes('\\x85')).toBe(c1);
      const same = (r: typeof fromCsv) => {
        const id = /"id": "([^"]+)"/.exec(r.stdout)?.[1] ?? 'none';
        const log = /"tradeLog": "([^"]+)"/.exec(r.stdout)?.[1] ?? 'none';
        return r.stdout.replaceAll(id, 'ID').replaceAll(log, 'LOG');
      };
      expect(same(fromCsv)).toBe(same(fromJson));
      expect(same(fromCsv).split('"n": ').length).toBeGreaterThan(10);
      if (!c1) expect(json<BtJson>(fromCsv).trades).toStrictEqual(JSON.parse(readFileSync(join(t.dir, `odd-${c1}.json`), 'utf8')));
    }
  });

  it('a strategy that throws marks the backtest failed with the message', async () => {
    const bad = join(t.dir, 'boom.js');
    writeFileSync(
      bad,
      `export default { id: 'boom', description: '', params: [], create() { let n = 0; return { warmup: 1, onCandle() { if (++n > 5) throw new Error('kaboom at candle 6'); return 'hold'; }, explain: () => ({ reason: '', indicators: {} }) }; } };`,
    );
    const r = await runCli(['backtest', bad], { db });
    expect(r.code).toBe(9); // strategy failed
    expect(r.stderr).toMatch(/failed: strategy boom: threw at the candle of .*: kaboom at candle 6/);
    expect(row("SELECT status, error_message FROM backtests WHERE strategy_id = 'boom'")).toEqual({
      status: 'failed',
      error_message: expect.stringMatching(/^strategy boom: threw .*kaboom at candle 6$/),
    });
  });
});

describe('Ctrl-C', () => {
  it('cancels a running backtest: exit 130, status canceled, no trade log', async () => {
    // a slow strategy (1 ms per 1m candle, ~4 s over 3 days) so the interrupt lands mid-run
    const slow = join(t.dir, 'slow.js');
    writeFileSync(
      slow,
      `export default { id: 'slow', description: '', params: [], create() { return { warmup: 1, onCandle() { const t = Date.now(); while (Date.now() - t < 1); return 'hold'; }, explain: () => ({ reason: '', indicators: {} }) }; } };`,
    );
    const trades = join(t.dir, 'slow-trades.csv');
    const child = spawn(process.execPath, [BIN, '--db', db, 'backtest', slow, '--timeframe', '1m', '--trades', trades], {
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    // interrupt once the run has started
    for (let i = 0; i < 200 && row("SELECT COUNT(*) AS n FROM backtests WHERE strategy_id = 'slow' AND status = 'running'").n === 0; i++)
      await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGINT');
    expect(await closed, stderr).toBe(130);
    expect(stderr).toMatch(/canceled; nothing was written but its status/);
    const b = row("SELECT status, progress, metrics, trade_log_url, error_message FROM backtests WHERE strategy_id = 'slow'");
    expect(b).toMatchObject({ status: 'canceled', metrics: null, trade_log_url: null, error_message: 'canceled by the user' });
    expect(b.progress).toBeLessThan(1);
    expect(existsSync(trades)).toBe(false);
  }, 30_000);
});

describe('bad input: one line, exit code, nothing written', () => {
  it.each([
    [['backtest', 'nope'], 3, /unknown strategy "nope"/],
    [['backtest', 'ema_crossover', '--param', 'speed=3'], 2, /unknown parameter "speed"/],
    [['backtest', 'ema_crossover', '--param', 'fast=30', '--param', 'slow=20'], 2, /fast \(30\) must be below slow \(20\)/],
    [['backtest', 'ema_crossover', '--param', 'fast=abc'], 2, /fast must be a number/],
    [['backtest', 'ema_crossover', '--from', '2020-01-01', '--to', '2020-01-02'], 2, /no BTC-USD candles/],
    [['backtest', 'ema_crossover', '--from', '2026-02-28', '--to', '2026-02-27'], 2, /--from .* is after --to/],
    [['backtest', './missing-strategy.js'], 3, /does not exist/],
    [['backtest', join(ROOT, 'package.json')], 2, /cannot load|does not export/],
    [['backtest', 'ema_crossover', '--size', 'lots'], 2, /--size must be/],
    [['backtest', 'ema_crossover', '--capital', '-5'], 2, /--capital must be a positive amount/],
    [['optimize', 'ema_crossover', '--grid', 'fast=5-20'], 2, /fast must be a number, got "5-20"/],
    [['optimize', 'ema_crossover', '--grid', 'fast'], 2, /is not NAME=START:END:STEP/],
    [['optimize', 'ema_crossover', '--grid', 'speed=1:3:1'], 2, /unknown parameter "speed"/],
    [['optimize', 'ema_crossover', '--grid', 'fast=20:5:5'], 2, /end \(5\) is before the start/],
    [['optimize', 'ema_crossover'], 2, /at least one --grid/],
    [['optimize', 'ema_crossover', '--grid', 'fast=5:10:5', '--metric', 'luck'], 2, /unknown --metric/],
  ])('%j -> exit %d', async (args, code, message) => {
    const before = row('SELECT COUNT(*) AS n FROM backtests').n;
    const r = await runCli(args, { db });
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(row('SELECT COUNT(*) AS n FROM backtests').n).toBe(before);
  });
});

describe('optimize', () => {
  it('ranks the grid, same results with 1 or 2 workers', async () => {
    // --min-trades 0: every combination is ranked (the default 5 leaves thin ones out, see workflow tests)
    const args = [
      'optimize',
      'ema_crossover',
      '--grid',
      'fast=4:12:4',
      '--grid',
      'slow=16:32:8',
      '--timeframe',
      '15m',
      '--min-trades',
      '0',
      '--json',
    ];
    const one = await runCli([...args, '--workers', '1'], { db });
    const two = await runCli([...args, '--workers', '2'], { db });
    expect(one.code, one.stderr).toBe(0);
    // the same results; each run is stored as its own sweep
    const noId = (s: string) => s.replace(/"sweepId": "[^"]*"/, '');
    expect(noId(two.stdout)).toBe(noId(one.stdout));
    const r = json<{
      combinations: number;
      results: Array<{ rank: number; params: Record<string, number>; metrics: { sharpe: number } }>;
      best: Record<string, number>;
    }>(one);
    expect(r.combinations).toBe(9);
    expect(r.results.map((x) => x.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (let i = 1; i < r.results.length; i++)
      expect(r.results[i - 1]!.metrics.sharpe).toBeGreaterThanOrEqual(r.results[i]!.metrics.sharpe);
    expect(r.best).toEqual(r.results[0]!.params);
  });
});

describe('real data', () => {
  it('imports the S&P 500 fixture and backtests it', async () => {
    const d = join(t.dir, 'real.db');
    expect((await runCli(['instruments', 'add', 'SPX500', '--type', 'cfd', '--tick', '0.01'], { db: d })).code).toBe(0);
    const imp = json<{ imported: number; layout: string }>(
      await runCli(
        ['import', 'candles', join(ROOT, 'fixtures', 'sp500-daily-2015-2020.csv'), '--symbol', 'SPX500', '--timeframe', '1d', '--json'],
        { db: d },
      ),
    );
    expect(imp).toMatchObject({ imported: 1332, layout: 'yahoo' }); // its adjclose column is ignored without --adjusted
    const b = json<BtJson>(await runCli(['backtest', 'sma_crossover', '--symbol', 'SPX500', '--timeframe', '1d', '--json'], { db: d }));
    expect(b.status).toBe('completed');
    expect(b.metrics.buyAndHoldReturnPct).toBeCloseTo((2874.56 / 2058.9) * 100 - 100, 0);
    expect(b.metrics.trades).toBeGreaterThan(3);
    expect((await runCli(['backtest', 'sma_crossover', '--symbol', 'SPX500', '--timeframe', '1h'], { db: d })).stderr).toMatch(
      /only has 1d candles/,
    );
    expect(existsSync(b.tradeLog)).toBe(true);
  });

  it('all-or-nothing import with line numbers; --skip-invalid imports the rest; Binance dumps detected', async () => {
    const d = join(t.dir, 'imp.db');
    expect((await runCli(['instruments', 'add', 'XYZ'], { db: d })).code).toBe(0);
    const bad = join(t.dir, 'bad.csv');
    writeFileSync(
      bad,
      'Date,Open,High,Low,Close,Volume\n2024-01-01,10,11,9,10.5,100\n2024-01-02,10,9,8,10,100\nnot-a-date,1,1,1,1,1\n2024-01-04,10,12,9,11,-3\n',
    );
    const r = await runCli(['import', 'candles', bad, '--symbol', 'XYZ', '--timeframe', '1d'], { db: d });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/3 invalid row\(s\), nothing imported: line 3: .*; line 4: .*; line 5: volume/);
    expect(row.call(null, 'SELECT 1 AS n') && new BetterSqlite3(d).prepare('SELECT COUNT(*) AS n FROM candles').get()).toEqual({ n: 0 });
    expect(
      json<{ imported: number }>(
        await runCli(['import', 'candles', bad, '--symbol', 'XYZ', '--timeframe', '1d', '--skip-invalid', '--json'], { db: d }),
      ).imported,
    ).toBe(1);
    // 1m rows next to XYZ's 1d rows would shadow them: refused; another instrument takes them
    expect(
      (await runCli(['import', 'candles', join(ROOT, 'fixtures', 'binance-klines-sample.csv'), '--symbol', 'XYZ'], { db: d })).code,
    ).toBe(4);
    expect((await runCli(['instruments', 'add', 'XYZM'], { db: d })).code).toBe(0);
    expect(
      json<{ imported: number; layout: string }>(
        await runCli(['import', 'candles', join(ROOT, 'fixtures', 'binance-klines-sample.csv'), '--symbol', 'XYZM', '--json'], { db: d }),
      ),
    ).toMatchObject({ imported: 4, layout: 'binance' });
    expect((await runCli(['import', 'candles', bad, '--symbol', 'NOPE', '--timeframe', '1d'], { db: d })).code).toBe(3);
    const missing = await runCli(['import', 'candles', join(t.dir, 'none.csv'), '--symbol', 'XYZ'], { db: d });
    expect(missing.stderr).toMatch(/no such file/);
    expect(missing.code).toBe(3);
  });

  it('indicators prints the requested columns', async () => {
    const r = json<{ rows: Array<Record<string, number | null>> }>(
      await runCli(
        [
          'indicators',
          'BTC-USD',
          '--ind',
          'ema:10',
          '--ind',
          'macd:12:26:9',
          '--ind',
          'bb:20:2',
          '--ind',
          'atr:14',
          '--last',
          '5',
          '--json',
        ],
        { db },
      ),
    );
    expect(r.rows).toHaveLength(5);
    expect(Object.keys(r.rows[0]!)).toEqual([
      'time',
      'close',
      'ema_10',
      'macd',
      'macd_signal',
      'macd_hist',
      'bb_lower',
      'bb_middle',
      'bb_upper',
      'atr_14',
    ]);
    expect((await runCli(['indicators', 'BTC-USD', '--ind', 'wma:3'], { db })).code).toBe(2);
  });
});

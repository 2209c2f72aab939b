/**
 * Issue 11 behaviours on a temp database, through the real command line in-process: bots whose
 * strategy fails go to `error` and the others go on; user strategies in a worker (time limit,
 * process.exit, rich arguments); money limits and house bounds; trade-log modes and overwrite;
 * migrations in one transaction; the reaper of interrupted backtests; LIKE wildcards; names.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import { runInProcess } from '../../src/cli/main.ts';
import { openSqliteStore as openStore } from '../../src/store/db.ts';
import { migrateDown, migrateUp, migrationStatus } from '../../src/store/migrator.ts';
import { loadStrategy } from '../../src/app/strategy-loader.ts';
import { plainData } from '../../src/app/strategy-worker.ts';
import { reapInterruptedBacktests } from '../../src/app/liveness.ts';
import { StrategyError } from '../../src/core/errors.ts';
import { MIGRATION_NAMES } from '../../migrations/names.ts';
import { tempDir } from '../helpers/cli.ts';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _e: string, cb: () => void): void {
    this.text += String(chunk);
    cb();
  }
}

let t: ReturnType<typeof tempDir>;
let db: string;
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new Capture();
  const err = new Capture();
  const code = await runInProcess(['--db', db, ...args], { out, err, env: { HOME: t.dir, NO_COLOR: '1' } });
  return { code, out: out.text, err: err.text };
}
async function ok(...args: string[]): Promise<string> {
  const r = await cli(...args);
  expect(r, r.err).toMatchObject({ code: 0 });
  return r.out;
}
const query = <T>(sql: string, ...params: unknown[]): T[] => {
  const s = new BetterSqlite3(db, { readonly: true });
  try {
    return s.prepare(sql).all(...params) as T[];
  } finally {
    s.close();
  }
};
const file = (name: string, text: string): string => {
  const p = join(t.dir, name);
  writeFileSync(p, text);
  return p;
};
const userStrategy = (name: string, onCandle: string, extra = '') =>
  file(
    name,
    `let n = 0;
export default { id: '${name.replace(/\W/g, '_')}', description: 't', params: [{ name: 'k', kind: 'int', default: 3, min: 1, max: 9, description: '' }], ${extra}
  create(p) { return { warmup: 1, onCandle(c, pos, ...rest) { ${onCandle} }, explain() { return { reason: 'r' + n, indicators: { n } }; } }; } };\n`,
  );

let template: ReturnType<typeof tempDir>;
beforeAll(async () => {
  template = tempDir('tunicoin-hard-template-');
  t = template;
  db = join(template.dir, 'template.db');
  await ok('seed', '--days', '2', '--instruments', 'BTC-USD,ETH-USD', '--end', '2026-01-03T00:00:00Z', '--seed', '5');
  const s = new BetterSqlite3(db);
  s.pragma('wal_checkpoint(TRUNCATE)');
  s.close();
});
afterAll(() => template.cleanup());
beforeEach(() => {
  t = tempDir('tunicoin-hard-');
  db = join(t.dir, 'h.db');
  copyFileSync(join(template.dir, 'template.db'), db);
});
afterEach(() => t.cleanup());

describe('a failing bot never stops the world', () => {
  it('a strategy that throws while warming up or running puts only its bot in error; the clock and the other bot go on', async () => {
    const bad = userStrategy('bad.js', "if (++n > 2) throw new Error('kaput'); return 'hold';");
    await ok('bot', 'create', 'bad', '--strategy', bad, '--symbol', 'BTC-USD', '--timeframe', '1h');
    await ok('bot', 'create', 'good', '--strategy', 'ema_crossover', '--symbol', 'ETH-USD', '--timeframe', '15m');
    await ok('bot', 'start', 'bad');
    await ok('bot', 'start', 'good');
    await ok('market', 'advance', '6h');
    const bots = query<{ name: string; status: string; last_error: string | null }>(
      'SELECT name, status, last_error FROM bots ORDER BY name',
    );
    expect(bots).toEqual([
      { name: 'bad', status: 'error', last_error: expect.stringMatching(/^strategy \S+: threw at the candle of \S+: kaput$/) },
      { name: 'good', status: 'running', last_error: null },
    ]);
    await ok('market', 'advance', '2h'); // later advances are not blocked
    expect(
      query<{ n: number }>("SELECT COUNT(*) AS n FROM bot_decisions d JOIN bots b ON b.id = d.bot_id WHERE b.name = 'good'")[0]!.n,
    ).toBeGreaterThan(20);
  });

  it('a strategy file deleted after `bot start`: that bot goes to error on the next advance, exit 0', async () => {
    const gone = userStrategy('gone.js', "return 'hold';");
    await ok('bot', 'create', 'gone', '--strategy', gone, '--symbol', 'BTC-USD');
    await ok('bot', 'start', 'gone');
    rmSync(gone);
    await ok('market', 'advance', '1h');
    expect(query('SELECT status, last_error FROM bots')).toEqual([
      { status: 'error', last_error: expect.stringMatching(/loading or warming up: cannot load strategy .*does not exist/) },
    ]);
  });

  it('`bot run` of a bot whose strategy fails while warming up: exit 9 with the reason, the bot in error, nothing else stuck', async () => {
    const warm = userStrategy('warm.js', "if (++n === 1) throw new Error('bad history'); return 'hold';");
    await ok('bot', 'create', 'w', '--strategy', warm, '--symbol', 'BTC-USD', '--timeframe', '15m');
    await ok('bot', 'start', 'w');
    await ok('market', 'advance', '1h'); // history for the warm-up; the strategy fails on its first candle
    const r = await cli('bot', 'run', 'w', '--for', '3h');
    expect(r.code).toBe(4); // already in error: refused, with the way out
    expect(r.err).toMatch(/is error/);
    const again = userStrategy('later.js', "if (++n > 1) throw new Error('later'); return 'hold';");
    await ok('bot', 'create', 'l', '--strategy', again, '--symbol', 'ETH-USD', '--timeframe', '15m');
    const run = await cli('bot', 'run', 'l', '--for', '3h');
    expect(run.code).toBe(9);
    expect(run.err).toMatch(/^warm-up: .*\nerror: bot l stopped with an error: .*later/); // the warm-up note, then the one error line
    await ok('market', 'advance', '1h');
  });
});

describe('user strategies run in a worker thread', () => {
  it('pass any arguments through as plain data (class getters included) and answer synchronously', async () => {
    const echo = file(
      'echo.js',
      `export default { id: 'echo', description: '', params: [], create() { let last = null;
      return { warmup: 2, onCandle(...args) { last = args; return 'hold'; }, explain() { return { reason: JSON.stringify(last), indicators: {} }; } }; } };`,
    );
    const s = await loadStrategy(echo, { timeoutMs: 2000 });
    const inst = s.create({});
    expect(inst.warmup).toBe(2);
    class Candle {
      constructor(
        readonly time: number,
        private readonly c: number,
      ) {}
      get close() {
        return this.c;
      }
    }
    const ctx = { position: { size: 1.5, side: 'long' }, equity: 1000, fn: () => 1 };
    expect(inst.onCandle(new Candle(60_000, 101.5) as never, ctx as never, {} as never)).toBe('hold');
    expect(JSON.parse(inst.explain().reason)).toEqual([
      { time: 60_000, c: 101.5, close: 101.5 },
      { position: { size: 1.5, side: 'long' }, equity: 1000 },
      {},
    ]);
    expect(plainData(new Float64Array([1, 2]))).toEqual(new Float64Array([1, 2]));
  });

  it('a loop is stopped by the time limit, process.exit is refused, a throw is a StrategyError', async () => {
    const loop = await loadStrategy(userStrategy('loop.js', 'for (;;) {}'), { timeoutMs: 150 });
    const inst = loop.create({ k: 3 });
    const t0 = Date.now();
    expect(() => inst.onCandle({ time: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 }, 0, {} as never)).toThrow(
      /timed out: onCandle took longer than 0.15 s/,
    );
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(() => inst.onCandle({ time: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 }, 0, {} as never)).toThrow(StrategyError); // dead from then on
    const exits = (await loadStrategy(userStrategy('exit.js', 'process.exit(3);'))).create({});
    expect(() => exits.onCandle({ time: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 }, 0, {} as never)).toThrow(
      /process\.exit\(3\) called by the strategy/,
    );
    const validates = await loadStrategy(userStrategy('val.js', "return 'hold';", "validate(p) { return p.k > 5 ? 'k too big' : null; },"));
    expect(validates.validate?.({ k: 7 })).toBe('k too big');
    expect(validates.validate?.({ k: 2 })).toBeNull();
  });

  it('a backtest whose strategy loops is marked failed with the reason (exit 9) and leaves nothing running', async () => {
    const r = await cli('backtest', userStrategy('slow.js', "if (++n > 5) for (;;) {} return 'hold';"), '--strategy-timeout', '0.2');
    expect(r.code).toBe(9);
    expect(query('SELECT status, error_message FROM backtests')).toEqual([
      { status: 'failed', error_message: expect.stringMatching(/timed out/) },
    ]);
  });

  it('a .ts strategy file compiles and runs in the worker', async () => {
    const ts = file(
      'typed.ts',
      `const s = { id: 'typed', description: '', params: [] as never[], create() { let k: number = 0;
      return { warmup: 1, onCandle(): string { k++; return k % 50 === 0 ? 'buy' : k % 50 === 25 ? 'close' : 'hold'; }, explain() { return { reason: String(k), indicators: {} }; } }; } };
      export default s;`,
    );
    const out = JSON.parse(await ok('backtest', ts, '--timeframe', '15m', '--json')) as { status: string; metrics: { trades: number } };
    expect(out.status).toBe('completed');
    expect(out.metrics.trades).toBeGreaterThan(0);
  });
});

describe('money limits', () => {
  it('a deposit past the largest balance is refused before posting (exit 2), and so is one the house could not hold', async () => {
    const before = query('SELECT id, balance FROM accounts ORDER BY id');
    const r = await cli('account', 'deposit', '9007199254.740991');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^error: refused: the balance of Demo Account would be 9007209254\.740991, past the largest balance 9007199254\.740991/,
    );
    await ok('account', 'create', 'Whale', '--balance', '9007189254.740991'); // the house's external cash now near its bound
    const house = await cli('account', 'create', 'Minnow', '--balance', '20000');
    expect(house.code).toBe(2);
    expect(house.err).toMatch(/house account house:external_cash would reach -9007219254\.740991/);
    expect(house.err).toMatch(/deposits net of withdrawals over all accounts/);
    expect(query("SELECT COUNT(*) AS n FROM accounts WHERE name = 'Minnow'")).toEqual([{ n: 0 }]);
    await ok('account', 'withdraw', '5000', '--account', 'Whale');
    await ok('account', 'create', 'Minnow', '--balance', '1'); // room again after a withdrawal
    await ok('ledger', 'verify');
    expect(before.length).toBeGreaterThan(0);
  });
});

describe('trade logs and --trades', () => {
  it('are written owner-only, refuse to overwrite without --yes, and leave no temp file', async () => {
    const path = join(t.dir, 'out', 'deep', 'trades.csv');
    await ok('backtest', 'ema_crossover', '--timeframe', '15m', '--trades', path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(t.dir, 'out', 'deep')).mode & 0o777).toBe(0o700);
    const before = readFileSync(path, 'utf8');
    const r = await cli('backtest', 'ema_crossover', '--timeframe', '15m', '--trades', path);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/already exists \(pass --yes to overwrite it/);
    expect(readFileSync(path, 'utf8')).toBe(before);
    await ok('--yes', 'backtest', 'ema_crossover', '--timeframe', '1h', '--trades', path);
    expect(readdirSync(join(t.dir, 'out', 'deep'))).toEqual(['trades.csv']);
    const dflt = JSON.parse(await ok('backtest', 'ema_crossover', '--json')) as { tradeLog: string };
    expect(statSync(dflt.tradeLog).mode & 0o777).toBe(0o600);
    expect(query("SELECT COUNT(*) AS n FROM backtests WHERE status <> 'completed'")).toEqual([{ n: 0 }]);
  });
});

describe('nothing stays running', () => {
  it('a backtest row of a dead process is marked failed ("interrupted") on the next open, said once', async () => {
    await ok('backtest', 'ema_crossover');
    const s = new BetterSqlite3(db);
    s.prepare("UPDATE backtests SET status = 'running', pid = 2147483646, completed_at = NULL").run();
    s.prepare(
      "INSERT INTO backtests (id, user_id, strategy_id, instrument_id, timeframe, initial_capital, status, created_at, pid, heartbeat_at) SELECT 'ffff0000-0000-4000-8000-000000000000', user_id, strategy_id, instrument_id, timeframe, initial_capital, 'running', created_at, ?, ? FROM backtests",
    ).run(process.pid, new Date().toISOString());
    s.close();
    const first = await cli('backtests', '--json');
    expect(first.err).toMatch(/^note: backtest [0-9a-f]{8} was interrupted \(its process 2147483646 is gone\); marked failed\n$/);
    expect((await cli('backtests')).err).toBe('');
    expect(query('SELECT status, error_message FROM backtests ORDER BY id')).toEqual([
      { status: 'failed', error_message: 'interrupted: its process 2147483646 is gone' },
      { status: 'running', error_message: null }, // this process: alive
    ]);
    const store = await openStore(db);
    try {
      expect(reapInterruptedBacktests(store, Date.now() + 11 * 60_000)).toEqual([
        { id: 'ffff0000-0000-4000-8000-000000000000', reason: expect.stringMatching(/no heartbeat since/) },
      ]);
    } finally {
      store.close();
    }
  });
});

describe('ids and names', () => {
  it('LIKE wildcards in id prefixes match nothing', async () => {
    await ok('account', 'create', 'Second');
    for (const id of ['%%%%', '____', '%_%_']) expect((await cli('account', '--account', id)).code).toBe(3);
  });

  it('control characters are refused in names and escaped on output', async () => {
    expect((await cli('account', 'create', 'x\u001b[2J')).code).toBe(2);
    const s = new BetterSqlite3(db);
    s.prepare("UPDATE accounts SET name = ? WHERE kind = 'trader'").run('Demo\u001b]0;owned\u0007\u001b[2J');
    s.close();
    const r = await cli('account', 'list');
    expect(r.out).not.toContain('\u001b');
    expect(r.out).not.toContain('\u0007');
    expect(r.out).toContain('Demo\\x1b]0;owned\\x07\\x1b[2J');
    expect((await cli('account', 'list', '--json')).out).toContain('Demo\\u001b]0;owned\\u0007\\u001b[2J');
  });
});

describe('migrations run in one transaction', () => {
  it('a failure in a later migration leaves the file exactly as it was', async () => {
    const p = join(t.dir, 'm.db');
    const store = await openStore(p);
    await migrateDown(store, { to: MIGRATION_NAMES[1]! });
    expect((await migrationStatus(store)).applied).toEqual([MIGRATION_NAMES[0]]);
    store.sqlite.exec('CREATE INDEX ix_backtests_status ON backtests (status)'); // in the way of 004
    await expect(migrateUp(store)).rejects.toThrow(/already exists/);
    expect((await migrationStatus(store)).applied).toEqual([MIGRATION_NAMES[0]]);
    const cols = (store.sqlite.prepare('PRAGMA table_info(bots)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).not.toContain('started_at'); // 002 was rolled back with 004
    store.close();
  });

  it('a fresh database and one left with an empty schema_migrations table are both fine', async () => {
    const p = join(t.dir, 'e.db');
    const s = new BetterSqlite3(p);
    s.exec('CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    s.close();
    const store = await openStore(p);
    expect((await migrationStatus(store)).applied).toEqual(MIGRATION_NAMES);
    store.close();
    mkdirSync(join(t.dir, 'new', 'deeper'), { recursive: true });
    const fresh = await openStore(join(t.dir, 'new', 'deeper', 'x', 'y', 'f.db'));
    fresh.close();
    expect(statSync(join(t.dir, 'new', 'deeper', 'x')).mode & 0o777).toBe(0o700);
    expect(existsSync(join(t.dir, 'new', 'deeper', 'x', 'y', 'f.db'))).toBe(true);
  });
});

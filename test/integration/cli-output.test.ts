/**
 * CLI output and safety, in process on one seeded database with some history (orders, a losing
 * short, a bot with trades, a backtest):
 * - every listing/show command's --json: camelCase keys all the way down, money and prices as
 *   decimal strings (never scaled integers), no internal fields;
 * - tables fit COLUMNS=80 and never show "$-";
 * - read-only commands never create a database; a missing folder for --db is confirmed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runInProcess } from '../../src/cli/main.ts';
import { READ_ONLY_COMMANDS } from '../../src/cli/read-only.ts';
import { buildProgram } from '../../src/cli/main.ts';
import { tempDir } from '../helpers/cli.ts';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: string, cb: () => void): void {
    this.text += String(chunk);
    cb();
  }
}

let t: ReturnType<typeof tempDir>;
let db: string;
const ids: Record<string, string> = {};

async function cli(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const out = new Capture();
  const err = new Capture();
  const code = await runInProcess([...args], { out, err, env: { HOME: t.dir, NO_COLOR: '1', PATH: process.env.PATH ?? '', ...extraEnv } });
  return { code, out: out.text, err: err.text };
}
async function ok(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<string> {
  const r = await cli(['--db', db, ...args], extraEnv);
  if (r.code !== 0) throw new Error(`${args.join(' ')} exited ${r.code}: ${r.err}`);
  return r.out;
}

beforeAll(async () => {
  t = tempDir('tunicoin-output-');
  db = join(t.dir, 'world.db');
  await ok(['seed', '--days', '3', '--seed', '5', '--end', '2026-01-10T00:00:00Z']);
  await ok(['order', 'buy', 'BTC-USD', '0.5', '--leverage', '5', '--yes']);
  await ok(['order', 'sell', 'ETH-USD', '2', '--leverage', '5', '--yes']);
  await ok(['order', 'buy', 'BTC-USD', '0.1', '--type', 'limit', '--price', '100', '--yes']);
  await ok([
    'bot',
    'create',
    'trend',
    '--strategy',
    'ema_crossover',
    '--symbol',
    'BTC-FUT',
    '--timeframe',
    '1m',
    '--param',
    'fast=3',
    '--param',
    'slow=6',
  ]);
  await ok(['bot', 'start', 'trend']);
  await ok(['market', 'advance', '3h']);
  ids.backtest = (
    JSON.parse(await ok(['backtest', 'ema_crossover', '--symbol', 'BTC-USD', '--timeframe', '15m', '--json'])) as { id: string }
  ).id;
  const orders = JSON.parse(await ok(['orders', '--status', 'all', '--json'])) as Array<{ id: string; botId: string | null }>;
  ids.order = (orders[0] as { id: string }).id;
  ids.botOrder = (orders.find((o) => o.botId) as { id: string }).id;
}, 120_000);
afterAll(() => t?.cleanup());

/** Keys whose value is money, a price or a size: a decimal string (or null), never a scaled integer. */
const FIGURE =
  /(balance|equity|pnl|margin(?!Pct)|commission|fee$|fees$|price|capital|amount|cash|funding(?!Rate)|slippage|^size$|Size$|^bid$|^ask$|^mid$|^spread$|^open$|^high$|^low$|^close$)/i;
/** Maps whose keys are chosen by a strategy or a grid, not by us. */
const FREE_KEYS = new Set(['indicators', 'params']);
const DECIMAL = /^-?\d+(\.\d+)?$/;
/** Rates (fractions, JSON numbers below 1) that share a name with figures. */
const RATES = new Set(['makerFee', 'takerFee', 'spread', 'slippageFactor', 'fundingRate']);
/** A sizing spec: contracts, a share of equity or all. */
const SIZE_SPEC = /^(-?\d+(\.\d+)?%?|all)$/;

function problems(v: unknown, path: string, inMetrics = false): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => problems(x, `${path}[${i}]`, inMetrics));
  if (v === null || typeof v !== 'object') return [];
  const out: string[] = [];
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const at = `${path}.${k}`;
    if (!/^[a-z][a-zA-Z0-9]*$/.test(k)) out.push(`${at}: not camelCase`);
    if (k.startsWith('_') || /^(raw|taskId|rowid)$/.test(k)) out.push(`${at}: internal field`);
    if (FIGURE.test(k) && !/(Time|At)$/.test(k) && x !== null && typeof x !== 'object') {
      // metrics are analytics in the quote currency (JSON numbers); rates are fractions; everything else is an exact decimal string
      const fine = inMetrics
        ? typeof x === 'number' && !(Number.isInteger(x) && Math.abs(x) >= 1e6)
        : RATES.has(k) && typeof x === 'number'
          ? Math.abs(x) < 1
          : typeof x === 'string' && (k === 'size' ? SIZE_SPEC : DECIMAL).test(x);
      if (!fine) out.push(`${at}: ${JSON.stringify(x)} is not a decimal ${inMetrics ? 'number' : 'string'}`);
    }
    if (!FREE_KEYS.has(k)) out.push(...problems(x, at, inMetrics || k === 'metrics'));
  }
  return out;
}

describe('--json shapes', () => {
  const commands = (): string[][] => [
    ['instruments'],
    ['quote', 'BTC-USD'],
    ['candles', 'BTC-USD', '--limit', '3'],
    ['account'],
    ['account', 'list'],
    ['positions'],
    ['orders', '--status', 'all'],
    ['order', 'show', ids.order as string],
    ['ledger'],
    ['ledger', 'verify'],
    ['clock'],
    ['backtests'],
    ['backtests', 'show', ids.backtest as string],
    ['bot', 'list'],
    ['bot', 'show', 'trend'],
    ['bot', 'decisions', 'trend', '--only-trades'],
    ['bot', 'explain', ids.botOrder as string],
    ['user', 'show'],
    ['whoami'],
    ['plan', 'list'],
    ['strategies'],
    ['db', 'status'],
    ['db', 'path'],
  ];

  it('every listing and show command: camelCase keys, decimal strings for money and prices, no internal fields', async () => {
    const found: string[] = [];
    for (const args of commands()) {
      const out = await ok([...args, '--json']);
      found.push(...problems(JSON.parse(out), args.join(' ')));
    }
    expect(found).toEqual([]);
  });

  it('the checker catches what it is for', () => {
    expect(problems({ initial_capital: 10000000000 }, 'x')).toHaveLength(2);
    expect(problems({ params: { _size: 'all' } }, 'x')).toEqual([]); // strategy params are free-form...
    expect(problems({ _size: 'all', balance: 12.5, price: '1,000.00' }, 'x')).toHaveLength(5); // ...but not at the top (_size: not camelCase, internal, not a decimal)
    expect(problems({ spread: 0.0005, makerFee: 2, size: 'all', sizeX: 'all' }, 'x')).toHaveLength(1); // a rate above 1 is a scaled figure
    expect(problems({ metrics: { finalEquity: 9842.62 } }, 'x')).toEqual([]);
    expect(problems({ metrics: { finalEquity: 9842620000 } }, 'x')).toHaveLength(1);
  });

  it('backtests show is a view of the run, not the stored row', async () => {
    const v = JSON.parse(await ok(['backtests', 'show', (ids.backtest as string).slice(0, 8), '--json'])) as Record<string, unknown>;
    expect(v).toMatchObject({
      id: ids.backtest,
      strategy: 'ema_crossover',
      symbol: 'BTC-USD',
      timeframe: '15m',
      initialCapital: '10000.00',
      size: 'all',
      leverage: 1,
    });
    expect(Object.keys(v.params as object).every((k) => !k.startsWith('_'))).toBe(true);
  });
});

describe('tables for humans', () => {
  const tables = (): string[][] => [
    ['instruments'],
    ['candles', 'BTC-USD', '--limit', '3'],
    ['account'],
    ['account', 'list'],
    ['positions'],
    ['orders', '--status', 'all'],
    ['ledger'],
    ['backtests'],
    ['bot', 'list'],
    ['bot', 'decisions', 'trend'],
    ['strategies'],
    ['plan', 'list'],
    ['db', 'status'],
  ];

  it('fit COLUMNS=80 and never write "$-"', async () => {
    for (const args of tables()) {
      const out = await ok(args, { COLUMNS: '80' });
      const wide = out.split('\n').filter((l) => [...l].length > 80);
      expect(wide, args.join(' ')).toEqual([]);
      expect(out, args.join(' ')).not.toContain('$-');
    }
  });

  it('without COLUMNS off a terminal, nothing is cut or dropped', async () => {
    const out = await ok(['orders', '--status', 'all']);
    expect(out).toMatch(/source/);
    expect(out).not.toContain('…');
    const narrow = await ok(['orders', '--status', 'all'], { COLUMNS: '80' });
    expect(narrow).not.toMatch(/source/); // the least important column went first
    expect(narrow).toMatch(/status/);
  });

  it('prices and sizes get thousands separators, money one sign convention', async () => {
    const positions = await ok(['positions']);
    expect(positions).toMatch(/\d,\d{3}\.\d{2}/); // ETH entry and mark, e.g. 2,917.87
    expect(positions).toMatch(/-\$\d/); // the short is losing or the long is: -$ before the digits
    expect(await ok(['quote', 'BTC-USD'])).toMatch(/bid \d{1,3},\d{3}\.\d{2}/);
    expect((JSON.parse(await ok(['quote', 'BTC-USD', '--json'])) as { bid: string }).bid).toMatch(/^\d+\.\d+$/); // --json never groups
  });
});

describe('opening the database', () => {
  it('every read-only command name exists', () => {
    const names = new Set<string>();
    const walk = (c: ReturnType<typeof buildProgram>, path: string[]) => {
      for (const s of c.commands) {
        const p = [...path, s.name()];
        names.add(p.join(' '));
        walk(s, p);
      }
    };
    walk(buildProgram(), []);
    expect([...READ_ONLY_COMMANDS].filter((n) => !names.has(n))).toEqual([]);
  });

  it('a read-only command on a missing file: exit 6 with a hint, no file made', async () => {
    for (const args of [['quote', 'BTC-USD'], ['account'], ['orders'], ['db', 'status'], ['backtests'], ['ledger']]) {
      const path = join(t.dir, 'missing', `${args[0]}.db`);
      const r = await cli(['--db', path, ...args]);
      expect(r.code, args.join(' ')).toBe(6);
      expect(r.err).toMatch(/^error: there is no database at .* \(create it with `tunicoin seed`/);
      expect(existsSync(path)).toBe(false);
    }
    const r = await cli(['quote', 'BTC-USD'], { XDG_DATA_HOME: join(t.dir, 'xdg-read') });
    expect(r.code).toBe(6);
    expect(existsSync(join(t.dir, 'xdg-read'))).toBe(false);
  });

  it('a missing folder for --db or TUNICOIN_DB needs --yes off a terminal; the default place is made silently', async () => {
    const path = join(t.dir, 'new', 'sub', 'x.db');
    const refused = await cli(['--db', path, 'db', 'migrate']);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/the folder .*new\/sub does not exist \(--db\): not confirmed, nothing changed \(pass --yes to confirm\)/);
    expect(existsSync(join(t.dir, 'new'))).toBe(false);
    expect((await cli(['db', 'migrate'], { TUNICOIN_DB: path })).code).toBe(2);
    expect((await cli(['--db', path, '--yes', 'db', 'migrate'])).code).toBe(0);
    expect(existsSync(path)).toBe(true);
    const xdg = join(t.dir, 'xdg');
    expect((await cli(['db', 'migrate'], { XDG_DATA_HOME: xdg })).code).toBe(0);
    expect(existsSync(join(xdg, 'tunicoin', 'tunicoin.db'))).toBe(true);
  });
});

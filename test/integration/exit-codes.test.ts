/**
 * The exit-code table (README "Exit codes"): for every command group, its bad cases, each with the
 * documented code and one line on stderr. Unknown symbol, strategy, file or id: 3; bad or missing
 * arguments, unknown commands: 2. In process through the real commander program (runInProcess).
 * Also: every group's `--help` prints that group's help, and short ids in tables are unique.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { buildProgram, runInProcess } from '../../src/cli/main.ts';
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

async function cli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new Capture();
  const err = new Capture();
  const code = await runInProcess(['--db', db, ...args.map((a) => a.replaceAll('{dir}', t.dir))], {
    out,
    err,
    env: { HOME: t.dir, NO_COLOR: '1', PATH: process.env.PATH ?? '' },
  });
  return { code, out: out.text, err: err.text };
}

beforeAll(async () => {
  t = tempDir('tunicoin-exit-');
  db = join(t.dir, 'exit.db');
  for (const args of [
    ['seed', '--days', '1', '--instruments', 'BTC-USD,ETH-USD', '--end', '2026-01-02T00:00:00Z', '--seed', '5'],
    ['bot', 'create', 'trend', '--strategy', 'ema_crossover', '--symbol', 'BTC-USD'],
  ]) {
    const r = await cli(args);
    if (r.code !== 0) throw new Error(`setup ${args.join(' ')}: ${r.err}`);
  }
  writeFileSync(join(t.dir, 'good.csv'), 'date,open,high,low,close,volume\n2020-01-01,1,2,0.5,1.5,10\n');
});
afterAll(() => t?.cleanup());

const USAGE = 2;
const NOT_FOUND = 3;
const ID = 'ffffffff';

/** [group, args, code, what the line says] */
const TABLE: ReadonlyArray<readonly [string, readonly string[], number, RegExp]> = [
  ['(unknown)', ['qoute', 'BTC-USD'], USAGE, /unknown command 'qoute' \(did you mean quote\?\)/],
  ['(unknown)', ['users', '--help'], USAGE, /unknown command 'users' \(did you mean user\?\)/],
  ['(unknown)', ['accounts'], USAGE, /unknown command 'accounts' \(did you mean account\?\)/],
  ['(unknown)', ['bot', 'lst', '--help'], USAGE, /unknown command 'bot lst' \(did you mean bot list\?\)/],
  ['(unknown)', ['order', 'frobnicate'], USAGE, /unknown command 'order frobnicate'/],
  ['db', ['db', 'rollback', '--to', 'nope'], NOT_FOUND, /nope/],
  ['db', ['db', 'create', '!!!', '--dir', '{dir}'], USAGE, /./],
  ['seed', ['seed', '--instruments', 'NOPE'], NOT_FOUND, /unknown symbol "NOPE"/],
  ['seed', ['seed', '--days', '1e3'], USAGE, /--days must be a whole number.*no exponent/],
  ['instruments', ['instruments', 'remove', 'NOPE'], NOT_FOUND, /unknown symbol "NOPE"/],
  ['instruments', ['instruments', 'set', 'NOPE', '--max-participation', '0.1'], NOT_FOUND, /unknown symbol "NOPE"/],
  ['instruments', ['instruments', 'set', 'BTC-USD'], USAGE, /nothing to set/],
  ['instruments', ['instruments', 'set', 'BTC-USD', '--max-participation', '1e-1'], USAGE, /no exponent/],
  ['instruments', ['instruments', 'add', 'NEW1', '--tick', '1e-2'], USAGE, /--tick .*no exponent/],
  ['import', ['import', 'candles', '{dir}/missing.csv', '--symbol', 'BTC-USD'], NOT_FOUND, /no such file/],
  ['import', ['import', 'candles', '{dir}/good.csv', '--symbol', 'NOPE'], NOT_FOUND, /unknown symbol "NOPE"/],
  ['import', ['import', 'candles', '{dir}/good.csv'], USAGE, /--symbol/],
  ['candles', ['candles', 'NOPE'], NOT_FOUND, /unknown symbol "NOPE"/],
  ['candles', ['candles', 'BTC-USD', '--limit', '1e3'], USAGE, /--limit .*no exponent/],
  ['candles', ['candles', 'delete', 'NOPE'], NOT_FOUND, /unknown symbol "NOPE"/],
  ['candles', ['candles'], USAGE, /missing required argument/],
  ['quote', ['quote', 'NOPE'], NOT_FOUND, /unknown symbol "NOPE"/],
  ['chart', ['chart', 'NOPE'], NOT_FOUND, /unknown symbol "NOPE"/],
  ['chart', ['chart', 'BTC-USD', '--last', '0'], USAGE, /--last/],
  ['order', ['order', 'buy', 'NOPE', '1'], NOT_FOUND, /unknown symbol "NOPE"/],
  ['order', ['order', 'buy', 'BTC-USD', '0.01', '--account', 'nope'], NOT_FOUND, /unknown account "nope"/],
  ['order', ['order', 'buy', 'BTC-USD', '0.01', '--type', 'limit'], USAGE, /a limit order needs --price/],
  ['order', ['order', 'buy', 'BTC-USD', '1e-2'], USAGE, /SIZE .*no exponent/],
  ['order', ['order', 'buy', 'BTC-USD', '0.01', '--type', 'limit', '--price', '0x10'], USAGE, /--price .*no hex/],
  ['order', ['order', 'show', ID], NOT_FOUND, /unknown order "ffffffff"/],
  ['order', ['order', 'show', 'abc'], USAGE, /too short/],
  ['order', ['order', 'cancel', ID], NOT_FOUND, /unknown order/],
  ['order', ['order', 'amend', ID, '--price', '1'], NOT_FOUND, /unknown order/],
  ['order', ['order', 'amend', ID], USAGE, /nothing to amend/],
  ['orders', ['orders', '--account', 'nope'], NOT_FOUND, /unknown account "nope"/],
  ['orders', ['orders', '--limit', '1.5'], USAGE, /--limit .*no fraction/],
  ['positions', ['positions', '--account', 'nope'], NOT_FOUND, /unknown account/],
  ['position', ['position', 'set', 'NOPE', '--sl', '1'], NOT_FOUND, /unknown symbol "NOPE"/],
  ['position', ['position', 'set', 'BTC-USD', '--sl', '-1'], USAGE, /--sl .*cannot be negative/],
  ['close', ['close', 'NOPE'], NOT_FOUND, /unknown symbol "NOPE"/],
  ['close', ['close', 'BTC-USD', '--size', '1e1'], USAGE, /--size .*no exponent/],
  ['account', ['account', '--account', 'nope'], NOT_FOUND, /unknown account "nope"/],
  ['account', ['account', 'use', 'nope'], NOT_FOUND, /unknown account "nope"/],
  ['account', ['account', 'create', 'X', '--balance', '1e4'], USAGE, /--balance .*no exponent/],
  ['account', ['account', 'create', 'X', '--maker-fee', '0.00001234567'], USAGE, /--maker-fee takes at most 6 decimal places/],
  ['account', ['account', 'deposit', '-0'], USAGE, /AMOUNT .*cannot be negative/],
  ['account', ['account', 'create'], USAGE, /missing required argument/],
  ['ledger', ['ledger', '--account', 'nope'], NOT_FOUND, /unknown account/],
  ['ledger', ['ledger', '--limit', '0x10'], USAGE, /--limit .*no hex/],
  ['clock', ['clock', 'set', 'tomorrow'], USAGE, /not an ISO-8601/],
  ['market', ['market', 'advance', '1e3m'], USAGE, /./],
  ['market', ['market', 'advance'], USAGE, /missing required argument/],
  ['indicators', ['indicators', 'NOPE'], NOT_FOUND, /unknown symbol "NOPE"/],
  ['indicators', ['indicators', 'BTC-USD', '--last', '1e2'], USAGE, /--last/],
  ['backtest', ['backtest', 'nope'], NOT_FOUND, /unknown strategy "nope"/],
  ['backtest', ['backtest', './missing-strategy.js'], NOT_FOUND, /does not exist/],
  ['backtest', ['backtest', 'ema_crossover', '--symbol', 'NOPE'], NOT_FOUND, /unknown symbol "NOPE"/],
  ['backtest', ['backtest', 'ema_crossover', '--capital', '1e4'], USAGE, /--capital .*no exponent/],
  ['backtest', ['backtest', 'ema_crossover', '--fee-taker', '0.1'], USAGE, /--fee-taker must be a rate/],
  ['backtest', ['backtest'], USAGE, /missing required argument/],
  ['optimize', ['optimize', 'nope', '--grid', 'fast=1:2:1'], NOT_FOUND, /unknown strategy "nope"/],
  ['optimize', ['optimize', 'ema_crossover'], USAGE, /--grid/],
  ['optimize', ['optimize', 'show', ID], NOT_FOUND, /unknown sweep/],
  ['optimize', ['optimize', 'ema_crossover', '--grid', 'fast=5:20:5', '--train', '1e1%'], USAGE, /--train .*no exponent/],
  ['backtests', ['backtests', 'show', ID], NOT_FOUND, /unknown backtest/],
  ['backtests', ['backtests', '--limit', 'x'], USAGE, /--limit/],
  ['bot', ['bot', 'show', 'nope'], NOT_FOUND, /unknown bot "nope"/],
  ['bot', ['bot', 'start', ID], NOT_FOUND, /unknown bot/],
  ['bot', ['bot', 'run', 'nope', '--for', '1h'], NOT_FOUND, /unknown bot/],
  ['bot', ['bot', 'explain', ID], NOT_FOUND, /unknown order/],
  ['bot', ['bot', 'create', 'b', '--strategy', 'nope', '--symbol', 'BTC-USD'], NOT_FOUND, /unknown strategy "nope"/],
  ['bot', ['bot', 'create', 'b', '--strategy', 'ema_crossover', '--symbol', 'NOPE'], NOT_FOUND, /unknown symbol "NOPE"/],
  ['bot', ['bot', 'create', 'b', '--symbol', 'BTC-USD'], USAGE, /--strategy is required/],
  [
    'bot',
    ['bot', 'create', 'b', '--strategy', 'ema_crossover', '--symbol', 'BTC-USD', '--max-daily-loss', '1e2'],
    USAGE,
    /--max-daily-loss .*no exponent/,
  ],
  ['bot', ['bot', 'create', 'b', '--strategy', 'ema_crossover', '--symbol', 'BTC-USD', '--leverage', '0x5'], USAGE, /--leverage .*no hex/],
  ['bot', ['bot', 'run', 'trend', '--for', '1e3m'], USAGE, /--for/],
  ['user', ['user', 'register'], USAGE, /missing required argument/],
  ['report', ['report', 'backtest', ID, '-o', '{dir}/r.html'], NOT_FOUND, /unknown backtest/],
  ['report', ['report', 'bot', 'nope', '-o', '{dir}/r.html'], NOT_FOUND, /unknown bot/],
  ['report', ['report', 'account', 'nope', '-o', '{dir}/r.html'], NOT_FOUND, /unknown account/],
  ['worker', ['worker', '--once'], USAGE, /tunicoin worker needs a PostgreSQL database/],
];

describe("exit codes: every group's bad cases", () => {
  it('covers every command group', () => {
    const groups = buildProgram().commands.map((c) => c.name());
    const covered = new Set(TABLE.map(([g]) => g));
    // groups without a bad case of their own: nothing to mistype (strategies, logout, whoami), or a terminal (watch), or a password prompt (login, plan: admins)
    const none = new Set(['strategies', 'watch', 'login', 'logout', 'whoami', 'plan']);
    expect(groups.filter((g) => !covered.has(g) && !none.has(g))).toEqual([]);
  });

  it.each(TABLE.map(([g, args, code, says]) => [g, args.join(' '), code, says, args] as const))(
    '%s: %s -> %i',
    async (_g, _label, code, says, args) => {
      const r = await cli(args);
      const lines = r.err.split('\n').filter(Boolean);
      expect([r.code, lines[0]]).toEqual([code, lines[0]?.startsWith('error: ') ? lines[0] : 'a line starting "error: "']);
      expect(lines[0]).toMatch(says);
      // one line; commander may add its "(run with --help for usage)"
      expect(lines.slice(1).every((l) => /run with --help/.test(l))).toBe(true);
      expect(r.err).not.toMatch(/internal error|\n\s+at /);
    },
  );
});

describe('help', () => {
  const paths: string[][] = [];
  const walk = (c: Command, p: string[]): void => {
    for (const s of c.commands) {
      paths.push([...p, s.name()]);
      walk(s, [...p, s.name()]);
    }
  };
  walk(buildProgram(), []);

  it.each(paths.map((p) => [p.join(' '), p] as const))('%s --help prints its own help, exit 0', async (_label, p) => {
    const r = await cli([...p, '--help']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(new RegExp(`^Usage: tunicoin ${p.join(' ')}( |$)`));
  });

  it('`help GROUP` is `GROUP --help`', async () => {
    const r = await cli(['help', 'order']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: tunicoin order /);
  });
});

/** The id column of a rendered table: the cells that look like an id (hex, 8+ characters). */
const idCells = (table: string): string[] =>
  table.split('\n').flatMap((l) =>
    l
      .split('│')
      .map((c) => c.trim())
      .filter((c) => /^[0-9a-f]{8}[0-9a-f-]*$/.test(c)),
  );

describe('short ids', () => {
  it('accounts created in the same minute (time-ordered ids) get distinct short ids, each resolving back; their shared 8 characters are ambiguous', async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await cli(['account', 'create', `Same minute ${i}`, '--json']);
      expect(r.code).toBe(0);
      made.push((JSON.parse(r.out) as { id: string }).id);
    }
    const list = await cli(['account', 'list']);
    expect(list.code).toBe(0);
    const shown = idCells(list.out);
    expect(shown.length).toBeGreaterThanOrEqual(made.length);
    expect(new Set(shown).size).toBe(shown.length);
    for (const id of made) {
      const s = shown.find((x) => id.startsWith(x)) as string;
      expect(s.length).toBeGreaterThanOrEqual(8);
      const r = await cli(['account', '--account', s, '--json']);
      expect(r.code).toBe(0);
      expect(r.out).toContain(id);
    }
    const common = made[0]!.slice(0, 8);
    const sharing = made.filter((id) => id.startsWith(common));
    if (sharing.length > 1) {
      // created within the same ~65 s: the 8-character prefix names several
      const r = await cli(['account', '--account', common]);
      expect(r.code).toBe(USAGE);
      expect(r.err.split('\n')[0]).toMatch(/account id prefix "[0-9a-f]{8}" is ambiguous: [0-9a-f-]{36}, [0-9a-f-]{36}/);
    }
  });

  it('orders: distinct short ids in the table, each resolving back', async () => {
    const placed: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await cli(['order', 'buy', 'BTC-USD', '0.01', '--type', 'limit', '--price', String(1000 + i), '--json']);
      expect(r.code).toBe(0);
      placed.push((JSON.parse(r.out) as { id: string }).id);
    }
    const shown = idCells((await cli(['orders'])).out);
    expect(shown).toHaveLength(placed.length);
    expect(new Set(shown).size).toBe(shown.length);
    for (const s of shown) {
      expect(s.length).toBeGreaterThanOrEqual(8);
      const r = await cli(['order', 'show', s, '--json']);
      expect(r.code).toBe(0);
      expect(placed).toContain((JSON.parse(r.out) as { id: string }).id);
    }
  });
});

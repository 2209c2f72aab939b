/**
 * The bad-input suite (issue 11): >= 250 command lines, each refused with one clear line on
 * stderr ("error: ..."), its documented exit code, and nothing written (no commit on the
 * database: PRAGMA data_version seen from another connection, and the row counts). Runs
 * in-process through the real commander program; no process per case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import { runInProcess } from '../../src/cli/main.ts';
import { tempDir } from '../helpers/cli.ts';
import { badCases, STRATEGY_FILES, type BadCase } from './cases.ts';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: string, cb: () => void): void {
    this.text += String(chunk);
    cb();
  }
}

let t: ReturnType<typeof tempDir>;
let db: string;
let watcher: BetterSqlite3.Database;
const env = () => ({ HOME: t.dir, NO_COLOR: '1', PATH: process.env.PATH ?? '' });

async function cli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new Capture();
  const err = new Capture();
  const code = await runInProcess([...args], { out, err, env: env() });
  return { code, out: out.text, err: err.text };
}

const TABLES = [
  'accounts',
  'orders',
  'positions',
  'ledger_entries',
  'bots',
  'backtests',
  'bot_decisions',
  'instruments',
  'candles',
  'settings',
  'users',
  'schema_migrations',
];
function snapshot(): string {
  const version = watcher.pragma('data_version', { simple: true }) as number;
  const counts = TABLES.map((tb) => (watcher.prepare(`SELECT COUNT(*) AS n FROM ${tb}`).get() as { n: number }).n);
  return `${version}:${counts.join(',')}`;
}

const expand = (s: string): string =>
  s
    .replaceAll('{db}', db)
    .replaceAll('{dir}', t.dir)
    .replace(/\{s:(\w+)\}/g, (_m, name: string) => join(t.dir, 'strategies', (STRATEGY_FILES[name] as readonly [string, string])[0]));

function foreignDatabases(): void {
  const make = (file: string, sql: string) => {
    const s = new BetterSqlite3(join(t.dir, file));
    s.exec(sql);
    s.close();
  };
  make('contacts.db', "CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO contacts (name) VALUES ('Ada');");
  make(
    'users-app.db',
    "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT); CREATE TABLE schema_migrations (version TEXT); INSERT INTO schema_migrations VALUES ('20240101');",
  );
  make('rails.db', "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY); INSERT INTO schema_migrations VALUES ('20240101120000');");
  make(
    'knex.db',
    "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT); INSERT INTO schema_migrations VALUES ('20240101_create_users', 'x'); CREATE TABLE people (id INTEGER);",
  );
  make(
    'future.db',
    "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL); INSERT INTO schema_migrations VALUES ('001_initial_schema', 'x'), ('999_from_the_future', 'x');",
  );
  writeFileSync(join(t.dir, 'garbage.db'), Buffer.concat([Buffer.from('SQLite format 3\u0000'), Buffer.alloc(4096, 0xab)]));
}

const results: Array<{ c: BadCase; code: number; err: string; wrote: boolean }> = [];

beforeAll(async () => {
  t = tempDir('tunicoin-bad-');
  db = join(t.dir, 'world.db');
  const setup = async (args: string[]) => {
    const r = await cli(['--db', db, ...args]);
    if (r.code !== 0) throw new Error(`setup ${args.join(' ')} failed: ${r.err}`);
    return r;
  };
  await setup(['seed', '--days', '2', '--instruments', 'BTC-USD,ETH-USD', '--end', '2026-01-03T00:00:00Z', '--seed', '3']);
  await setup(['account', 'create', 'Swing', '--balance', '5000']);
  await setup(['order', 'buy', 'BTC-USD', '0.01']);
  await setup(['bot', 'create', 'trend', '--strategy', 'ema_crossover', '--symbol', 'BTC-USD']);
  mkdirSync(join(t.dir, 'strategies'));
  for (const [file, text] of Object.values(STRATEGY_FILES)) writeFileSync(join(t.dir, 'strategies', file), text);
  mkdirSync(join(t.dir, 'a-folder.csv'));
  mkdirSync(join(t.dir, 'migs'));
  writeFileSync(join(t.dir, 'notes.txt'), 'not a database\n');
  writeFileSync(join(t.dir, 'existing.csv'), 'keep me\n');
  writeFileSync(join(t.dir, 'good.csv'), 'date,open,high,low,close,volume\n2020-01-01,1,2,0.5,1.5,10\n');
  chmodSync(join(t.dir, 'existing.csv'), 0o600);
  foreignDatabases();
  watcher = new BetterSqlite3(db, { readonly: true });
});

afterAll(() => {
  watcher?.close();
  const n = results.length;
  const clean = results.filter((r) => r.code === r.c.code && (r.c.writes || !r.wrote) && /^error: /.test(r.err)).length;
  const internal = results.filter((r) => r.code === 1 || /internal error/.test(r.err)).length;
  const accepted = results.filter((r) => r.code === 0).length;
  if (process.env.HARDENING_REPORT)
    process.stderr.write(`bad inputs: ${n} tried, ${clean} refused cleanly, ${internal} internal errors, ${accepted} accepted\n`);
  t?.cleanup();
});

describe('bad inputs are refused cleanly', () => {
  const cases = badCases();
  it('the table has at least 250 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(250);
  });

  it.each(
    cases.map(
      (c, k) =>
        [
          k,
          c.args
            .map((a) => JSON.stringify(a).slice(1, -1))
            .join(' ')
            .slice(0, 90),
          c,
        ] as const,
    ),
  )('#%i %s', async (_k, _label, c) => {
    const args = c.args.map(expand);
    const full = c.db === 'none' ? args : ['--db', db, ...args];
    const untouched = c.untouched ? expand(c.untouched) : null;
    const bytes = untouched ? readFileSync(untouched) : null;
    const before = snapshot();
    const r = await cli(full);
    const wrote = snapshot() !== before;
    results.push({ c, code: r.code, err: r.err, wrote });
    const lines = r.err.split('\n').filter(Boolean);
    if (process.env.HARDENING_DEBUG && (r.code !== c.code || lines.length > 2 || !/^error: /.test(r.err) || (!c.writes && wrote))) {
      process.stderr.write(
        `MISMATCH ${JSON.stringify(c.args)} want ${c.code} got ${r.code} wrote=${wrote}: ${JSON.stringify(r.err.slice(0, 300))}\n`,
      );
    }
    expect({ code: r.code, err: r.err }).toEqual({ code: c.code, err: expect.stringMatching(/^error: /) });
    // One clear line (commander may add its "(run with --help for usage)" hint); never a stack or "internal error".
    expect(lines.length).toBeLessThanOrEqual(2);
    if (lines[1] !== undefined) expect(lines[1]).toMatch(/run with --help|^\s*$/);
    expect(r.err).not.toMatch(/internal error|\n\s+at /);
    if (c.says) expect(lines[0]).toMatch(c.says);
    if (!c.writes) expect(wrote).toBe(false);
    if (untouched) expect(readFileSync(untouched).equals(bytes as Buffer)).toBe(true);
  });
});

/**
 * Every example in every `--help` works on a freshly seeded demo database. The examples are
 * discovered from the help texts themselves (commands added later are covered without a list
 * here) and each runs through `sh` against the built CLI, in a throw-away copy of the package
 * (so `db create` writes its migration there) and of a prepared database.
 *
 * An example is tried, in order, on: the seeded demo database; the same with what examples refer
 * to already in place (instrument SPX500, account Swing, bot `trend` running with trades, a
 * resting order, a backtest, a sweep) and with placeholder ids replaced by the real ones; that
 * state with the bot stopped, then paused; and an empty database (for `seed` itself). It must
 * exit 0 on one of them.
 */
import { copyFileSync, cpSync, mkdirSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Command } from 'commander';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.ts';
import { ROOT, runCli, tempDir, json } from '../helpers/cli.ts';

interface Example { readonly page: string; readonly line: string }

/** The examples of a command's help and of all its subcommands', in help order, each once. */
function examplesOf(program: Command): Example[] {
  const out: Example[] = [];
  const seen = new Set<string>();
  const walk = (cmd: Command, path: string) => {
    let text = '';
    cmd.configureOutput({ writeOut: (s) => { text += s; }, writeErr: (s) => { text += s; } });
    cmd.outputHelp();
    for (const m of text.matchAll(/^\s+\$ (.+)$/gm)) {
      const line = (m[1] as string).trim();
      if (!seen.has(line)) { seen.add(line); out.push({ page: path, line }); }
    }
    for (const sub of cmd.commands) walk(sub, `${path} ${sub.name()}`);
  };
  walk(program, 'tunicoin');
  return out;
}

let work: { dir: string; cleanup: () => void };
let pkg: string;
let shimDir: string;
const states: Array<{ name: string; db: string | null }> = [];
const ids: Record<string, string> = {};

function checkpoint(path: string): void {
  const s = new BetterSqlite3(path);
  s.pragma('wal_checkpoint(TRUNCATE)');
  s.close();
}

function prep(db: string, args: string[]): string {
  const r = runCli(args, { db });
  if (r.code !== 0) throw new Error(`prelude \`${args.join(' ')}\` failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

beforeAll(() => {
  work = tempDir('tunicoin-help-');
  // A copy of the built package: examples that write into it (db create) leave the repository alone.
  pkg = join(work.dir, 'pkg');
  mkdirSync(pkg);
  for (const d of ['bin', 'dist', 'migrations', 'scripts']) cpSync(join(ROOT, d), join(pkg, d), { recursive: true });
  copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
  shimDir = join(work.dir, 'shim');
  mkdirSync(shimDir);
  writeFileSync(join(shimDir, 'tunicoin'), `#!/bin/sh\nexec "${process.execPath}" "${join(pkg, 'bin', 'tunicoin.js')}" "$@"\n`);
  chmodSync(join(shimDir, 'tunicoin'), 0o755);

  const seeded = join(work.dir, 'seeded.db');
  prep(seeded, ['seed', '--seed', '42', '--days', '3']);
  checkpoint(seeded);

  const ready = join(work.dir, 'ready.db');
  copyFileSync(seeded, ready);
  prep(ready, ['instruments', 'add', 'SPX500', '--type', 'cfd', '--tick', '0.01']);
  prep(ready, ['account', 'create', 'Swing', '--balance', '5000']);
  prep(ready, ['bot', 'create', 'trend', '--account', 'Swing', '--strategy', 'ema_crossover', '--symbol', 'BTC-USD', '--timeframe', '1m', '--param', 'fast=3', '--param', 'slow=8']);
  prep(ready, ['order', 'buy', 'ETH-USD', '1']);
  prep(ready, ['order', 'buy', 'BTC-USD', '0.05']);
  prep(ready, ['bot', 'run', 'trend', '--for', '3h']);
  const order = json<{ id: string }>(runCli(['order', 'buy', 'ETH-USD', '0.1', '--type', 'limit', '--price', '100', '--json'], { db: ready }));
  ids.order = order.id.slice(0, 8);
  const botOrders = json<Array<{ orderId: string | null }>>(runCli(['bot', 'decisions', 'trend', '--only-trades', '--json'], { db: ready })).filter((d) => d.orderId);
  if (botOrders.length === 0) throw new Error('prelude: the bot placed no order');
  ids.botOrder = (botOrders[0]?.orderId as string).slice(0, 8);
  ids.backtest = json<{ id: string }>(runCli(['backtest', 'sma_crossover', '--json'], { db: ready })).id.slice(0, 8);
  ids.sweep = json<{ sweepId: string }>(runCli(['optimize', 'ema_crossover', '--grid', 'fast=3:6:3', '--timeframe', '15m', '--workers', '1', '--json'], { db: ready })).sweepId.slice(0, 8);
  checkpoint(ready);

  const stopped = join(work.dir, 'stopped.db');
  copyFileSync(ready, stopped);
  prep(stopped, ['bot', 'stop', 'trend']);
  // a stopped bot without a position (so that `bot delete trend` needs no --force)
  const held = json<Array<{ symbol: string }>>(runCli(['positions', '--account', 'Swing', '--json'], { db: stopped }));
  if (held.some((p) => p.symbol === 'BTC-USD')) prep(stopped, ['close', 'BTC-USD', '--account', 'Swing']);
  const paused = join(work.dir, 'paused.db');
  copyFileSync(ready, paused);
  prep(paused, ['bot', 'pause', 'trend']);
  for (const p of [stopped, paused]) checkpoint(p);
  states.push({ name: 'seeded', db: seeded }, { name: 'ready', db: ready }, { name: 'bot stopped', db: stopped }, { name: 'bot paused', db: paused }, { name: 'empty', db: null });
}, 120_000);

afterAll(() => work?.cleanup());

/** Placeholder ids in examples (8 hex characters) become the id of what the example is about. */
function withIds(line: string): string {
  return line.replace(/\b[0-9a-f]{8}\b/g, () => {
    if (/\bbot explain\b/.test(line)) return ids.botOrder as string;
    if (/\boptimize show\b|\bsweeps?\b/.test(line)) return ids.sweep as string;
    if (/\border\b/.test(line)) return ids.order as string;
    return ids.backtest as string;
  });
}

function runExample(line: string, db: string | null, n: number): Promise<{ code: number; out: string }> {
  const cwd = join(work.dir, `run-${n}`);
  mkdirSync(cwd, { recursive: true });
  symlinkSync(join(ROOT, 'fixtures'), join(cwd, 'fixtures'));
  const path = join(cwd, 'db.sqlite');
  if (db) copyFileSync(db, path);
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', line], { cwd, env: { PATH: `${shimDir}:${process.env.PATH}`, HOME: cwd, NO_COLOR: '1', CI: '1', TUNICOIN_DB: path } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (code) => resolve({ code: code ?? -1, out: out.trim().slice(-600) }));
  });
}

/** Try an example on each state in turn; null when one of them succeeds, else what each said. */
async function tryExample(ex: Example, n: number): Promise<string | null> {
  const tries: string[] = [];
  for (const [k, s] of states.entries()) {
    const line = s.name === 'seeded' || s.name === 'empty' ? ex.line : withIds(ex.line);
    const r = await runExample(line, s.db, n * 10 + k);
    if (r.code === 0) return null;
    tries.push(`  [${s.name}] exit ${r.code}: ${r.out.split('\n').slice(-2).join(' | ')}`);
  }
  return `${ex.page}: $ ${ex.line}\n${tries.join('\n')}`;
}

describe('help examples', () => {
  it('every example of every --help exits 0 on the seeded demo database', async () => {
    const examples = examplesOf(buildProgram());
    expect(examples.length).toBeGreaterThan(40);
    // Three at a time: each example is its own process on its own copy.
    const results: Array<string | null> = new Array(examples.length).fill(null);
    let next = 0;
    const lane = async () => { for (let i = next++; i < examples.length; i = next++) results[i] = await tryExample(examples[i] as Example, i); };
    await Promise.all([lane(), lane(), lane()]);
    const failures = results.filter((r): r is string => r !== null);
    expect(failures, failures.join('\n\n')).toEqual([]);
  }, 600_000);
});

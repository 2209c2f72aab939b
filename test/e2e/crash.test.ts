/**
 * A few kills of the real binary (the 50-kill campaign is `npm run crash`): a backtest killed
 * with SIGKILL while running is marked failed ("interrupted") by the next command, said once;
 * one stopped with SIGTERM is canceled cleanly (exit 130). Both leave a sound database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { BIN, cleanEnv, runCli, seededTemplate, tempDir } from '../helpers/cli.ts';

let t: ReturnType<typeof tempDir>;
let template: string;
let slow: string;
beforeAll(async () => {
  t = tempDir('tunicoin-crash-');
  template = await seededTemplate(t.dir, ['--days', '2', '--instruments', 'BTC-USD', '--end', '2026-01-03T00:00:00Z']);
  // A user strategy that takes ~2 ms per candle: the run lasts seconds, so it is surely running when killed.
  slow = join(t.dir, 'slow.js');
  writeFileSync(
    slow,
    "export default { id: 'slow', description: '', params: [], create() { return { warmup: 1, onCandle() { const e = Date.now() + 2; while (Date.now() < e) {} return 'hold'; }, explain() { return { reason: '', indicators: {} }; } }; } };\n",
  );
});
afterAll(() => t.cleanup());

const rows = (db: string) => {
  const s = new BetterSqlite3(db, { readonly: true });
  try {
    return s.prepare('SELECT status, error_message FROM backtests').all() as Array<{ status: string; error_message: string | null }>;
  } finally {
    s.close();
  }
};

/** Start a backtest, wait until its row is running, send the signal, wait for the exit. */
async function killRunning(db: string, signal: NodeJS.Signals): Promise<{ code: number | null; sig: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, [BIN, '--db', db, 'backtest', slow, '--timeframe', '1m', '--strategy-timeout', '5'], {
    env: cleanEnv(),
    stdio: 'ignore',
  });
  const exited = new Promise<{ code: number | null; sig: NodeJS.Signals | null }>((res) =>
    child.on('exit', (code, sig) => res({ code, sig })),
  );
  for (let i = 0; i < 600 && !rows(db).some((r) => r.status === 'running'); i++) await new Promise((r) => setTimeout(r, 50));
  expect(rows(db)).toEqual([{ status: 'running', error_message: null }]);
  child.kill(signal);
  return exited;
}

async function sound(db: string): Promise<void> {
  const s = new BetterSqlite3(db, { readonly: true });
  try {
    expect(s.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    s.close();
  }
  expect((await runCli(['ledger', 'verify'], { db })).code).toBe(0);
  expect(readdirSync(t.dir).filter((f) => /\.tmp-\d+$/.test(f))).toEqual([]);
}

describe('crashes leave nothing stuck', () => {
  it('SIGKILL during a backtest: the next command marks it failed (interrupted), says so once', async () => {
    const db = join(t.dir, 'kill.db');
    copyFileSync(template, db);
    expect(await killRunning(db, 'SIGKILL')).toEqual({ code: null, sig: 'SIGKILL' });
    const first = await runCli(['backtests'], { db });
    expect(first.stderr).toMatch(/^note: backtest [0-9a-f]{8} was interrupted \(its process \d+ is gone\); marked failed\n$/);
    expect((await runCli(['backtests'], { db })).stderr).toBe('');
    expect(rows(db)).toEqual([{ status: 'failed', error_message: expect.stringMatching(/^interrupted: its process \d+ is gone$/) }]);
    await sound(db);
  });

  it('SIGTERM during a backtest is handled like Ctrl-C: canceled, exit 130', async () => {
    const db = join(t.dir, 'term.db');
    copyFileSync(template, db);
    expect(await killRunning(db, 'SIGTERM')).toEqual({ code: 130, sig: null });
    expect(rows(db)).toEqual([{ status: 'canceled', error_message: 'canceled by the user' }]);
    expect((await runCli(['backtests'], { db })).stderr).toBe('');
    await sound(db);
  });
});

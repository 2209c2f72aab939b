/** End-to-end: `report ...`, `backtest --report`, `chart --candles` on the built CLI: files, bad input, exit codes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { json, runCli, seededTemplate, tempDir } from '../helpers/cli.ts';

let t: ReturnType<typeof tempDir>;
let db: string;
let id: string;
const file = (name: string) => join(t.dir, name);
const count = (sql: string) => {
  const s = new BetterSqlite3(db, { readonly: true });
  try {
    return (s.prepare(sql).get() as { n: number }).n;
  } finally {
    s.close();
  }
};

beforeAll(async () => {
  t = tempDir();
  db = file('t.db');
  copyFileSync(await seededTemplate(t.dir, ['--days', '5', '--end', '2026-01-01T00:00:00Z', '--instruments', 'BTC-USD']), db);
  id = json<{ id: string }>(await runCli(['backtest', 'macd', '--json'], { db })).id;
});
afterAll(() => t.cleanup());

describe('report backtest', () => {
  it('writes one self-contained file and prints its path', async () => {
    const r = await runCli(['report', 'backtest', id.slice(0, 6), '-o', file('a.html')], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(file('a.html'));
    const html = readFileSync(file('a.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`Backtest ${id.slice(0, 8)}: macd on BTC-USD 1h`);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
  });

  it('--json describes the file', async () => {
    const r = json<{ kind: string; path: string; bytes: number }>(
      await runCli(['report', 'backtest', id, '-o', file('b.html'), '--json'], { db }),
    );
    expect(r).toMatchObject({ kind: 'backtest', path: file('b.html') });
    expect(r.bytes).toBe(statSync(file('b.html')).size);
  });

  it('an unknown id is "not found" (exit 3) and writes nothing', async () => {
    for (const bad of ['ffffffff', 'no-such-id', '../etc']) {
      const r = await runCli(['report', 'backtest', bad, '-o', file('x.html')], { db });
      expect(r.code, bad).toBe(3);
      expect(r.stderr).toMatch(/unknown backtest/);
    }
    expect(existsSync(file('x.html'))).toBe(false);
  });

  it('an existing file needs --yes (exit 4 without, nothing changed)', async () => {
    writeFileSync(file('keep.html'), 'mine');
    const r = await runCli(['report', 'backtest', id, '-o', file('keep.html')], { db });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/already exists.*--yes/);
    expect(readFileSync(file('keep.html'), 'utf8')).toBe('mine');
    expect((await runCli(['report', 'backtest', id, '-o', file('keep.html'), '--yes'], { db })).code).toBe(0);
    expect(readFileSync(file('keep.html'), 'utf8')).toContain('<!doctype html>');
  });

  it('a missing folder needs --yes (exit 2 without, nothing created)', async () => {
    const target = file('new/deeper/r.html');
    const r = await runCli(['report', 'backtest', id, '-o', target], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not exist.*--yes/);
    expect(existsSync(file('new'))).toBe(false);
    expect((await runCli(['report', 'backtest', id, '-o', target, '--yes'], { db })).code).toBe(0);
    expect(existsSync(target)).toBe(true);
  });

  it('refuses a file name that is not .html', async () => {
    expect((await runCli(['report', 'backtest', id, '-o', file('r.txt')], { db })).code).toBe(2);
  });
});

describe('backtest --report', () => {
  it('checks the output before running: a bad path costs no run', async () => {
    writeFileSync(file('taken.html'), 'x');
    const before = count('SELECT COUNT(*) AS n FROM backtests');
    const r = await runCli(['backtest', 'ema_crossover', '--report', file('taken.html')], { db });
    expect(r.code).toBe(4);
    expect(count('SELECT COUNT(*) AS n FROM backtests')).toBe(before);
  });

  it('--json stays one document; the report is noted on stderr', async () => {
    const r = await runCli(['backtest', 'ema_crossover', '--json', '--report', file('bt.html')], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ status: string }>(r).status).toBe('completed');
    expect(r.stderr).toContain(`report written to ${file('bt.html')}`);
    expect(existsSync(file('bt.html'))).toBe(true);
  });
});

describe('other reports: bad input', () => {
  it('unknown bot or account: exit 3', async () => {
    expect((await runCli(['report', 'bot', 'nobody', '-o', file('n.html')], { db })).code).toBe(3);
    expect((await runCli(['report', 'account', 'Nobody', '-o', file('n.html')], { db })).code).toBe(3);
    expect((await runCli(['report', 'compare', id, 'ffffffff', '-o', file('n.html')], { db })).code).toBe(3);
    expect(existsSync(file('n.html'))).toBe(false);
  });

  it('compare needs two ids', async () => {
    expect((await runCli(['report', 'compare', id, '-o', file('n.html')], { db })).code).toBe(2);
  });

  it('a bot that never ran: the report says so', async () => {
    expect((await runCli(['bot', 'create', 'idle', '--strategy', 'macd', '--symbol', 'BTC-USD'], { db })).code).toBe(0);
    const r = await runCli(['report', 'bot', 'idle', '-o', file('idle.html')], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(file('idle.html'), 'utf8')).toContain('The bot has made no decision yet');
  });
});

describe('terminal charts without colour', () => {
  it('chart --candles draws up and down candles with different glyphs and a legend', async () => {
    const r = await runCli(['chart', 'BTC-USD', '--candles', '--last', '40', '--height', '10'], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\x1b['); // NO_COLOR
    expect(r.stdout).toContain('█');
    expect(r.stdout).toContain('░');
    expect(r.stdout).toContain('░ up (close >= open)  █ down');
  });

  it('the backtest equity chart draws buy & hold dotted, with a legend', async () => {
    const r = await runCli(['backtest', 'macd'], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('── strategy   ··· buy & hold');
    const chart = r.stdout.slice(r.stdout.indexOf('equity: strategy vs buy & hold'));
    expect(chart).toMatch(/[─╭╮╰╯]/);
    expect(chart.split('\n').slice(1, -2).join('')).toContain('·');
  });
});

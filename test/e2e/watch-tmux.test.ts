/**
 * `tunicoin watch` end to end: the real binary in a real terminal (tmux), driven with keys:
 * buy from the order form, step the market, quit; then the orders, the position, the ledger
 * and the clock are checked with the ordinary `--json` commands. Without a terminal, or with
 * --json, the command refuses and points to `market advance`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, json, runCli, seededTemplate, tempDir } from '../helpers/cli.ts';

const SOCKET = `tunicoin-e2e-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { encoding: 'utf8' });
const screen = (): string => tmux('capture-pane', '-p', '-t', 'w').stdout;
const screenWithEscapes = (): string => tmux('capture-pane', '-p', '-e', '-t', 'w').stdout;
const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Poll until `check` holds (a liveness bound, not a timing assertion). */
async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  const stderrFile = join(t.dir, 'stderr.txt');
  const stderr = existsSync(stderrFile) ? readFileSync(stderrFile, 'utf8') : '(none yet)';
  throw new Error(`timed out waiting for ${what}; the screen:\n${screen()}\nstderr:\n${stderr}`);
}

let t: ReturnType<typeof tempDir>;
let template: string;
beforeAll(async () => {
  t = tempDir();
  template = await seededTemplate(t.dir, ['--days', '2', '--end', '2026-01-01T00:00:00Z', '--instruments', 'BTC-USD,ETH-USD']);
});
afterAll(() => {
  tmux('kill-server');
  t.cleanup();
});

describe('tunicoin watch in tmux', () => {
  it('buys from the order form, steps the market and quits; everything is in orders, positions and the ledger', async () => {
    const db = join(t.dir, 'tmux.db');
    copyFileSync(template, db);
    const exitFile = join(t.dir, 'exit.txt');
    const cmd = `env NO_COLOR=1 TERM=xterm-256color ${shq(process.execPath)} ${shq(BIN)} --db ${shq(db)} watch BTC-USD ETH-USD --speed 0 2>${shq(join(t.dir, 'stderr.txt'))}; echo "exit=$?" > ${shq(exitFile)}; sleep 60`;
    const started = tmux('new-session', '-d', '-s', 'w', '-x', '120', '-y', '40', cmd);
    expect(started.status, started.stderr).toBe(0);
    await until('the screen', () => screen().includes('quotes') && screen().includes('paused (n steps)'));
    const first = screen();
    for (const panel of ['BTC-USD 1m', 'quotes', 'positions (0)', 'working orders (0)', 'log', 'equity $10,000.00'])
      expect(first).toContain(panel);
    expect(first).toContain('2026-01-01 00:00 UTC');
    // NO_COLOR: no colour escapes on the screen
    // eslint-disable-next-line no-control-regex -- an ANSI colour escape is what it looks for
    expect(screenWithEscapes()).not.toMatch(/\x1b\[(3[0-7]|9[0-7]|38;)/);

    tmux('send-keys', '-t', 'w', 'b');
    await until('the order form', () => screen().includes('Buy BTC-USD'));
    tmux('send-keys', '-t', 'w', '-l', '0.1');
    await until('the preview', () => /fills ~[\d.]+ at 1x · margin \$[\d,.]+ · fee \$[\d.]+/.test(screen()));
    tmux('send-keys', '-t', 'w', 'Enter');
    await until('the fill in the log', () => screen().includes('you: buy 0.1 BTC-USD @'));
    expect(screen()).toContain('positions (1)');
    tmux('send-keys', '-t', 'w', 'n');
    await until('the clock to move one minute', () => screen().includes('2026-01-01 00:01 UTC'));
    tmux('send-keys', '-t', 'w', 'q');
    await until('the exit', () => existsSync(exitFile));
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('exit=0');
    expect(readFileSync(join(t.dir, 'stderr.txt'), 'utf8')).toContain('watched 1m market time; the clock is at 2026-01-01T00:01:00.000Z');

    const orders = json<
      Array<{ id: string; side: string; size: string; status: string; source: string; symbol: string; fillPrice: string }>
    >(await runCli(['orders', '--status', 'all', '--json'], { db }));
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ side: 'buy', size: '0.1', status: 'filled', source: 'manual', symbol: 'BTC-USD' });
    const positions = json<Array<{ symbol: string; side: string; size: string }>>(await runCli(['positions', '--json'], { db }));
    expect(positions).toEqual([expect.objectContaining({ symbol: 'BTC-USD', side: 'long', size: '0.1' })]);
    const ledger = json<Array<{ type: string; orderId: string | null }>>(await runCli(['ledger', '--json'], { db }));
    expect(ledger.filter((e) => e.type === 'commission').map((e) => e.orderId)).toEqual([orders[0]!.id]);
    expect(json<{ clock: string }>(await runCli(['clock', '--json'], { db })).clock).toBe('2026-01-01T00:01:00.000Z');
    expect((await runCli(['ledger', 'verify'], { db })).code).toBe(0);
  }, 240_000);

  it('refuses without a terminal or with --json, pointing to market advance', async () => {
    const db = join(t.dir, 'plain.db');
    copyFileSync(template, db);
    for (const args of [['watch'], ['watch', '--json']]) {
      const r = await runCli(args, { db });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: tunicoin watch is a full-screen view and needs a terminal.*tunicoin market advance/);
    }
    const bad = await runCli(['watch', '--speed', 'fast'], { db });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--speed must be a whole number');
  });
});

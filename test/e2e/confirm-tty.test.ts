/**
 * End-to-end on a real pseudo-terminal (script(1)): a destructive command asks "...? [y/N]"
 * (No by default) and goes ahead only on yes. Off a terminal the same command needs --yes
 * (test/hardening/cases.ts, test/integration/cli-output.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BIN, cleanEnv, json, runCliProcess, tempDir } from '../helpers/cli.ts';

let t: ReturnType<typeof tempDir>;
let db: string;

beforeAll(() => {
  t = tempDir();
  db = join(t.dir, 'tty.db');
  expect(runCliProcess(['seed', '--days', '1', '--end', '2026-01-01T00:00:00Z', '--instruments', 'BTC-USD,EURUSD'], { db }).code).toBe(0);
});
afterAll(() => t.cleanup());

/** Run `tunicoin --db DB ...args` on a pty, answer the prompt with `keys`, return the exit code and what the terminal showed. */
async function onTerminal(args: string[], keys: string): Promise<{ code: number; screen: string }> {
  // script(1) gives the CLI a pseudo-terminal (of size 0x0 unless set: set it, clack wraps at the width).
  const cmd = `stty cols 100 rows 40; exec ${[process.execPath, BIN, '--db', db, ...args].map((a) => JSON.stringify(a)).join(' ')}`;
  const child = spawn('script', ['-qec', cmd, '/dev/null'], { env: { ...cleanEnv(), TERM: 'xterm' } });
  let screen = '';
  let asked: () => void = () => {};
  const question = new Promise<void>((res) => {
    asked = res;
  });
  child.stdout.on('data', (d) => {
    screen += String(d);
    if (/\[y\/N\]/.test(screen)) asked();
  });
  const exited = new Promise<number>((res) => child.on('close', (c) => res(c ?? -1)));
  try {
    await question;
    child.stdin.write(keys);
    return { code: await exited, screen };
  } finally {
    child.kill();
  }
}

const candleCount = (symbol: string) =>
  json<{ candles: unknown[] }>(runCliProcess(['candles', symbol, '--limit', '5000', '--json'], { db })).candles.length;

describe('destructive commands on a terminal', () => {
  it('candles delete asks; Enter keeps the default No and nothing is deleted; y deletes', async () => {
    const before = candleCount('EURUSD');
    expect(before).toBeGreaterThan(0);
    const no = await onTerminal(['candles', 'delete', 'EURUSD'], '\r');
    expect(no.screen).toMatch(/Delete [\d,]+ candle\(s\) of EURUSD\? \[y\/N\]/);
    expect(no.code).toBe(2);
    expect(candleCount('EURUSD')).toBe(before);
    const yes = await onTerminal(['candles', 'delete', 'EURUSD'], 'y');
    expect(yes.code).toBe(0);
    expect(yes.screen).toMatch(/deleted [\d,]+ candle\(s\) of EURUSD/);
    expect(runCliProcess(['candles', 'EURUSD', '--json'], { db }).code).not.toBe(0);
  }, 60_000);
});

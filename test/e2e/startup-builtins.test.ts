/**
 * Built-in modules the everyday commands load at start-up (issue 14): the binary places an order and shows
 * the account without node:crypto (ids come from /dev/urandom, store/random-ids.ts) and builds
 * only the command it runs (program/groups.ts), and writes a pipe or a file without Node's stream
 * objects (cli/std-streams.ts). Checked on Node's own module list.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cleanEnv, seededCopies } from '../helpers/cli.ts';

const { fresh, dir } = seededCopies(['--days', '1', '--end', '2026-01-10T00:00:00Z', '--instruments', 'BTC-USD'], 'm');

/** The built-in modules the binary loaded for `args`, and its stdout. */
function loaded(args: string[], db: string): { modules: string[]; stdout: string } {
  const hook = join(dir(), 'module-list.cjs');
  const out = join(dir(), 'modules.json');
  writeFileSync(
    hook,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.moduleLoadList)));`,
  );
  const r = spawnSync(process.execPath, ['-r', hook, BIN, '--db', db, ...args], { env: cleanEnv(), encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return { modules: JSON.parse(readFileSync(out, 'utf8')) as string[], stdout: r.stdout };
}

describe('start-up: modules loaded by the everyday commands', () => {
  it('order buy and account run without node:crypto, and the order gets a v4 id', () => {
    const db = fresh();
    const order = loaded(['order', 'buy', 'BTC-USD', '0.1', '--json'], db);
    expect(order.modules).not.toContain('NativeModule crypto');
    expect((JSON.parse(order.stdout) as { id: string }).id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const account = loaded(['account'], db);
    expect(account.modules).not.toContain('NativeModule crypto');
    expect(account.stdout).toContain('BTC-USD');
  });

  it('writes a pipe without node:stream or node:net, and a reader closing the pipe early ends it with exit 0', async () => {
    const db = fresh();
    const csv = loaded(['candles', 'BTC-USD', '--limit', '3', '--format', 'csv'], db);
    expect(csv.stdout.trim().split('\n')).toHaveLength(4);
    expect(csv.modules).not.toContain('NativeModule net');
    expect(csv.modules).not.toContain('NativeModule stream');
    // 1,440 rows (~90 KB) is more than a pipe holds: the reader closes after its first chunk
    const child = spawn(process.execPath, [BIN, '--db', db, 'candles', 'BTC-USD', '--limit', '5000', '--format', 'csv'], {
      env: cleanEnv(),
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

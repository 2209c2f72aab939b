/** End-to-end: users on the built CLI (real bcrypt cost 12): exit 8, password input, token file, TUNICOIN_TOKEN. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { json, runCli, tempDir } from '../helpers/cli.ts';

let t: ReturnType<typeof tempDir>;
let db: string;
let env: Record<string, string>;

beforeAll(() => {
  t = tempDir();
  db = join(t.dir, 'users.db');
  env = { XDG_CONFIG_HOME: join(t.dir, 'config') };
});
afterAll(() => t.cleanup());

describe('users from the command line', () => {
  it('one user needs no login; a second one makes every user-data command say "log in first" (exit 8)', async () => {
    expect((await runCli(['seed', '--days', '1', '--end', '2026-01-01T00:00:00Z', '--instruments', 'BTC-USD'], { db, env })).code).toBe(0);
    expect((await runCli(['order', 'buy', 'BTC-USD', '0.1'], { db, env })).code).toBe(0);

    const reg = await runCli(['user', 'register', 'Bob@Example.com', '--password-stdin', '--json'], { db, env, input: 'bobs secret\n' });
    expect(reg.code).toBe(0);
    expect(json(reg)).toMatchObject({ email: 'bob@example.com', admin: true });

    const refused = await runCli(['order', 'buy', 'BTC-USD', '0.1'], { db, env });
    expect(refused.code).toBe(8);
    expect(refused.stderr).toMatch(/^error: log in first: 2 users share this database \(tunicoin login EMAIL\)\n$/);
    expect((await runCli(['quote', 'BTC-USD'], { db, env })).code).toBe(0); // market data is shared
  });

  it('a password is never a flag, and without a terminal it comes from --password-stdin', async () => {
    expect((await runCli(['login', 'bob@example.com', '--password', 'bobs secret'], { db, env })).code).toBe(2);
    const noTty = await runCli(['login', 'bob@example.com'], { db, env, input: 'bobs secret\n' });
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toMatch(/--password-stdin/);
  });

  it('login saves a 0600 token file per database; TUNICOIN_TOKEN works without it', async () => {
    const ok = await runCli(['login', 'bob@example.com', '--password-stdin'], { db, env, input: 'bobs secret\n' });
    expect(ok.code).toBe(0);
    const dir = join(env.XDG_CONFIG_HOME as string, 'tunicoin', 'sessions');
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, files[0] as string)).mode & 0o777).toBe(0o600);

    const noAccount = await runCli(['order', 'buy', 'BTC-USD', '0.1'], { db, env });
    expect(noAccount.code).toBe(4);
    expect((await runCli(['account', 'create', 'Bob', '--balance', '5000'], { db, env })).code).toBe(0);
    expect(json<{ status: string }>(await runCli(['order', 'buy', 'BTC-USD', '0.01', '--json'], { db, env })).status).toBe('filled');
    expect(json<Array<{ name: string }>>(await runCli(['account', 'list', '--json'], { db, env })).map((a) => a.name)).toEqual(['Bob']);

    const printed = await runCli(['login', 'bob@example.com', '--password-stdin', '--print-token'], { db, env, input: 'bobs secret' });
    const token = printed.stdout.trim();
    expect(token).toMatch(/^tnc1\.[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    const ci = { XDG_CONFIG_HOME: join(t.dir, 'ci-config'), TUNICOIN_TOKEN: token };
    expect(json(await runCli(['whoami', '--json'], { db, env: ci }))).toMatchObject({
      user: 'bob@example.com',
      admin: true,
      via: 'session',
    });
    const bad = await runCli(['whoami'], { db, env: { ...ci, TUNICOIN_TOKEN: `${token.slice(0, -2)}xx` } });
    expect(bad.code).toBe(8);
    expect((await runCli(['ledger', 'verify'], { db, env })).code).toBe(0);
  });
});

describe('on a terminal', () => {
  it('asks for the password twice without echoing it (a real pty through script(1))', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN, cleanEnv } = await import('../helpers/cli.ts');
    const ttyDb = join(t.dir, 'tty.db');
    // script(1) gives the CLI a pseudo-terminal (of size 0x0 unless set: set it, clack wraps at the width).
    const cmd = `stty cols 100 rows 40; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --db ${JSON.stringify(ttyDb)} user register tty@example.com`;
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { env: { ...cleanEnv(env), TERM: 'xterm' } });
    let out = '';
    const waiters: Array<{ re: RegExp; done: () => void }> = [];
    child.stdout.on('data', (d) => {
      out += String(d);
      for (const w of waiters.splice(0)) {
        if (w.re.test(out)) w.done();
        else waiters.push(w);
      }
    });
    const waitFor = (re: RegExp) =>
      new Promise<void>((done) => {
        if (re.test(out)) done();
        else waiters.push({ re, done });
      });
    const exited = new Promise<number>((res) => child.on('close', (c) => res(c ?? -1)));
    try {
      await waitFor(/New password/);
      child.stdin.write('ttysecret1\r');
      await waitFor(/Again/);
      child.stdin.write('ttysecret1\r');
      expect(await exited).toBe(0);
    } finally {
      child.kill();
    }
    expect(out).toMatch(/registered tty@example.com/);
    expect(out).toContain('▪'.repeat(10)); // the mask, one per character typed
    expect(out).not.toContain('ttysecret1');
  });
});

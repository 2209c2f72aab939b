/** Users on a temp db, through the command handlers: register, login, lock, sessions, 2FA. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { TOTP, Secret } from 'otpauth';
import { bcryptHasher, DUMMY_HASH } from '../../src/app/auth.ts';
import {
  loginCmd,
  logoutCmd,
  twoFactorDisable,
  twoFactorEnable,
  userPasswd,
  userRegister,
  userShow,
  whoami,
} from '../../src/cli/commands/user.ts';
import { placeOrder } from '../../src/cli/commands/order.ts';
import { tokenFilePath } from '../../src/cli/session-file.ts';
import { DEMO_PASSWORD, DEMO_PASSWORD_HASH } from '../../src/cli/commands/seed.ts';
import { counts, makeWorld, T0, type World } from '../helpers/users.ts';

let w: World;
beforeEach(async () => {
  w = await makeWorld();
});
afterEach(() => w.cleanup());

const user = async (email: string) =>
  (await w.store()).sqlite.prepare('SELECT * FROM users WHERE email = ?').get(email) as Record<string, unknown>;

describe('register', () => {
  it('normalises the email, hashes the password, and makes the first user of a database without an admin its admin', async () => {
    const r = await w.run((ctx, io) => userRegister(ctx, '  Ada@Example.COM ', { passwordStdin: true }, io), {
      stdin: 'correct horse\n',
      json: false,
    });
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/ada@example.com is an admin/);
    const ada = await user('ada@example.com');
    expect(ada.is_admin).toBe(1);
    expect(await bcrypt.compare('correct horse', String(ada.hashed_password))).toBe(true);
    const bob = await w.run((ctx, io) => userRegister(ctx, 'bob@example.com', { passwordStdin: true }, io), { stdin: 'battery staple' });
    expect(bob.json()).toMatchObject({ email: 'bob@example.com', admin: false });
  });

  it('stores a bcrypt hash of cost 12 with the product hasher', async () => {
    const store = await w.store();
    const { register } = await import('../../src/app/auth.ts');
    await register(store, 'cost@example.com', 'twelve rounds', { hasher: bcryptHasher(), now: () => T0 });
    const hash = String((await user('cost@example.com')).hashed_password);
    expect(bcrypt.getRounds(hash)).toBe(12);
    expect(bcrypt.getRounds(DUMMY_HASH)).toBe(12); // the unknown-email compare costs the same
    expect(bcrypt.getRounds(DEMO_PASSWORD_HASH)).toBe(12); // seed's demo user: the spec's demo123, precomputed
    expect(await bcrypt.compare(DEMO_PASSWORD, DEMO_PASSWORD_HASH)).toBe(true);
  });

  it.each([
    ['an existing email, in another case', 'DEMO@tunicoin.local', 'long enough', 4, /already exists/],
    ["the system user's email", 'system@tunicoin.local', 'long enough', 4, /already exists/],
    ['a malformed email', 'not-an-email', 'long enough', 2, /not a valid email/],
    ['an empty password', 'new@example.com', '', 2, /password is empty/],
    ['a password under 8 characters', 'new@example.com', 'short12', 2, /too short: at least 8/],
  ])('refuses %s and writes nothing', async (_what, email, password, code, message) => {
    const before = counts(await w.store());
    const r = await w.run((ctx, io) => userRegister(ctx, email, { passwordStdin: true }, io), { stdin: `${password}\n` });
    expect(r.code).toBe(code);
    expect(r.err).toMatch(message);
    expect(counts(await w.store())).toEqual(before);
  });

  it('never reads a password without a terminal unless --password-stdin says so', async () => {
    const r = await w.run((ctx, io) => userRegister(ctx, 'new@example.com', {}, io));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--password-stdin/);
  });
});

describe('login', () => {
  beforeEach(async () => {
    await w.register('ada@example.com');
  });
  const loginAs = (email: string, password: string, extra: { code?: string; days?: string } = {}) =>
    w.run((ctx, io) => loginCmd(ctx, email, { passwordStdin: true, ...extra }, io), { stdin: `${password}\n` });

  it('starts a 30-day session: token file 0600 under XDG_CONFIG_HOME keyed by the database, last_login stamped', async () => {
    const r = await loginAs('ADA@example.com', 'correct horse');
    expect(r.code).toBe(0);
    const j = r.json<{ user: string; expiresAt: string; tokenFile: string }>();
    expect(j.user).toBe('ada@example.com');
    expect(j.expiresAt).toBe(new Date(T0 + 30 * 86_400_000).toISOString());
    expect(j.tokenFile).toBe(tokenFilePath(w.env, w.db));
    expect(j.tokenFile.startsWith(join(w.env.XDG_CONFIG_HOME as string, 'tunicoin'))).toBe(true);
    expect(statSync(j.tokenFile).mode & 0o777).toBe(0o600);
    expect(tokenFilePath(w.env, join(w.dir, 'other.db'))).not.toBe(j.tokenFile);
    const { token } = JSON.parse(readFileSync(j.tokenFile, 'utf8')) as { token: string };
    const row = (await w.store()).sqlite.prepare('SELECT token_hash FROM sessions').get() as { token_hash: string };
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.token_hash).not.toContain(token.split('.')[2]);
    expect((await user('ada@example.com')).last_login).toBe(new Date(T0).toISOString());
    expect((await w.run((ctx) => whoami(ctx))).json()).toMatchObject({ user: 'ada@example.com', via: 'session' });
  });

  it('a wrong password and an unknown email get the same answer after the same bcrypt work', async () => {
    const before = counts(await w.store());
    const wrong = await loginAs('ada@example.com', 'wrong horse');
    const compares = w.hasher.compared.splice(0);
    const unknown = await loginAs('nobody@example.com', 'wrong horse');
    expect(wrong.code).toBe(8);
    expect(unknown.code).toBe(8);
    expect(unknown.err).toBe(wrong.err);
    expect(wrong.err).toMatch(/wrong email or password/);
    expect(compares).toHaveLength(1);
    expect(w.hasher.compared).toEqual([DUMMY_HASH]);
    expect(counts(await w.store())).toEqual(before); // no session; only ada's failure counter moved
    expect((await user('ada@example.com')).failed_logins).toBe(1);
  });

  it('five failures lock the user for 15 minutes, even with the right password, across processes', async () => {
    for (let k = 0; k < 4; k++) expect((await loginAs('ada@example.com', `wrong ${k}`)).err).not.toMatch(/locked/);
    const fifth = await loginAs('ada@example.com', 'wrong 5');
    expect(fifth.err).toMatch(/locked until 2026-01-02T12:15:00.000Z/);
    w.now = T0 + 14 * 60_000;
    const locked = await loginAs('ada@example.com', 'correct horse');
    expect(locked.code).toBe(8);
    expect(locked.err).toMatch(/too many failed logins/);
    expect(counts(await w.store()).sessions).toBe(0);
    w.now = T0 + 15 * 60_000;
    expect((await loginAs('ada@example.com', 'correct horse')).code).toBe(0);
    expect((await user('ada@example.com')).failed_logins).toBe(0);
  });

  it('parallel attempts cannot slip past the limit: each is counted before its password is checked', async () => {
    const { login } = await import('../../src/app/auth.ts');
    const store = await w.store();
    w.hasher.compared.length = 0;
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, k) =>
        login(store, { email: 'ada@example.com', password: `guess ${k}` }, { hasher: w.hasher, now: () => w.now }),
      ),
    );
    const messages = results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'ok'));
    expect(messages.filter((m) => /^too many failed logins/.test(m))).toHaveLength(3);
    expect(w.hasher.compared).toHaveLength(5); // only five passwords were ever compared
    expect((await user('ada@example.com')).locked_until).toBe(new Date(T0 + 15 * 60_000).toISOString());
  });

  it('refuses a bad --days', async () => {
    expect((await loginAs('ada@example.com', 'correct horse', { days: '0' })).code).toBe(2);
    expect((await loginAs('ada@example.com', 'correct horse', { days: 'x' })).code).toBe(2);
    expect(counts(await w.store()).sessions).toBe(0);
  });
});

describe('sessions', () => {
  let ada: string;
  beforeEach(async () => {
    await w.register('ada@example.com');
    ada = await w.token('ada@example.com');
  });
  const order = (token?: string) => w.run((ctx) => placeOrder(ctx, 'buy', 'BTC-USD', '0.01', {}), { token });

  it('several users and no session: "log in first" (exit 8), nothing written', async () => {
    const before = counts(await w.store());
    const r = await order();
    expect(r.code).toBe(8);
    expect(r.err).toMatch(/log in first: 2 users share this database/);
    expect(counts(await w.store())).toEqual(before);
  });

  it("a token acts as its user; expired, tampered and other databases' tokens are refused", async () => {
    expect((await w.run((ctx) => whoami(ctx), { token: ada })).json()).toMatchObject({ user: 'ada@example.com' });
    const tampered = ada.slice(0, -1) + (ada.endsWith('A') ? 'B' : 'A');
    expect((await w.run((ctx) => whoami(ctx), { token: tampered })).err).toMatch(/not valid \(logged out or tampered with\)/);
    const foreign = ada.replace(/^tnc1\.[^.]+\./, 'tnc1.00000000-0000-0000-0000-000000000000.');
    const f = await w.run((ctx) => whoami(ctx), { token: foreign });
    expect(f.code).toBe(8);
    expect(f.err).toMatch(/belongs to another database/);
    expect((await w.run((ctx) => whoami(ctx), { token: 'garbage' })).err).toMatch(/malformed/);
    w.now = T0 + 30 * 86_400_000;
    const expired = await w.run((ctx) => whoami(ctx), { token: ada });
    expect(expired.code).toBe(8);
    expect(expired.err).toMatch(/session expired at 2026-02-01T12:00:00.000Z/);
  });

  it('an explicit TUNICOIN_TOKEN must be valid even on a one-user database; a stale token file is ignored there', async () => {
    const solo = await makeWorld({ seed: false });
    try {
      await solo.register('ada@example.com');
      const token = await solo.token('ada@example.com');
      (await solo.store()).sqlite.prepare('DELETE FROM sessions').run();
      expect((await solo.run((ctx) => whoami(ctx), { token })).code).toBe(8);
      await solo.run((ctx, io) => loginCmd(ctx, 'ada@example.com', { passwordStdin: true }, io), { stdin: 'correct horse' });
      (await solo.store()).sqlite.prepare('DELETE FROM sessions').run(); // the file now holds a dead token
      expect((await solo.run((ctx) => whoami(ctx))).json()).toMatchObject({ user: 'ada@example.com', via: 'only-user' });
    } finally {
      solo.cleanup();
    }
  });

  it('logout ends the session and removes the token file', async () => {
    await w.run((ctx, io) => loginCmd(ctx, 'ada@example.com', { passwordStdin: true }, io), { stdin: 'correct horse' });
    expect(counts(await w.store()).sessions).toBe(2);
    const r = await w.run((ctx) => logoutCmd(ctx));
    expect(r.json()).toEqual({ loggedOut: true, tokenFileRemoved: true });
    expect(counts(await w.store()).sessions).toBe(1);
    expect((await w.run((ctx) => whoami(ctx))).code).toBe(8);
  });

  it('passwd checks the current password, and logs the other sessions out', async () => {
    const wrong = await w.run((ctx, io) => userPasswd(ctx, { passwordStdin: true }, io), { token: ada, stdin: 'not it\nnew password 1\n' });
    expect(wrong.code).toBe(8);
    const other = await w.token('ada@example.com');
    const r = await w.run((ctx, io) => userPasswd(ctx, { passwordStdin: true }, io), {
      token: ada,
      stdin: 'correct horse\nnew password 1\n',
    });
    expect(r.json()).toEqual({ changed: true, otherSessionsEnded: 1 });
    expect((await w.run((ctx) => whoami(ctx), { token: other })).code).toBe(8);
    expect((await w.run((ctx) => whoami(ctx), { token: ada })).code).toBe(0);
    const short = await w.run((ctx, io) => userPasswd(ctx, { passwordStdin: true }, io), { token: ada, stdin: 'new password 1\nshort\n' });
    expect(short.code).toBe(2);
  });

  it('user show: the profile, never the hash or the 2FA secret', async () => {
    const r = await w.run((ctx) => userShow(ctx, undefined), { token: ada });
    const p = r.json<Record<string, unknown>>();
    expect(p).toMatchObject({
      email: 'ada@example.com',
      verified: false,
      plan: 'free',
      kycStatus: 'pending',
      twoFactor: false,
      lastLogin: new Date(T0).toISOString(),
    });
    expect(r.out).not.toMatch(/\$2[aby]\$|hashed|secret/i);
  });
});

describe('two-factor authentication', () => {
  let ada: string;
  let secret: string;
  let codes: string[];
  const STEP = 30_000;
  const codeAt = (t: number) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: t });
  const loginWith = (code?: string) =>
    w.run((ctx, io) => loginCmd(ctx, 'ada@example.com', { passwordStdin: true, code }, io), { stdin: 'correct horse' });

  beforeEach(async () => {
    await w.register('ada@example.com');
    ada = await w.token('ada@example.com');
    const begin = await w.run((ctx, io) => twoFactorEnable(ctx, {}, io), { token: ada });
    const j = begin.json<{ uri: string; secret: string; enabled: boolean }>();
    expect(j.uri).toMatch(/^otpauth:\/\/totp\/tunicoin:ada%40example.com\?issuer=tunicoin&secret=[A-Z2-7]+/);
    expect(j.enabled).toBe(false);
    secret = j.secret;
    const wrongCode = await w.run((ctx, io) => twoFactorEnable(ctx, { code: codeAt(T0 - 5 * STEP) }, io), { token: ada });
    expect(wrongCode.code).toBe(8);
    expect((await user('ada@example.com')).twofa_enabled).toBe(0);
    const on = await w.run((ctx, io) => twoFactorEnable(ctx, { code: codeAt(T0) }, io), { token: ada });
    codes = on.json<{ recoveryCodes: string[] }>().recoveryCodes;
  });

  it('turns on after a valid code, with ten recovery codes stored hashed', async () => {
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const rows = (await w.store()).sqlite.prepare('SELECT code_hash FROM recovery_codes').all() as { code_hash: string }[];
    expect(rows).toHaveLength(10);
    for (const c of codes) expect(rows.map((r) => r.code_hash)).not.toContain(c);
    expect((await user('ada@example.com')).twofa_enabled).toBe(1);
  });

  it('the only-user rule does not spare a 2FA user a login', async () => {
    const solo = await makeWorld({ seed: false });
    try {
      const id = await solo.register('solo@example.com');
      expect((await solo.run((ctx) => whoami(ctx))).json()).toMatchObject({ user: 'solo@example.com', via: 'only-user' });
      (await solo.store()).sqlite.prepare('UPDATE users SET twofa_enabled = 1 WHERE id = ?').run(id);
      const r = await solo.run((ctx) => whoami(ctx));
      expect(r.code).toBe(8);
      expect(r.err).toMatch(/log in first: solo@example.com uses two-factor authentication/);
    } finally {
      solo.cleanup();
    }
  });

  it('login asks for the code; wrong, expired and replayed codes are refused and counted', async () => {
    expect((await loginWith()).err).toMatch(/give the code/);
    w.now = T0 + 10 * STEP;
    const wrong = await loginWith(String((Number(codeAt(w.now)) + 1) % 1_000_000).padStart(6, '0'));
    expect(wrong.err).toMatch(/wrong or expired authentication code/);
    const expired = await loginWith(codeAt(w.now - 2 * STEP));
    expect(expired.err).toMatch(/wrong or expired/);
    expect((await user('ada@example.com')).failed_logins).toBe(3); // every unsuccessful attempt counts, the one without a code too
    const early = await loginWith(codeAt(w.now + STEP)); // +1 step window
    expect(early.code).toBe(0);
    const replay = await loginWith(codeAt(w.now + STEP));
    expect(replay.code).toBe(8);
    expect(replay.err).toMatch(/already used/);
    const older = await loginWith(codeAt(w.now)); // an older step than the one accepted: also refused
    expect(older.err).toMatch(/already used/);
    expect(counts(await w.store()).sessions).toBe(2); // the first login and the +1 one
  });

  it('a recovery code works once', async () => {
    const r = await loginWith(codes[3]!.toUpperCase());
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/9 left/);
    const again = await loginWith(codes[3]);
    expect(again.code).toBe(8);
    expect(again.err).toMatch(/recovery code was already used/);
  });

  it('disable needs a valid code; then login is password only again', async () => {
    const before = counts(await w.store());
    const bad = await w.run((ctx, io) => twoFactorDisable(ctx, { code: '000000' }, io), { token: ada });
    expect(bad.code).toBe(8);
    expect(counts(await w.store())).toEqual(before);
    w.now = T0 + 3 * STEP;
    expect((await w.run((ctx, io) => twoFactorDisable(ctx, { code: codeAt(w.now) }, io), { token: ada })).code).toBe(0);
    expect(counts(await w.store()).recovery_codes).toBe(0);
    const u = await user('ada@example.com');
    expect([u.twofa_enabled, u.twofa_secret]).toEqual([0, null]);
    expect((await loginWith()).code).toBe(0);
  });
});

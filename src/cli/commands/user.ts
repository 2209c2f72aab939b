/**
 * `user register|show|passwd|list|set`, `user 2fa enable|disable`, `login`, `logout`, `whoami`,
 * `plan list|set`. Passwords are read without echo on a terminal or from stdin
 * (`--password-stdin`), never from a flag.
 */
import { parsePositiveInt } from '../args.ts';
import type { Readable } from 'node:stream';
import { NotFoundError, UsageError } from '../../core/errors.ts';
import { normalizeEmail } from '../../core/users.ts';
import {
  beginTwoFactor,
  bcryptHasher,
  changePassword,
  confirmTwoFactor,
  disableTwoFactor,
  login,
  logout,
  register,
  requireActor,
  requireAdmin,
  setPlan,
  setUser,
  sha256,
  type PasswordHasher,
} from '../../app/auth.ts';
import { currentActor } from '../../store/actor.ts';
import type { Store } from '../../store/db.ts';
import type { PlanRow, UserRow } from '../../store/schema.ts';
import { listPeople, listPlans, unusedRecoveryCodes, userByEmail, userById, type PlanPatch } from '../../store/users.ts';
import type { Context } from '../context.ts';
import { renderJson } from '../render/json.ts';
import { renderKeyValue, renderTable } from '../render/table.ts';
import { askPassword, askText } from '../prompts.ts';
import { readTokenFile, removeTokenFile, writeTokenFile } from '../session-file.ts';

/** What the handlers read besides the context: injectable for tests. */
export interface UserIo {
  readonly hasher: PasswordHasher;
  readonly stdin: Readable & { isTTY?: boolean };
}

const defaultIo = (ctx: Context): UserIo => ({ hasher: bcryptHasher(), stdin: ctx.stdin });

async function readAll(stream: Readable): Promise<string> {
  let s = '';
  for await (const chunk of stream) s += String(chunk);
  return s;
}

/** The passwords a command needs: from stdin, one per line, or asked on the terminal. */
async function passwords(ctx: Context, io: UserIo, fromStdin: boolean | undefined, prompts: readonly string[]): Promise<string[]> {
  if (fromStdin) {
    const lines = (await readAll(io.stdin)).split(/\r?\n/);
    const got = prompts.map((_, k) => lines[k] ?? '');
    if (prompts.length > 1 && got.some((l) => l === ''))
      throw new UsageError(`--password-stdin needs ${prompts.length} lines here: ${prompts.join(', ')}`);
    return got;
  }
  if (!(ctx.interactive && io.stdin.isTTY)) {
    throw new UsageError(
      'no terminal to ask for the password',
      'pipe it in with --password-stdin (never put a password on the command line)',
    );
  }
  const out: string[] = [];
  for (const p of prompts) out.push(await askPassword(p));
  return out;
}

/** A new password, typed twice on a terminal. */
async function newPassword(ctx: Context, io: UserIo, fromStdin: boolean | undefined, before: string[] = []): Promise<string[]> {
  if (fromStdin) return passwords(ctx, io, true, [...before, 'new password']);
  const got = await passwords(ctx, io, false, [...before, 'New password (8 characters or more)', 'Again']);
  const again = got.pop();
  if (got[got.length - 1] !== again) throw new UsageError('the two passwords differ; nothing changed');
  return got;
}

const deps = (ctx: Context, io: UserIo) => ({ hasher: io.hasher, now: () => ctx.now() });

export async function userRegister(
  ctx: Context,
  email: string,
  flags: { passwordStdin?: boolean },
  io: UserIo = defaultIo(ctx),
): Promise<void> {
  normalizeEmail(email); // a malformed email fails before any password is asked
  const [password] = await newPassword(ctx, io, flags.passwordStdin);
  const store = await ctx.store();
  const r = await register(store, email, password as string, deps(ctx, io));
  if (ctx.json) {
    ctx.print(renderJson({ id: r.userId, email: r.email, admin: r.isAdmin }));
    return;
  }
  ctx.print(`registered ${r.email}`);
  if (r.isAdmin) ctx.note(`${r.email} is an admin: the first user registered on a database without one`);
  ctx.note(`next: tunicoin login ${r.email}`);
}

export async function loginCmd(
  ctx: Context,
  emailArg: string | undefined,
  flags: { passwordStdin?: boolean; code?: string; days?: string; printToken?: boolean },
  io: UserIo = defaultIo(ctx),
): Promise<void> {
  let email = emailArg;
  if (email === undefined) {
    if (!(ctx.interactive && io.stdin.isTTY)) throw new UsageError('missing EMAIL', 'e.g. tunicoin login ada@example.com --password-stdin');
    email = await askText('Email');
  }
  normalizeEmail(email);
  const days = flags.days === undefined ? undefined : parsePositiveInt(flags.days, '--days', { max: 365 });
  const [password] = await passwords(ctx, io, flags.passwordStdin, ['Password']);
  const store = await ctx.store();
  const canAsk = ctx.interactive && Boolean(io.stdin.isTTY);
  const r = await login(
    store,
    {
      email,
      password: password as string,
      code: flags.code,
      days,
      askCode: canAsk ? () => askText('Authentication code (or a recovery code)', '123456') : undefined,
    },
    deps(ctx, io),
  );
  if (flags.printToken) {
    ctx.print(r.token);
    return;
  }
  const file = writeTokenFile(ctx.env, ctx.dbPath.path, r.token, r.expiresAt);
  if (ctx.json)
    ctx.print(
      renderJson({ user: r.user.email, admin: r.user.isAdmin, expiresAt: r.expiresAt, tokenFile: file, secondFactor: r.secondFactor }),
    );
  else ctx.print(`logged in as ${r.user.email} until ${r.expiresAt}`);
  if (r.recoveryCodesLeft !== null) ctx.note(`a recovery code was used: ${r.recoveryCodesLeft} left`);
}

export async function logoutCmd(ctx: Context): Promise<void> {
  const fromEnv = ctx.env.TUNICOIN_TOKEN;
  const token = fromEnv || readTokenFile(ctx.env, ctx.dbPath.path);
  const store = await ctx.store();
  const ended = token ? logout(store, token) : false;
  const removed = fromEnv ? false : removeTokenFile(ctx.env, ctx.dbPath.path);
  if (ctx.json) {
    ctx.print(renderJson({ loggedOut: ended, tokenFileRemoved: removed }));
    return;
  }
  ctx.note(ended ? 'logged out' : 'no session to end');
}

export async function whoami(ctx: Context): Promise<void> {
  const store = await ctx.store();
  const a = currentActor(store);
  if (ctx.json) {
    ctx.print(renderJson(a ? { user: a.email, admin: a.isAdmin, plan: a.planId, via: a.via } : { user: null }));
    return;
  }
  if (!a) {
    ctx.print('nobody: this database has no user yet');
    return;
  }
  ctx.print(`${a.email}${a.isAdmin ? ' (admin)' : ''}${a.via === 'only-user' ? ', the only user of this database (no login needed)' : ''}`);
}

function profile(store: Store, u: UserRow, now: number) {
  return {
    id: u.id,
    email: u.email,
    verified: u.is_verified === 1,
    active: u.is_active === 1,
    admin: u.is_admin === 1,
    plan: u.plan_id,
    kycStatus: u.kyc_status,
    kycVerifiedAt: u.kyc_verified_at,
    twoFactor: u.twofa_enabled === 1,
    recoveryCodesLeft: u.twofa_enabled === 1 ? unusedRecoveryCodes(store, u.id) : null,
    lastLogin: u.last_login,
    createdAt: u.created_at,
    locked: u.locked_until !== null && Date.parse(u.locked_until) > now,
  };
}

export async function userShow(ctx: Context, emailArg: string | undefined): Promise<void> {
  const store = await ctx.store();
  const me = requireActor(store);
  let user = userById(store, me.userId) as UserRow;
  if (emailArg !== undefined && normalizeEmail(emailArg) !== user.email.toLowerCase()) {
    requireAdmin(store, 'showing another user');
    const other = userByEmail(store, normalizeEmail(emailArg));
    if (!other) throw new NotFoundError('user', normalizeEmail(emailArg), 'see `tunicoin user list`');
    user = other;
  }
  const p = profile(store, user, ctx.now());
  if (ctx.json) {
    ctx.print(renderJson(p));
    return;
  }
  ctx.print(
    renderKeyValue(
      [
        ['email', p.email],
        ['verified', p.verified ? 'yes' : 'no'],
        ['admin', p.admin ? 'yes' : 'no'],
        ['active', p.active ? 'yes' : 'no'],
        ['plan', p.plan],
        ['KYC', `${p.kycStatus}${p.kycVerifiedAt ? ` (${p.kycVerifiedAt})` : ''}`],
        ['2FA', p.twoFactor ? `on (${p.recoveryCodesLeft} recovery codes left)` : 'off'],
        ['last login', p.lastLogin ?? 'never'],
        ['since', p.createdAt],
        ...(p.locked ? [['locked', 'yes: too many failed logins'] as [string, string]] : []),
      ],
      ctx.style,
    ),
  );
}

export async function userPasswd(ctx: Context, flags: { passwordStdin?: boolean }, io: UserIo = defaultIo(ctx)): Promise<void> {
  const store = await ctx.store();
  const me = requireActor(store);
  const [current, next] = await newPassword(ctx, io, flags.passwordStdin, [flags.passwordStdin ? 'current password' : 'Current password']);
  const token = ctx.env.TUNICOIN_TOKEN || readTokenFile(ctx.env, ctx.dbPath.path);
  const r = await changePassword(store, me, current as string, next as string, token ? sha256(token.trim()) : null, deps(ctx, io));
  if (ctx.json) {
    ctx.print(renderJson({ changed: true, otherSessionsEnded: r.loggedOut }));
    return;
  }
  ctx.print(`password changed${r.loggedOut ? `; ${r.loggedOut} other session(s) logged out` : ''}`);
}

async function code(ctx: Context, io: UserIo, given: string | undefined, what: string): Promise<string | undefined> {
  if (given !== undefined) return given;
  if (ctx.interactive && io.stdin.isTTY) return askText(what, '123456');
  return undefined;
}

export async function twoFactorEnable(ctx: Context, flags: { code?: string }, io: UserIo = defaultIo(ctx)): Promise<void> {
  const store = await ctx.store();
  const me = requireActor(store);
  if (flags.code === undefined) {
    const setup = await beginTwoFactor(store, me, deps(ctx, io));
    if (ctx.json) ctx.print(renderJson({ uri: setup.uri, secret: setup.secret, enabled: false }));
    else {
      const { default: qrcode } = await import('qrcode-terminal');
      qrcode.generate(setup.uri, { small: true }, (qr: string) => ctx.note(qr));
      ctx.print(setup.uri);
      ctx.note(`scan the QR code (or enter the secret ${setup.secret}) in an authenticator app`);
    }
    const typed = ctx.json ? undefined : await code(ctx, io, undefined, 'Code from the app, to turn 2FA on');
    if (typed === undefined) {
      ctx.note('2FA is not on yet: confirm with `tunicoin user 2fa enable --code CODE`');
      return;
    }
    return printRecoveryCodes(ctx, await confirmTwoFactor(store, me, typed, deps(ctx, io)));
  }
  printRecoveryCodes(ctx, await confirmTwoFactor(store, me, flags.code, deps(ctx, io)));
}

function printRecoveryCodes(ctx: Context, codes: string[]): void {
  if (ctx.json) {
    ctx.print(renderJson({ enabled: true, recoveryCodes: codes }));
    return;
  }
  ctx.note('two-factor authentication is on. Recovery codes (each works once; shown only now, keep them safe):');
  ctx.print(codes.join('\n'));
}

export async function twoFactorDisable(ctx: Context, flags: { code?: string }, io: UserIo = defaultIo(ctx)): Promise<void> {
  const store = await ctx.store();
  const me = requireActor(store);
  const c = await code(ctx, io, flags.code, 'Authentication code (or a recovery code)');
  if (c === undefined) throw new UsageError('give a current code: --code CODE (or a recovery code)');
  await disableTwoFactor(store, me, c, deps(ctx, io));
  if (ctx.json) ctx.print(renderJson({ enabled: false }));
  else ctx.print('two-factor authentication is off');
}

export async function userList(ctx: Context): Promise<void> {
  const store = await ctx.store();
  requireAdmin(store, '`user list`');
  const rows = listPeople(store).map((u) => ({ ...profile(store, u, ctx.now()), accounts: u.accounts, bots: u.bots }));
  if (ctx.json) {
    ctx.print(renderJson(rows));
    return;
  }
  ctx.print(
    renderTable(
      ['email', 'admin', 'active', 'verified', 'plan', 'KYC', '2FA', 'accounts', 'bots', 'last login'].map((h) => ({ header: h })),
      rows.map((u) => [
        u.email,
        u.admin ? 'yes' : '',
        u.active ? 'yes' : 'no',
        u.verified ? 'yes' : 'no',
        u.plan,
        u.kycStatus,
        u.twoFactor ? 'on' : 'off',
        String(u.accounts),
        String(u.bots),
        u.lastLogin?.slice(0, 16).replace('T', ' ') ?? 'never',
      ]),
      ctx.style,
    ),
  );
}

const parseBool = (v: string | boolean | undefined, flag: string): boolean | undefined => {
  if (v === undefined || typeof v === 'boolean') return v;
  const t = v.trim().toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(t)) return true;
  if (['false', 'no', '0', 'off'].includes(t)) return false;
  throw new UsageError(`${flag} takes true or false, got "${v}"`);
};

export interface UserSetFlags {
  admin?: string | boolean;
  active?: string | boolean;
  verified?: string | boolean;
  kyc?: string;
  plan?: string;
}

export async function userSet(ctx: Context, email: string, flags: UserSetFlags): Promise<void> {
  const changes = {
    admin: parseBool(flags.admin, '--admin'),
    active: parseBool(flags.active, '--active'),
    verified: parseBool(flags.verified, '--verified'),
    kyc: flags.kyc,
    plan: flags.plan,
  };
  if (Object.values(changes).every((v) => v === undefined))
    throw new UsageError('nothing to change', 'e.g. tunicoin user set ada@example.com --kyc approved --plan pro');
  const store = await ctx.store();
  const u = setUser(store, email, changes, ctx.now());
  const p = profile(store, u, ctx.now());
  if (ctx.json) {
    ctx.print(renderJson(p));
    return;
  }
  ctx.print(
    `${p.email}: admin ${p.admin ? 'yes' : 'no'}, active ${p.active ? 'yes' : 'no'}, verified ${p.verified ? 'yes' : 'no'}, plan ${p.plan}, KYC ${p.kycStatus}`,
  );
}

const limitText = (n: number | null): string => (n === null ? 'unlimited' : String(n));
const planJson = (p: PlanRow) => ({ plan: p.id, maxAccounts: p.max_accounts, maxBots: p.max_bots, maxSweep: p.max_sweep });

export async function planList(ctx: Context): Promise<void> {
  const store = await ctx.store();
  const plans = listPlans(store);
  if (ctx.json) {
    ctx.print(renderJson(plans.map(planJson)));
    return;
  }
  ctx.print(
    renderTable(
      [
        { header: 'plan' },
        { header: 'max accounts', align: 'right' },
        { header: 'max bots', align: 'right' },
        { header: 'max sweep', align: 'right' },
      ],
      plans.map((p) => [p.id, limitText(p.max_accounts), limitText(p.max_bots), limitText(p.max_sweep)]),
      ctx.style,
    ),
  );
}

function parseLimit(v: string | undefined, flag: string): number | null | undefined {
  if (v === undefined) return undefined;
  const t = v.trim().toLowerCase();
  if (t === 'none' || t === 'unlimited') return null;
  return parsePositiveInt(t, flag, { min: 0, max: 999_999_999 });
}

export async function planSet(
  ctx: Context,
  name: string,
  flags: { maxAccounts?: string; maxBots?: string; maxSweep?: string },
): Promise<void> {
  const patch: PlanPatch = {};
  const a = parseLimit(flags.maxAccounts, '--max-accounts');
  const b = parseLimit(flags.maxBots, '--max-bots');
  const s = parseLimit(flags.maxSweep, '--max-sweep');
  if (a !== undefined) patch.max_accounts = a;
  if (b !== undefined) patch.max_bots = b;
  if (s !== undefined) patch.max_sweep = s;
  if (Object.keys(patch).length === 0)
    throw new UsageError('nothing to change', 'e.g. tunicoin plan set free --max-accounts 3 --max-bots 2 --max-sweep 100');
  const store = await ctx.store();
  const p = setPlan(store, name.trim(), patch, ctx.now());
  if (ctx.json) {
    ctx.print(renderJson(planJson(p)));
    return;
  }
  ctx.print(
    `plan ${p.id}: max accounts ${limitText(p.max_accounts)}, max bots ${limitText(p.max_bots)}, max sweep ${limitText(p.max_sweep)}`,
  );
}

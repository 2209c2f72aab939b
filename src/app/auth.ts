/**
 * Users' use cases: register, log in (password, then the second factor), log out, change the
 * password, two-factor authentication, and the admin's `user set` / `plan set`.
 *
 * Security notes:
 * - bcrypt (cost 12) for passwords; an unknown email still runs one bcrypt compare against a
 *   dummy hash of the same cost, and gets the same message as a wrong password.
 * - Every login attempt of a known user is counted in the database before its password is
 *   checked, and the count cleared on success: the fifth unsuccessful one in a row locks the
 *   user for 15 minutes, across processes, however many attempts run in parallel.
 * - TOTP (RFC 6238, SHA-1, 6 digits, 30 s) in a +-1 step window; the last accepted step is
 *   stored and a code at or before it is refused, so a code is never accepted twice.
 * - Session tokens and recovery codes carry >= 79 random bits and are stored as SHA-256 hashes
 *   (a slow hash adds nothing to random secrets of that size).
 * bcryptjs and otpauth are loaded on first use, so other commands' start-up does not pay for them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AuthError, ConflictError, NotFoundError, UsageError } from '../core/errors.ts';
import { toIso } from '../core/time.ts';
import {
  afterFailedLogin,
  BCRYPT_COST,
  checkPassword,
  formatToken,
  isLocked,
  KYC_STATUSES,
  normalizeEmail,
  normalizeRecoveryCode,
  normalizeTotpCode,
  RECOVERY_CODE_COUNT,
  recoveryCodeFromBytes,
  SESSION_DAYS,
  type KycStatus,
} from '../core/users.ts';
import { currentActor, resetActor, type Actor } from '../store/actor.ts';
import type { Store } from '../store/db.ts';
import { newId } from '../store/ids.ts';
import type { PlanRow, UserRow } from '../store/schema.ts';
import {
  countActiveAdmins,
  countPeople,
  databaseId,
  emailTaken,
  deleteExpiredSessions,
  deleteOtherSessions,
  deleteSession,
  hasAdmin,
  insertSession,
  insertUser,
  planById,
  recoveryCode,
  replaceRecoveryCodes,
  unusedRecoveryCodes,
  updatePlan,
  updateUser,
  useRecoveryCode,
  userByEmail,
  userById,
  type PlanPatch,
  type UserPatch,
} from '../store/users.ts';

/** Password hashing, injectable so tests can use a cheaper cost (the product always uses 12). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  compare(password: string, hash: string): Promise<boolean>;
}

export const bcryptHasher = (cost = BCRYPT_COST): PasswordHasher => ({
  async hash(password) {
    const { default: bcrypt } = await import('bcryptjs');
    return bcrypt.hash(password, cost);
  },
  async compare(password, hash) {
    const { default: bcrypt } = await import('bcryptjs');
    return bcrypt.compare(password, hash);
  },
});

/** A cost-12 bcrypt hash of a random string: compared against when the email is unknown. */
export const DUMMY_HASH = '$2b$12$HbAtadjR8uyzG1oYV1YL4OFdCYrEBtHW4G4bIHQIpvO.fskY7ShDC';

export interface AuthDeps {
  readonly hasher: PasswordHasher;
  /** Wall clock (ms): lock times, session expiry, TOTP steps. */
  readonly now: () => number;
}

const WRONG = 'wrong email or password';

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

// Registration and passwords

export interface Registered {
  readonly userId: string;
  readonly email: string;
  readonly isAdmin: boolean;
}

export async function register(store: Store, emailInput: string, password: string, deps: AuthDeps): Promise<Registered> {
  const email = normalizeEmail(emailInput);
  checkPassword(password);
  const taken = () => {
    if (emailTaken(store, email)) throw new ConflictError(`a user with the email ${email} already exists`, 'log in with `tunicoin login`');
  };
  taken();
  const hash = await deps.hasher.hash(password);
  const nowIso = toIso(deps.now());
  const r = store.tx(() => {
    taken(); // another process may have registered it while we hashed
    const isAdmin = !hasAdmin(store); // the first user of a database without an admin becomes its admin
    return { userId: insertUser(store, { email, passwordHash: hash, isAdmin, nowIso }), email, isAdmin };
  });
  resetActor(store);
  return r;
}

export async function changePassword(
  store: Store,
  actor: Actor,
  current: string,
  next: string,
  keepTokenHash: string | null,
  deps: AuthDeps,
): Promise<{ loggedOut: number }> {
  const user = userById(store, actor.userId);
  if (!user) throw new AuthError('log in first');
  checkPassword(next);
  if (!user.hashed_password || !(await deps.hasher.compare(current, user.hashed_password)))
    throw new AuthError('the current password is wrong');
  const hash = await deps.hasher.hash(next);
  const nowIso = toIso(deps.now());
  return store.tx(() => {
    updateUser(store, user.id, { hashed_password: hash }, nowIso);
    return { loggedOut: deleteOtherSessions(store, user.id, keepTokenHash) };
  });
}

// Second factor

async function totpFor(secretBase32: string, email: string) {
  const { TOTP, Secret } = await import('otpauth');
  return new TOTP({ issuer: 'tunicoin', label: email, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) });
}

type SecondFactor = { kind: 'totp'; step: number } | { kind: 'recovery'; id: string };

/** Check a TOTP or recovery code; returns what was accepted, or a message why not. Writes nothing. */
async function checkSecondFactor(
  store: Store,
  user: UserRow,
  code: string,
  now: number,
  allowRecovery = true,
): Promise<SecondFactor | string> {
  if (!user.twofa_secret) return 'two-factor authentication is not set up';
  const totpCode = normalizeTotpCode(code);
  if (totpCode) {
    const totp = await totpFor(user.twofa_secret, user.email);
    const delta = totp.validate({ token: totpCode, timestamp: now, window: 1 });
    if (delta === null) return 'wrong or expired authentication code';
    const step = Math.floor(now / 1000 / 30) + delta;
    if (user.twofa_last_step !== null && step <= user.twofa_last_step)
      return 'this authentication code was already used; wait for the next one';
    return { kind: 'totp', step };
  }
  const rc = allowRecovery ? normalizeRecoveryCode(code) : null;
  if (rc) {
    const row = recoveryCode(store, user.id, sha256(rc));
    if (!row) return 'wrong recovery code';
    if (row.used_at !== null) return 'this recovery code was already used';
    return { kind: 'recovery', id: row.id };
  }
  return allowRecovery
    ? 'expected a 6-digit authentication code or a recovery code'
    : 'expected the 6-digit code from the authenticator app';
}

/** Record the accepted factor; false if it was used meanwhile (call inside the write transaction). */
function acceptSecondFactor(store: Store, user: UserRow, f: SecondFactor, nowIso: string): boolean {
  if (f.kind === 'recovery') return useRecoveryCode(store, f.id, nowIso);
  if (user.twofa_last_step !== null && f.step <= user.twofa_last_step) return false;
  updateUser(store, user.id, { twofa_last_step: f.step }, nowIso);
  return true;
}

// Login

export interface LoginRequest {
  readonly email: string;
  readonly password: string;
  /** The second factor: given up front (`--code`), or asked for once the password is right. */
  readonly code?: string;
  readonly askCode?: () => Promise<string>;
  readonly days?: number;
}

export interface LoginResult {
  readonly token: string;
  readonly expiresAt: string;
  readonly user: { readonly id: string; readonly email: string; readonly isAdmin: boolean };
  readonly secondFactor: 'none' | 'totp' | 'recovery';
  readonly recoveryCodesLeft: number | null;
}

/**
 * Count this attempt before checking anything (BEGIN IMMEDIATE: parallel attempts cannot all
 * slip under the limit); the fifth unsuccessful one in a row sets the lock. A successful login
 * clears the count. Returns the lock time this attempt set, if any.
 */
function reserveAttempt(store: Store, userId: string, now: number): number | null {
  return store.tx(() => {
    const u = userById(store, userId) as UserRow;
    if (isLocked(u.locked_until, now))
      throw new AuthError(`too many failed logins: ${u.email} is locked until ${u.locked_until}`, 'wait, or ask an admin');
    const next = afterFailedLogin(u.failed_logins, now);
    updateUser(
      store,
      u.id,
      { failed_logins: next.failed, locked_until: next.lockedUntil === null ? u.locked_until : toIso(next.lockedUntil) },
      toIso(now),
    );
    return next.lockedUntil;
  });
}

function refuse(message: string, email: string, lockedUntil: number | null): never {
  throw new AuthError(
    lockedUntil === null ? message : `${message}; too many failed logins: ${email} is locked until ${toIso(lockedUntil)}`,
  );
}

export async function login(store: Store, req: LoginRequest, deps: AuthDeps): Promise<LoginResult> {
  const email = normalizeEmail(req.email);
  const days = req.days ?? SESSION_DAYS;
  if (!(Number.isInteger(days) && days >= 1 && days <= 365))
    throw new UsageError(`--days must be a whole number of days from 1 to 365, got ${req.days}`);
  const user = userByEmail(store, email);
  if (!user || !user.hashed_password) {
    await deps.hasher.compare(req.password, DUMMY_HASH); // the same work as a wrong password: no timing oracle
    throw new AuthError(WRONG);
  }
  const lock = reserveAttempt(store, user.id, deps.now());
  if (!(await deps.hasher.compare(req.password, user.hashed_password))) refuse(WRONG, user.email, lock);
  if (user.is_active !== 1) throw new AuthError(`user ${user.email} is deactivated`, 'ask an admin');

  let factor: SecondFactor | null = null;
  if (user.twofa_enabled === 1) {
    const code = req.code ?? (req.askCode ? await req.askCode() : undefined);
    if (code === undefined)
      refuse(`${user.email} uses two-factor authentication: give the code (--code CODE, or a recovery code)`, user.email, lock);
    const f = await checkSecondFactor(store, user, code, deps.now());
    if (typeof f === 'string') refuse(f, user.email, lock);
    factor = f;
  }
  const secret = randomBytes(32).toString('base64url');
  const nowMs = deps.now();
  const nowIso = toIso(nowMs);
  const expiresAt = toIso(nowMs + days * 86_400_000);
  const token = store.tx(() => {
    const fresh = userById(store, user.id) as UserRow;
    // Checked again under the write lock: a parallel login may have used the code meanwhile.
    if (factor && !acceptSecondFactor(store, fresh, factor, nowIso)) throw new AuthError('this code was just used by another login');
    const t = formatToken(databaseId(store, newId), secret);
    updateUser(store, user.id, { failed_logins: 0, locked_until: null, last_login: nowIso }, nowIso);
    deleteExpiredSessions(store, nowIso);
    insertSession(store, user.id, sha256(t), nowIso, expiresAt);
    return t;
  });
  resetActor(store);
  return {
    token,
    expiresAt,
    user: { id: user.id, email: user.email, isAdmin: user.is_admin === 1 },
    secondFactor: factor === null ? 'none' : factor.kind,
    recoveryCodesLeft: factor?.kind === 'recovery' ? unusedRecoveryCodes(store, user.id) : null,
  };
}

/** Delete the session of `token`; true if it existed. */
export function logout(store: Store, token: string): boolean {
  return store.tx(() => deleteSession(store, sha256(token.trim())));
}

// Two-factor set-up

export interface TwoFactorSetup {
  readonly secret: string;
  readonly uri: string;
}

/** Step 1: a new secret, stored as pending (not enabled until a valid code confirms it). */
export async function beginTwoFactor(store: Store, actor: Actor, deps: AuthDeps): Promise<TwoFactorSetup> {
  const user = userById(store, actor.userId) as UserRow;
  if (user.twofa_enabled === 1)
    throw new ConflictError('two-factor authentication is already on', 'turn it off first: tunicoin user 2fa disable');
  const { Secret } = await import('otpauth');
  const secret = new Secret({ size: 20 }).base32;
  const totp = await totpFor(secret, user.email);
  store.tx(() => updateUser(store, user.id, { twofa_secret: secret, twofa_enabled: 0, twofa_last_step: null }, toIso(deps.now())));
  return { secret, uri: totp.toString() };
}

/** Step 2: a valid code from the app turns 2FA on; returns the ten recovery codes (shown once). */
export async function confirmTwoFactor(store: Store, actor: Actor, code: string, deps: AuthDeps): Promise<string[]> {
  const user = userById(store, actor.userId) as UserRow;
  if (user.twofa_enabled === 1) throw new ConflictError('two-factor authentication is already on');
  if (!user.twofa_secret) throw new ConflictError('no two-factor set-up is pending', 'run `tunicoin user 2fa enable` first');
  const f = await checkSecondFactor(store, user, code, deps.now(), false);
  if (typeof f === 'string') throw new AuthError(`two-factor authentication not enabled: ${f}`);
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => recoveryCodeFromBytes(randomBytes(16)));
  const nowIso = toIso(deps.now());
  store.tx(() => {
    if (!acceptSecondFactor(store, userById(store, user.id) as UserRow, f, nowIso)) throw new AuthError('this code was just used');
    updateUser(store, user.id, { twofa_enabled: 1 }, nowIso);
    replaceRecoveryCodes(
      store,
      user.id,
      codes.map((c) => sha256(c)),
      nowIso,
    );
  });
  return codes;
}

export async function disableTwoFactor(store: Store, actor: Actor, code: string, deps: AuthDeps): Promise<void> {
  const user = userById(store, actor.userId) as UserRow;
  if (user.twofa_enabled !== 1) throw new ConflictError('two-factor authentication is not on');
  const f = await checkSecondFactor(store, user, code, deps.now());
  if (typeof f === 'string') throw new AuthError(`two-factor authentication left on: ${f}`);
  const nowIso = toIso(deps.now());
  store.tx(() => {
    updateUser(store, user.id, { twofa_enabled: 0, twofa_secret: null, twofa_last_step: null }, nowIso);
    replaceRecoveryCodes(store, user.id, [], nowIso);
  });
}

// Admin

export function requireActor(store: Store): Actor {
  const a = currentActor(store);
  if (!a) throw new AuthError('there is no user yet', 'register one: tunicoin user register EMAIL');
  return a;
}

export function requireAdmin(store: Store, what: string): Actor {
  const a = requireActor(store);
  if (!a.isAdmin) throw new AuthError(`${what} is for admins only (you are ${a.email})`, 'log in as an admin');
  return a;
}

/** On a database shared by several people, only an admin may do `what` (e.g. wipe it with `seed --reset`). */
export function requireAdminIfShared(store: Store, what: string): void {
  if (countPeople(store) > 1) requireAdmin(store, what);
}

export interface UserChanges {
  readonly admin?: boolean;
  readonly active?: boolean;
  readonly verified?: boolean;
  readonly kyc?: string;
  readonly plan?: string;
}

export function setUser(store: Store, emailInput: string, c: UserChanges, now: number): UserRow {
  requireAdmin(store, '`user set`');
  const email = normalizeEmail(emailInput);
  if (c.kyc !== undefined && !KYC_STATUSES.includes(c.kyc as KycStatus))
    throw new UsageError(`--kyc must be one of ${KYC_STATUSES.join(', ')}, got "${c.kyc}"`);
  const nowIso = toIso(now);
  return store.tx(() => {
    const user = userByEmail(store, email);
    if (!user) throw new NotFoundError('user', email, 'see `tunicoin user list`');
    if (c.plan !== undefined && !planById(store, c.plan)) throw new NotFoundError('plan', c.plan, 'see `tunicoin plan list`');
    const patch: UserPatch = {};
    if (c.admin !== undefined) patch.is_admin = c.admin ? 1 : 0;
    if (c.active !== undefined) patch.is_active = c.active ? 1 : 0;
    if (c.verified !== undefined) patch.is_verified = c.verified ? 1 : 0;
    if (c.plan !== undefined) patch.plan_id = c.plan;
    if (c.kyc !== undefined) {
      patch.kyc_status = c.kyc;
      patch.kyc_verified_at = c.kyc === 'approved' ? nowIso : null;
    }
    updateUser(store, user.id, patch, nowIso);
    if (user.is_admin === 1 && user.is_active === 1 && countActiveAdmins(store) === 0) {
      throw new ConflictError(`${email} is the last active admin`, 'make another user admin first');
    }
    return userById(store, user.id) as UserRow;
  });
}

export function setPlan(store: Store, id: string, patch: PlanPatch, now: number): PlanRow {
  requireAdmin(store, '`plan set`');
  return store.tx(() => {
    if (!planById(store, id)) throw new NotFoundError('plan', id, 'see `tunicoin plan list`');
    updatePlan(store, id, patch, toIso(now));
    return planById(store, id) as PlanRow;
  });
}

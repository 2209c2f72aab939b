/**
 * The rules about users, pure: email and password policy, the login lock, session tokens,
 * recovery codes and plan limits. Hashing, randomness and time are the caller's.
 *
 * - Emails are trimmed and lower-cased as a whole (one address, one user, whatever the case).
 * - Passwords: 8 to 72 bytes (bcrypt reads only the first 72 bytes: a longer one is refused
 *   rather than silently truncated).
 * - Five failed logins in a row lock the user for 15 minutes; a success resets the count.
 * - A session token is `tnc1.<database id>.<secret>`: the database id lets a token for another
 *   database be told apart from a wrong one; only the token's SHA-256 is stored.
 */
import { UsageError, ConflictError } from './errors.ts';

export const BCRYPT_COST = 12;
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_BYTES = 72;
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MS = 15 * 60_000;
export const SESSION_DAYS = 30;
export const RECOVERY_CODE_COUNT = 10;

export type KycStatus = 'pending' | 'approved' | 'rejected';
export const KYC_STATUSES: readonly KycStatus[] = ['pending', 'approved', 'rejected'];

const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** The canonical form of an email address, or a UsageError saying why it is not one. */
export function normalizeEmail(input: string): string {
  const e = input.trim().toLowerCase();
  if (e.length === 0) throw new UsageError('the email is empty', 'e.g. tunicoin user register ada@example.com');
  if (e.length > 254 || !EMAIL.test(e) || e.includes('..'))
    throw new UsageError(`"${input.trim()}" is not a valid email address`, 'e.g. ada@example.com');
  return e;
}

/** Throws a UsageError when the password breaks the policy. */
export function checkPassword(password: string): void {
  if (password.length === 0) throw new UsageError('the password is empty');
  if ([...password].length < MIN_PASSWORD_LENGTH)
    throw new UsageError(`the password is too short: at least ${MIN_PASSWORD_LENGTH} characters`);
  if (new TextEncoder().encode(password).length > MAX_PASSWORD_BYTES)
    throw new UsageError(`the password is too long: at most ${MAX_PASSWORD_BYTES} bytes`);
}

/** Is the user locked at `now`? */
export function isLocked(lockedUntil: string | null, now: number): boolean {
  return lockedUntil !== null && Date.parse(lockedUntil) > now;
}

/** The state after one more failed login: the count, and the lock once it reaches the maximum. */
export function afterFailedLogin(failed: number, now: number): { failed: number; lockedUntil: number | null } {
  const n = failed + 1;
  return n >= MAX_FAILED_LOGINS ? { failed: 0, lockedUntil: now + LOCK_MS } : { failed: n, lockedUntil: null };
}

export interface ParsedToken {
  readonly databaseId: string;
  readonly token: string;
}

const TOKEN = /^tnc1\.([0-9a-f-]{36})\.[A-Za-z0-9_-]{43}$/;

export function formatToken(databaseId: string, secretBase64url: string): string {
  return `tnc1.${databaseId}.${secretBase64url}`;
}

/** null when the text is not a tunicoin token at all. */
export function parseToken(text: string): ParsedToken | null {
  const t = text.trim();
  const m = TOKEN.exec(t);
  return m ? { databaseId: m[1] as string, token: t } : null;
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i

/** A recovery code from 16 random bytes: 16 characters (~79 bits) in groups of four. */
export function recoveryCodeFromBytes(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += RECOVERY_ALPHABET[(bytes[i] ?? 0) % RECOVERY_ALPHABET.length];
  return s.replace(/(.{4})(?=.)/g, '$1-');
}

/** The canonical form of a typed recovery code (case and dashes ignored), or null if it cannot be one. */
export function normalizeRecoveryCode(input: string): string | null {
  const s = input.trim().toLowerCase().replace(/[\s-]/g, '');
  if (s.length !== 16 || [...s].some((c) => !RECOVERY_ALPHABET.includes(c))) return null;
  return s.replace(/(.{4})(?=.)/g, '$1-');
}

/** A six-digit TOTP code, or null. */
export function normalizeTotpCode(input: string): string | null {
  const s = input.trim().replace(/\s/g, '');
  return /^\d{6}$/.test(s) ? s : null;
}

export type PlanLimit = 'max_accounts' | 'max_bots' | 'max_sweep';

const LIMIT_TEXT: Record<PlanLimit, string> = { max_accounts: 'accounts', max_bots: 'bots', max_sweep: 'combinations in one sweep' };

/**
 * Refuse going past a plan limit: `current` already used, `adding` more wanted. A null limit
 * is unlimited.
 */
export function checkPlanLimit(
  plan: { id: string } & Record<PlanLimit, number | null>,
  limit: PlanLimit,
  current: number,
  adding: number,
): void {
  const max = plan[limit];
  if (max === null || current + adding <= max) return;
  const what = LIMIT_TEXT[limit];
  const flag = `--${limit.replace('max_', 'max-').replace('_', '-')}`;
  throw new ConflictError(
    limit === 'max_sweep'
      ? `plan "${plan.id}" allows at most ${max} ${what}; this one has ${adding}`
      : `plan "${plan.id}" allows at most ${max} ${what}; you have ${current}`,
    `an admin can raise it: tunicoin plan set ${plan.id} ${flag} N, or move you to another plan`,
  );
}

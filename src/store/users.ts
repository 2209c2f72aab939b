/**
 * Users, sessions, recovery codes and plans: typed rows in and out. The rules (password
 * policy, locks, limits) are in core/users.ts and the use cases in app/auth.ts.
 */
import type { Store } from './db.ts';
import { newId } from './ids.ts';
import type { PlanRow, UserRow } from './schema.ts';
import { getSetting, setSetting } from './settings.ts';

/** Real people: every user but the system user that owns the house accounts. */
export function countPeople(store: Store): number {
  return (store.prepare('SELECT COUNT(*) AS n FROM users WHERE is_system = 0').get() as { n: number }).n;
}

/** The only active person of the database, if there is exactly one person. */
export function onlyPerson(store: Store): UserRow | undefined {
  const rows = store.prepare('SELECT * FROM users WHERE is_system = 0 LIMIT 2').all() as UserRow[];
  return rows.length === 1 ? rows[0] : undefined;
}

export function hasAdmin(store: Store): boolean {
  return store.prepare('SELECT 1 FROM users WHERE is_system = 0 AND is_admin = 1 AND is_active = 1 LIMIT 1').get() !== undefined;
}

export function countActiveAdmins(store: Store): number {
  return (store.prepare('SELECT COUNT(*) AS n FROM users WHERE is_system = 0 AND is_admin = 1 AND is_active = 1').get() as { n: number }).n;
}

/** A person by (normalised) email, whatever the case stored. */
export function userByEmail(store: Store, email: string): UserRow | undefined {
  return store.prepare('SELECT * FROM users WHERE lower(email) = ? AND is_system = 0').get(email.toLowerCase()) as UserRow | undefined;
}

/** Is the email used by anyone, the system user included? */
export function emailTaken(store: Store, email: string): boolean {
  return store.prepare('SELECT 1 FROM users WHERE lower(email) = ?').get(email.toLowerCase()) !== undefined;
}

export function userById(store: Store, id: string): UserRow | undefined {
  return store.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
}

export function listPeople(store: Store): Array<UserRow & { accounts: number; bots: number }> {
  return store.prepare(`SELECT u.*, (SELECT COUNT(*) FROM accounts a WHERE a.user_id = u.id AND a.kind = 'trader') AS accounts,
    (SELECT COUNT(*) FROM bots b WHERE b.user_id = u.id) AS bots FROM users u WHERE u.is_system = 0 ORDER BY u.created_at, u.rowid`)
    .all() as Array<UserRow & { accounts: number; bots: number }>;
}

export interface NewUser { readonly email: string; readonly passwordHash: string; readonly isAdmin: boolean; readonly nowIso: string }

export function insertUser(store: Store, u: NewUser): string {
  const id = newId();
  store.prepare(`INSERT INTO users (id, email, hashed_password, is_verified, is_active, is_admin, plan_id, kyc_status, created_at, updated_at)
    VALUES (?, ?, ?, 0, 1, ?, 'free', 'pending', ?, ?)`).run(id, u.email, u.passwordHash, u.isAdmin ? 1 : 0, u.nowIso, u.nowIso);
  return id;
}

/** The columns an admin or the user may change (`user set`, `user passwd`, 2FA, logins). */
export type UserPatch = Partial<Pick<UserRow, 'is_admin' | 'is_active' | 'is_verified' | 'kyc_status' | 'kyc_verified_at' | 'plan_id'
  | 'hashed_password' | 'twofa_secret' | 'twofa_enabled' | 'twofa_last_step' | 'failed_logins' | 'locked_until' | 'last_login'>>;

const PATCHABLE: ReadonlySet<string> = new Set(['is_admin', 'is_active', 'is_verified', 'kyc_status', 'kyc_verified_at', 'plan_id',
  'hashed_password', 'twofa_secret', 'twofa_enabled', 'twofa_last_step', 'failed_logins', 'locked_until', 'last_login']);

export function updateUser(store: Store, id: string, patch: UserPatch, nowIso: string): void {
  const cols = Object.keys(patch).filter((c) => PATCHABLE.has(c));
  if (cols.length === 0) return;
  store.prepare(`UPDATE users SET ${cols.map((c) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`)
    .run(...cols.map((c) => (patch as Record<string, unknown>)[c]), nowIso, id);
}

/** The id this database gives its session tokens; created on first use (and again after `seed --reset`). */
export function databaseId(store: Store, create: () => string): string {
  let id = getSetting(store, 'database_id');
  if (id === undefined) { id = create(); setSetting(store, 'database_id', id); }
  return id;
}

export function peekDatabaseId(store: Store): string | undefined {
  return getSetting(store, 'database_id');
}

// Sessions

export function insertSession(store: Store, userId: string, tokenHash: string, nowIso: string, expiresIso: string): string {
  const id = newId();
  store.prepare('INSERT INTO sessions (id, user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(id, userId, tokenHash, nowIso, expiresIso);
  return id;
}

export interface SessionView { id: string; user_id: string; expires_at: string }

export function sessionByHash(store: Store, tokenHash: string): SessionView | undefined {
  return store.prepare('SELECT id, user_id, expires_at FROM sessions WHERE token_hash = ?').get(tokenHash) as SessionView | undefined;
}

export function deleteSession(store: Store, tokenHash: string): boolean {
  return store.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash).changes > 0;
}

/** Every session of the user but `keepHash` (a password change logs the other sessions out). */
export function deleteOtherSessions(store: Store, userId: string, keepHash: string | null): number {
  return store.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?').run(userId, keepHash).changes;
}

export function deleteExpiredSessions(store: Store, nowIso: string): number {
  return store.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(nowIso).changes;
}

// Recovery codes

export function replaceRecoveryCodes(store: Store, userId: string, hashes: readonly string[], nowIso: string): void {
  store.prepare('DELETE FROM recovery_codes WHERE user_id = ?').run(userId);
  const ins = store.prepare('INSERT INTO recovery_codes (id, user_id, code_hash, used_at, created_at) VALUES (?, ?, ?, NULL, ?)');
  for (const h of hashes) ins.run(newId(), userId, h, nowIso);
}

export function recoveryCode(store: Store, userId: string, hash: string): { id: string; used_at: string | null } | undefined {
  return store.prepare('SELECT id, used_at FROM recovery_codes WHERE user_id = ? AND code_hash = ?').get(userId, hash) as { id: string; used_at: string | null } | undefined;
}

/** Mark a recovery code used; false if it already was. */
export function useRecoveryCode(store: Store, id: string, nowIso: string): boolean {
  return store.prepare('UPDATE recovery_codes SET used_at = ? WHERE id = ? AND used_at IS NULL').run(nowIso, id).changes === 1;
}

export function unusedRecoveryCodes(store: Store, userId: string): number {
  return (store.prepare('SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL').get(userId) as { n: number }).n;
}

// Plans

export function listPlans(store: Store): PlanRow[] {
  return store.prepare('SELECT * FROM plans ORDER BY created_at, id').all() as PlanRow[];
}

export function planById(store: Store, id: string): PlanRow | undefined {
  return store.prepare('SELECT * FROM plans WHERE id = ?').get(id) as PlanRow | undefined;
}

export type PlanPatch = Partial<Pick<PlanRow, 'max_accounts' | 'max_bots' | 'max_sweep'>>;

export function updatePlan(store: Store, id: string, patch: PlanPatch, nowIso: string): void {
  const cols = Object.keys(patch).filter((c) => c === 'max_accounts' || c === 'max_bots' || c === 'max_sweep');
  if (cols.length === 0) return;
  store.prepare(`UPDATE plans SET ${cols.map((c) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`)
    .run(...cols.map((c) => (patch as Record<string, unknown>)[c]), nowIso, id);
}

/** How much of each plan limit a user uses now. */
export function planUsage(store: Store, userId: string): { accounts: number; bots: number } {
  return store.prepare(`SELECT (SELECT COUNT(*) FROM accounts WHERE user_id = ? AND kind = 'trader') AS accounts,
    (SELECT COUNT(*) FROM bots WHERE user_id = ?) AS bots`).get(userId, userId) as { accounts: number; bots: number };
}

/**
 * Users, sessions, recovery codes and plans: typed rows in and out. The rules (password
 * policy, locks, limits) are in core/users.ts and the use cases in app/auth.ts.
 */
import { sql } from 'kysely';
import type { Store } from './db.ts';
import { newId } from './ids.ts';
import type { PlanRow, UserRow } from './schema.ts';
import { getSetting, setSetting } from './settings.ts';

const people = (store: Store) => store.db.selectFrom('users').where('is_system', '=', 0);
const activeAdmins = (store: Store) => people(store).where('is_admin', '=', 1).where('is_active', '=', 1);

/** Real people: every user but the system user that owns the house accounts. */
export function countPeople(store: Store): number {
  return store.get(people(store).select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? 0;
}

/** The only active person of the database, if there is exactly one person. */
export function onlyPerson(store: Store): UserRow | undefined {
  const rows = store.all(people(store).selectAll().limit(2));
  return rows.length === 1 ? rows[0] : undefined;
}

export function hasAdmin(store: Store): boolean {
  return store.get(activeAdmins(store).select('id').limit(1)) !== undefined;
}

export function countActiveAdmins(store: Store): number {
  return store.get(activeAdmins(store).select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? 0;
}

/** A person by (normalised) email, whatever the case stored. */
export function userByEmail(store: Store, email: string): UserRow | undefined {
  return store.get(
    store.db
      .selectFrom('users')
      .selectAll()
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .where('is_system', '=', 0),
  );
}

/** Is the email used by anyone, the system user included? */
export function emailTaken(store: Store, email: string): boolean {
  return (
    store.get(
      store.db
        .selectFrom('users')
        .select('id')
        .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase())),
    ) !== undefined
  );
}

export function userById(store: Store, id: string): UserRow | undefined {
  return store.get(store.db.selectFrom('users').selectAll().where('id', '=', id));
}

export function listPeople(store: Store): Array<UserRow & { accounts: number; bots: number }> {
  return store
    .all(
      store.db
        .selectFrom('users as u')
        .selectAll('u')
        .select((eb) => [
          eb
            .selectFrom('accounts as a')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('a.user_id', '=', 'u.id')
            .where('a.kind', '=', 'trader')
            .$asScalar()
            .as('accounts'),
          eb
            .selectFrom('bots as b')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('b.user_id', '=', 'u.id')
            .$asScalar()
            .as('bots'),
        ])
        .where('u.is_system', '=', 0)
        .orderBy('u.created_at')
        .orderBy(sql`u.rowid`),
    )
    .map((u) => ({ ...u, accounts: u.accounts ?? 0, bots: u.bots ?? 0 }));
}

export interface NewUser {
  readonly email: string;
  readonly passwordHash: string;
  readonly isAdmin: boolean;
  readonly nowIso: string;
}

export function insertUser(store: Store, u: NewUser): string {
  const id = newId();
  store.run(
    store.db.insertInto('users').values({
      id,
      email: u.email,
      hashed_password: u.passwordHash,
      is_verified: 0,
      is_active: 1,
      is_admin: u.isAdmin ? 1 : 0,
      plan_id: 'free',
      kyc_status: 'pending',
      created_at: u.nowIso,
      updated_at: u.nowIso,
    }),
  );
  return id;
}

/** The columns an admin or the user may change (`user set`, `user passwd`, 2FA, logins). */
export type UserPatch = Partial<
  Pick<
    UserRow,
    | 'is_admin'
    | 'is_active'
    | 'is_verified'
    | 'kyc_status'
    | 'kyc_verified_at'
    | 'plan_id'
    | 'hashed_password'
    | 'twofa_secret'
    | 'twofa_enabled'
    | 'twofa_last_step'
    | 'failed_logins'
    | 'locked_until'
    | 'last_login'
  >
>;

const PATCHABLE = [
  'is_admin',
  'is_active',
  'is_verified',
  'kyc_status',
  'kyc_verified_at',
  'plan_id',
  'hashed_password',
  'twofa_secret',
  'twofa_enabled',
  'twofa_last_step',
  'failed_logins',
  'locked_until',
  'last_login',
] as const;

export function updateUser(store: Store, id: string, patch: UserPatch, nowIso: string): void {
  const change: UserPatch = {};
  for (const c of PATCHABLE) if (patch[c] !== undefined) Object.assign(change, { [c]: patch[c] });
  if (Object.keys(change).length === 0) return;
  store.run(
    store.db
      .updateTable('users')
      .set({ ...change, updated_at: nowIso })
      .where('id', '=', id),
  );
}

/** The id this database gives its session tokens; created on first use (and again after `seed --reset`). */
export function databaseId(store: Store, create: () => string): string {
  let id = getSetting(store, 'database_id');
  if (id === undefined) {
    id = create();
    setSetting(store, 'database_id', id);
  }
  return id;
}

export function peekDatabaseId(store: Store): string | undefined {
  return getSetting(store, 'database_id');
}

// Sessions

export function insertSession(store: Store, userId: string, tokenHash: string, nowIso: string, expiresIso: string): string {
  const id = newId();
  store.run(
    store.db.insertInto('sessions').values({ id, user_id: userId, token_hash: tokenHash, created_at: nowIso, expires_at: expiresIso }),
  );
  return id;
}

export interface SessionView {
  id: string;
  user_id: string;
  expires_at: string;
}

export function sessionByHash(store: Store, tokenHash: string): SessionView | undefined {
  return store.get(store.db.selectFrom('sessions').select(['id', 'user_id', 'expires_at']).where('token_hash', '=', tokenHash));
}

export function deleteSession(store: Store, tokenHash: string): boolean {
  return store.run(store.db.deleteFrom('sessions').where('token_hash', '=', tokenHash)).changes > 0;
}

/** Every session of the user but `keepHash` (a password change logs the other sessions out). */
export function deleteOtherSessions(store: Store, userId: string, keepHash: string | null): number {
  // not `token_hash IS NOT ?`: PostgreSQL takes IS NOT only before NULL/TRUE/FALSE (token_hash is never NULL)
  return store.run(
    store.db
      .deleteFrom('sessions')
      .where('user_id', '=', userId)
      .$if(keepHash !== null, (q) => q.where('token_hash', '<>', keepHash as string)),
  ).changes;
}

export function deleteExpiredSessions(store: Store, nowIso: string): number {
  return store.run(store.db.deleteFrom('sessions').where('expires_at', '<=', nowIso)).changes;
}

// Recovery codes

export function replaceRecoveryCodes(store: Store, userId: string, hashes: readonly string[], nowIso: string): void {
  store.run(store.db.deleteFrom('recovery_codes').where('user_id', '=', userId));
  for (const h of hashes)
    store.run(
      store.db.insertInto('recovery_codes').values({ id: newId(), user_id: userId, code_hash: h, used_at: null, created_at: nowIso }),
    );
}

export function recoveryCode(store: Store, userId: string, hash: string): { id: string; used_at: string | null } | undefined {
  return store.get(
    store.db.selectFrom('recovery_codes').select(['id', 'used_at']).where('user_id', '=', userId).where('code_hash', '=', hash),
  );
}

/** Mark a recovery code used; false if it already was. */
export function useRecoveryCode(store: Store, id: string, nowIso: string): boolean {
  return (
    store.run(store.db.updateTable('recovery_codes').set({ used_at: nowIso }).where('id', '=', id).where('used_at', 'is', null)).changes ===
    1
  );
}

export function unusedRecoveryCodes(store: Store, userId: string): number {
  return (
    store.get(
      store.db
        .selectFrom('recovery_codes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .where('used_at', 'is', null),
    )?.n ?? 0
  );
}

// Plans

export function listPlans(store: Store): PlanRow[] {
  return store.all(store.db.selectFrom('plans').selectAll().orderBy('created_at').orderBy('id'));
}

export function planById(store: Store, id: string): PlanRow | undefined {
  return store.get(store.db.selectFrom('plans').selectAll().where('id', '=', id));
}

export type PlanPatch = Partial<Pick<PlanRow, 'max_accounts' | 'max_bots' | 'max_sweep'>>;

export function updatePlan(store: Store, id: string, patch: PlanPatch, nowIso: string): void {
  const change: PlanPatch = {};
  for (const c of ['max_accounts', 'max_bots', 'max_sweep'] as const) if (c in patch) change[c] = patch[c] ?? null;
  if (Object.keys(change).length === 0) return;
  store.run(
    store.db
      .updateTable('plans')
      .set({ ...change, updated_at: nowIso })
      .where('id', '=', id),
  );
}

/** How much of each plan limit a user uses now. */
export function planUsage(store: Store, userId: string): { accounts: number; bots: number } {
  const accounts =
    store.get(
      store.db
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .where('kind', '=', 'trader'),
    )?.n ?? 0;
  const bots =
    store.get(
      store.db
        .selectFrom('bots')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId),
    )?.n ?? 0;
  return { accounts, bots };
}

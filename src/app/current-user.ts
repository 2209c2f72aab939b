/**
 * Who is acting: a session token (TUNICOIN_TOKEN, else the login's token file), else the only
 * person of the database. Several people and no valid session: "log in first" (exit 8).
 *
 * - An explicit TUNICOIN_TOKEN must be valid: a bad, expired or foreign one is refused even
 *   on a one-user database (CI wants to know).
 * - A stale token file (e.g. after `seed --reset`) is ignored when the database has one person.
 * - The only-person rule does not apply to a user who turned 2FA on: that user logs in.
 * Nothing is written here: resolving the actor is a read.
 */
import { AuthError } from '../core/errors.ts';
import { parseToken } from '../core/users.ts';
import type { Actor } from '../store/actor.ts';
import type { Store } from '../store/db.ts';
import type { UserRow } from '../store/schema.ts';
import { countPeople, onlyPerson, peekDatabaseId, sessionByHash, userById } from '../store/users.ts';

export interface ActorRequest {
  readonly token: string | undefined;
  /** SHA-256 hex of a token (given by the caller, so that node:crypto loads only when a token exists). */
  readonly hashToken: (token: string) => string;
  /** Where the token came from: an explicit TUNICOIN_TOKEN is never silently ignored. */
  readonly tokenSource: 'env' | 'file';
  /** `--all-users`: admins only. */
  readonly allUsers: boolean;
  readonly now: number;
}

const LOGIN_HINT = 'tunicoin login EMAIL';

function actorOf(u: UserRow, via: Actor['via'], allUsers: boolean): Actor {
  if (allUsers && u.is_admin !== 1) throw new AuthError('--all-users is for admins only');
  return { userId: u.id, email: u.email, isAdmin: u.is_admin === 1, planId: u.plan_id, via, allUsers };
}

/** The user of a session token, or a message saying why the token is not usable. */
function sessionUser(store: Store, token: string, hashToken: (t: string) => string, now: number): UserRow | string {
  const parsed = parseToken(token);
  if (!parsed) return 'the session token is malformed';
  if (parsed.databaseId !== peekDatabaseId(store)) return 'the session token belongs to another database';
  const s = sessionByHash(store, hashToken(parsed.token));
  if (!s) return 'the session is not valid (logged out or tampered with)';
  if (Date.parse(s.expires_at) <= now) return `the session expired at ${s.expires_at}`;
  const u = userById(store, s.user_id);
  if (!u || u.is_system === 1) return 'the session is not valid';
  if (u.is_active !== 1) return `user ${u.email} is deactivated`;
  return u;
}

export function resolveActor(store: Store, req: ActorRequest): Actor | null {
  if (req.token !== undefined && req.token !== '') {
    const u = sessionUser(store, req.token, req.hashToken, req.now);
    if (typeof u !== 'string') return actorOf(u, 'session', req.allUsers);
    if (req.tokenSource === 'env') throw new AuthError(`TUNICOIN_TOKEN refused: ${u}`, `log in again: ${LOGIN_HINT} --print-token`);
    if (countPeople(store) > 1) throw new AuthError(`log in first: ${u}`, LOGIN_HINT);
  }
  // the usual case, one person, in one query (every command that reads user data asks)
  const only = onlyPerson(store);
  if (only && only.is_active === 1 && only.twofa_enabled !== 1) return actorOf(only, 'only-user', req.allUsers);
  if (only)
    throw new AuthError(
      `log in first: ${only.email} ${only.is_active !== 1 ? 'is deactivated' : 'uses two-factor authentication'}`,
      LOGIN_HINT,
    );
  const people = countPeople(store);
  if (people === 0) {
    if (req.allUsers) throw new AuthError('--all-users is for admins only');
    return null;
  }
  throw new AuthError(`log in first: ${people} users share this database`, LOGIN_HINT);
}

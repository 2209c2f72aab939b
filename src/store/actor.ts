/**
 * The user a connection acts as: the one place per-user data scoping is decided, like a
 * row-level-security setting on a server database. The CLI context installs a resolver when it
 * opens the store; the repository lookups of user data (accounts, orders, bots, backtests) ask
 * for `scopeUserId` and see only that user's rows. The resolver runs on the first such lookup,
 * so commands on shared data (quotes, candles, instruments) never need a login.
 *
 * A store without a resolver (scripts, benchmarks, lib.ts) is unscoped: it sees every row.
 */
import type { Store } from './db.ts';

export interface Actor {
  readonly userId: string;
  readonly email: string;
  readonly isAdmin: boolean;
  readonly planId: string;
  /** How the user was identified: a session token, or the only user of the database. */
  readonly via: 'session' | 'only-user';
  /** An admin asked for everyone's data (`--all-users`): lookups are not scoped. */
  readonly allUsers: boolean;
}

/** Returns the actor, null when the database has no user yet, or throws (log in first). */
export type ActorResolver = () => Actor | null;

const resolvers = new WeakMap<Store, ActorResolver>();
const resolved = new WeakMap<Store, { actor: Actor | null }>();

export function setActorResolver(store: Store, resolver: ActorResolver): void {
  resolvers.set(store, resolver);
  resolved.delete(store);
}

/** Forget the resolved actor (after a login or a registration changed who that is). */
export function resetActor(store: Store): void {
  resolved.delete(store);
}

/** The acting user, resolved once; null without a resolver or without users. */
export function currentActor(store: Store): Actor | null {
  const hit = resolved.get(store);
  if (hit) return hit.actor;
  const resolver = resolvers.get(store);
  const actor = resolver ? resolver() : null;
  resolved.set(store, { actor });
  return actor;
}

/** The user id lookups are restricted to; null = every user's rows. */
export function scopeUserId(store: Store): string | null {
  const a = currentActor(store);
  return a === null || a.allUsers ? null : a.userId;
}

/**
 * Users and accounts, including the system user that owns the house accounts of the ledger.
 */
import { HOUSE_ACCOUNTS, houseAccountName } from '../core/ledger.ts';
import type { Store } from './db.ts';
import { newId } from './ids.ts';

export const SYSTEM_EMAIL = 'system@tunicoin.local';
export const DEMO_EMAIL = 'demo@tunicoin.local';

/** Create the system user and its house accounts if missing; returns the system user id. */
export function ensureHouseAccounts(store: Store, nowIso: string): string {
  let system = store.prepare('SELECT id FROM users WHERE email = ?').get(SYSTEM_EMAIL) as { id: string } | undefined;
  if (!system) {
    system = { id: newId() };
    store.prepare(`INSERT INTO users (id, email, hashed_password, is_verified, is_active, is_admin, is_system, kyc_status, created_at, updated_at)
      VALUES (?, ?, NULL, 1, 0, 1, 1, 'approved', ?, ?)`).run(system.id, SYSTEM_EMAIL, nowIso, nowIso);
  }
  for (const h of HOUSE_ACCOUNTS) {
    store.prepare(`INSERT INTO accounts (id, user_id, name, kind, is_demo, created_at, updated_at)
      VALUES (?, ?, ?, 'house', 0, ?, ?) ON CONFLICT (user_id, name) DO NOTHING`).run(newId(), system.id, houseAccountName(h), nowIso, nowIso);
  }
  return system.id;
}

/** The user that owns backtests and new accounts: the first person, or a local one created on demand. */
export function ensureOwner(store: Store, nowIso: string): string {
  const row = store.prepare('SELECT id FROM users WHERE is_system = 0 ORDER BY created_at, rowid LIMIT 1').get() as { id: string } | undefined;
  if (row) return row.id;
  const id = newId();
  store.prepare(`INSERT INTO users (id, email, hashed_password, is_verified, is_active, plan_id, kyc_status, created_at, updated_at)
    VALUES (?, 'local@tunicoin.local', NULL, 1, 1, 'free', 'pending', ?, ?)`).run(id, nowIso, nowIso);
  return id;
}

/** The name of an account (for headers); undefined when there is no such account. */
export function accountName(store: Store, id: string): string | undefined {
  return (store.prepare('SELECT name FROM accounts WHERE id = ?').get(id) as { name: string } | undefined)?.name;
}

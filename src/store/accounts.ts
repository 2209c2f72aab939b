/**
 * Users and accounts, including the system user that owns the house accounts of the ledger.
 */
import { HOUSE_ACCOUNTS, houseAccountName } from '../core/ledger.ts';
import { currentActor, scopeUserId } from './actor.ts';
import type { Store } from './db.ts';
import { newId } from './ids.ts';
import { getSetting, setSetting } from './settings.ts';

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

/**
 * The user that owns new accounts, bots and backtests: the acting user (see actor.ts), else the
 * first person, or a local one created on demand.
 */
export function ensureOwner(store: Store, nowIso: string): string {
  const actor = currentActor(store);
  if (actor) return actor.userId;
  const row = store.prepare('SELECT id FROM users WHERE is_system = 0 ORDER BY created_at, rowid LIMIT 1').get() as { id: string } | undefined;
  if (row) return row.id;
  const id = newId();
  store.prepare(`INSERT INTO users (id, email, hashed_password, is_verified, is_active, plan_id, kyc_status, created_at, updated_at)
    VALUES (?, 'local@tunicoin.local', NULL, 1, 1, 'free', 'pending', ?, ?)`).run(id, nowIso, nowIso);
  return id;
}

export interface TraderAccountView { id: string; name: string; user_id: string; email: string; balance: number; max_leverage: number; is_demo: number; is_active: number }

/** The acting user's trading accounts (everyone's for an admin with --all-users). */
export function listTraderAccounts(store: Store): TraderAccountView[] {
  const uid = scopeUserId(store);
  return store.prepare(`SELECT a.id, a.name, a.user_id, u.email, a.balance, a.max_leverage, a.is_demo, a.is_active FROM accounts a JOIN users u ON u.id = a.user_id
    WHERE a.kind = 'trader' AND (? IS NULL OR a.user_id = ?) ORDER BY a.created_at, a.rowid`).all(uid, uid) as TraderAccountView[];
}

/** Does this user already have a trading account of that name? */
export function traderAccountNamed(store: Store, userId: string, name: string): boolean {
  return store.prepare("SELECT 1 FROM accounts WHERE kind = 'trader' AND user_id = ? AND name = ?").get(userId, name) !== undefined;
}

/** `account use`: the acting user's default account (the database-wide one when nobody is acting). */
export function setDefaultAccount(store: Store, accountId: string): void {
  const actor = currentActor(store);
  setSetting(store, actor ? `default_account:${actor.userId}` : 'default_account', accountId);
}

/** The default account the acting user sees (theirs, else the database-wide one). */
export function defaultAccountSetting(store: Store): string | undefined {
  const actor = currentActor(store);
  return (actor ? getSetting(store, `default_account:${actor.userId}`) : undefined) ?? getSetting(store, 'default_account');
}

/** The ids of a user's accounts and bots (to show them only their part of a market advance). */
export function ownedAccountIds(store: Store, userId: string): { accounts: Set<string>; bots: Set<string> } {
  const accounts = store.prepare('SELECT id FROM accounts WHERE user_id = ?').all(userId) as { id: string }[];
  const bots = store.prepare('SELECT id FROM bots WHERE user_id = ?').all(userId) as { id: string }[];
  return { accounts: new Set(accounts.map((r) => r.id)), bots: new Set(bots.map((r) => r.id)) };
}

/** The name of an account (for headers); undefined when there is no such account. */
export function accountName(store: Store, id: string): string | undefined {
  return (store.prepare('SELECT name FROM accounts WHERE id = ?').get(id) as { name: string } | undefined)?.name;
}

/** The user an account belongs to. */
export function accountOwner(store: Store, accountId: string): string {
  return (store.prepare('SELECT user_id FROM accounts WHERE id = ?').get(accountId) as { user_id: string }).user_id;
}

/** The fields of a trading account that the `account` views show. */
export interface AccountRowView { id: string; name: string; user_id: string; balance: number; max_leverage: number; max_daily_loss: number | null; maker_fee_ppm: number; taker_fee_ppm: number; is_active: number }

export function accountRowById(store: Store, id: string): AccountRowView {
  return store.prepare('SELECT id, name, user_id, balance, max_leverage, max_daily_loss, maker_fee_ppm, taker_fee_ppm, is_active FROM accounts WHERE id = ?').get(id) as AccountRowView;
}

/** A new trading account row (its balance comes from a deposit journal). */
export function insertTraderAccount(store: Store, a: { id: string; userId: string; name: string; maxLeverage: number; maxDailyLoss: number | null; makerFee: number; takerFee: number }, nowIso: string): void {
  store.prepare(`INSERT INTO accounts (id, user_id, name, kind, is_demo, max_leverage, max_daily_loss, maker_fee_ppm, taker_fee_ppm, created_at, updated_at)
    VALUES (?, ?, ?, 'trader', 1, ?, ?, ?, ?, ?, ?)`).run(a.id, a.userId, a.name, a.maxLeverage, a.maxDailyLoss, a.makerFee, a.takerFee, nowIso, nowIso);
}

/** An account without positions: equity and available margin are its balance. */
export function markAccountAtBalance(store: Store, accountId: string): void {
  store.prepare('UPDATE accounts SET equity = balance, margin_available = balance WHERE id = ?').run(accountId);
}

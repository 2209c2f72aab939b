/**
 * Users and accounts, including the system user that owns the house accounts of the ledger.
 */
import { sql } from 'kysely';
import { NotFoundError } from '../core/errors.ts';
import { HOUSE_ACCOUNTS, houseAccountName } from '../core/ledger.ts';
import { currentActor, scopeUserId } from './actor.ts';
import type { Store } from './db.ts';
import { ID_CANDIDATES } from '../core/ids.ts';
import { idStartsWith, newId } from './ids.ts';
import { getSetting, setSetting } from './settings.ts';

export const SYSTEM_EMAIL = 'system@tunicoin.local';
export const DEMO_EMAIL = 'demo@tunicoin.local';

/** Create the system user and its house accounts if missing; returns the system user id. */
export function ensureHouseAccounts(store: Store, nowIso: string): string {
  let system = store.get(store.db.selectFrom('users').select('id').where('email', '=', SYSTEM_EMAIL));
  if (!system) {
    system = { id: newId() };
    store.run(
      store.db.insertInto('users').values({
        id: system.id,
        email: SYSTEM_EMAIL,
        hashed_password: null,
        is_verified: 1,
        is_active: 0,
        is_admin: 1,
        is_system: 1,
        kyc_status: 'approved',
        created_at: nowIso,
        updated_at: nowIso,
      }),
    );
  }
  for (const h of HOUSE_ACCOUNTS) {
    store.run(
      store.db
        .insertInto('accounts')
        .values({
          id: newId(),
          user_id: system.id,
          name: houseAccountName(h),
          kind: 'house',
          is_demo: 0,
          created_at: nowIso,
          updated_at: nowIso,
        })
        .onConflict((oc) => oc.columns(['user_id', 'name']).doNothing()),
    );
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
  const row = store.get(
    store.db
      .selectFrom('users')
      .select('id')
      .where('is_system', '=', 0)
      .orderBy('created_at')
      .orderBy(sql`rowid`)
      .limit(1),
  );
  if (row) return row.id;
  const id = newId();
  store.run(
    store.db.insertInto('users').values({
      id,
      email: 'local@tunicoin.local',
      hashed_password: null,
      is_verified: 1,
      is_active: 1,
      plan_id: 'free',
      kyc_status: 'pending',
      created_at: nowIso,
      updated_at: nowIso,
    }),
  );
  return id;
}

export interface TraderAccountView {
  id: string;
  name: string;
  user_id: string;
  email: string;
  balance: number;
  max_leverage: number;
  is_demo: number;
  is_active: number;
}

/** The acting user's trading accounts (everyone's for an admin with --all-users). */
export function listTraderAccounts(store: Store): TraderAccountView[] {
  const uid = scopeUserId(store);
  return store.all(
    store.db
      .selectFrom('accounts as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .select(['a.id', 'a.name', 'a.user_id', 'u.email', 'a.balance', 'a.max_leverage', 'a.is_demo', 'a.is_active'])
      .where('a.kind', '=', 'trader')
      .$if(uid !== null, (q) => q.where('a.user_id', '=', uid as string))
      .orderBy('a.created_at')
      .orderBy(sql`a.rowid`),
  );
}

/** Does this user already have a trading account of that name? */
export function traderAccountNamed(store: Store, userId: string, name: string): boolean {
  return (
    store.get(
      store.db.selectFrom('accounts').select('id').where('kind', '=', 'trader').where('user_id', '=', userId).where('name', '=', name),
    ) !== undefined
  );
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
  const accounts = store.all(store.db.selectFrom('accounts').select('id').where('user_id', '=', userId));
  const bots = store.all(store.db.selectFrom('bots').select('id').where('user_id', '=', userId));
  return { accounts: new Set(accounts.map((r) => r.id)), bots: new Set(bots.map((r) => r.id)) };
}

/** The name of an account (for headers); undefined when there is no such account. */
export function accountName(store: Store, id: string): string | undefined {
  return store.get(store.db.selectFrom('accounts').select('name').where('id', '=', id))?.name;
}

/** The user an account belongs to. */
export function accountOwner(store: Store, accountId: string): string {
  const row = store.get(store.db.selectFrom('accounts').select('user_id').where('id', '=', accountId));
  if (!row) throw new NotFoundError('account', accountId);
  return row.user_id;
}

/** The fields of a trading account that the `account` views show. */
export interface AccountRowView {
  id: string;
  name: string;
  user_id: string;
  balance: number;
  max_leverage: number;
  max_daily_loss: number | null;
  maker_fee_ppm: number;
  taker_fee_ppm: number;
  is_active: number;
}

export function accountRowById(store: Store, id: string): AccountRowView {
  const row = store.get(
    store.db
      .selectFrom('accounts')
      .select(['id', 'name', 'user_id', 'balance', 'max_leverage', 'max_daily_loss', 'maker_fee_ppm', 'taker_fee_ppm', 'is_active'])
      .where('id', '=', id),
  );
  if (!row) throw new NotFoundError('account', id);
  return row;
}

/** A new trading account row (its balance comes from a deposit journal). */
export function insertTraderAccount(
  store: Store,
  a: { id: string; userId: string; name: string; maxLeverage: number; maxDailyLoss: number | null; makerFee: number; takerFee: number },
  nowIso: string,
): void {
  store.run(
    store.db.insertInto('accounts').values({
      id: a.id,
      user_id: a.userId,
      name: a.name,
      kind: 'trader',
      is_demo: 1,
      max_leverage: a.maxLeverage,
      max_daily_loss: a.maxDailyLoss,
      maker_fee_ppm: a.makerFee,
      taker_fee_ppm: a.takerFee,
      created_at: nowIso,
      updated_at: nowIso,
    }),
  );
}

/** An account without positions: equity and available margin are its balance. */
export function markAccountAtBalance(store: Store, accountId: string): void {
  store.run(
    store.db
      .updateTable('accounts')
      .set((eb) => ({ equity: eb.ref('balance'), margin_available: eb.ref('balance') }))
      .where('id', '=', accountId),
  );
}

/** Trading accounts named `name` (of `userId`, or anyone's when null). */
export function traderAccountsNamed(store: Store, name: string, userId: string | null): { id: string; user_id: string }[] {
  return store.all(
    store.db
      .selectFrom('accounts')
      .select(['id', 'user_id'])
      .where('kind', '=', 'trader')
      .where('name', '=', name)
      .$if(userId !== null, (q) => q.where('user_id', '=', userId as string)),
  );
}

/** Ids of the trading accounts whose id starts with `prefix` (of `userId`, or anyone's when null). */
export function traderAccountIdsLike(store: Store, prefix: string, userId: string | null): string[] {
  return store
    .all(
      store.db
        .selectFrom('accounts')
        .select('id')
        .where('kind', '=', 'trader')
        .where(idStartsWith('id', prefix))
        .$if(userId !== null, (q) => q.where('user_id', '=', userId as string))
        .limit(ID_CANDIDATES),
    )
    .map((r) => r.id);
}

/** Is `id` a trading account (of `userId`, or anyone's when null)? */
export function isTraderAccount(store: Store, id: string, userId: string | null): boolean {
  return (
    store.get(
      store.db
        .selectFrom('accounts')
        .select('id')
        .where('id', '=', id)
        .where('kind', '=', 'trader')
        .$if(userId !== null, (q) => q.where('user_id', '=', userId as string)),
    ) !== undefined
  );
}

/** Ids of the trading accounts (of `userId`, or everyone's when null). */
export function traderAccountIds(store: Store, userId: string | null): string[] {
  return store
    .all(
      store.db
        .selectFrom('accounts')
        .select('id')
        .where('kind', '=', 'trader')
        .$if(userId !== null, (q) => q.where('user_id', '=', userId as string)),
    )
    .map((r) => r.id);
}

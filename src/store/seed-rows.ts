/**
 * The rows `tunicoin seed` writes besides instruments, candles and journals (the use case is
 * app/seed.ts): the wipe of `--reset`, the demo user and account, and the bulk load's index drop.
 */
import type { Store } from './db.ts';
import type { Database } from './schema.ts';
import { getSetting } from './settings.ts';

export function isSeeded(store: Store): boolean {
  return getSetting(store, 'seeded_at') !== undefined;
}

/**
 * Every table's rows, children first (plans and schema_migrations stay; candle_packs follow the
 * candles by trigger on SQLite). Amendments and sweeps were missing here: `seed --reset` after an
 * amend, `position set` or `optimize` broke their foreign keys on both databases.
 */
const WIPE_ORDER: ReadonlyArray<keyof Database> = [
  'sweep_results',
  'sweeps',
  'amendments',
  'bot_decisions',
  'ledger_entries',
  'positions',
  'orders',
  'backtests',
  'bots',
  'candles',
  'instruments',
  'accounts',
  'recovery_codes',
  'sessions',
  'users',
  'settings',
];

export function wipeAll(store: Store): void {
  for (const table of WIPE_ORDER) store.run(store.db.deleteFrom(table));
}

/** The demo user: verified, active, KYC approved, on the free plan. */
export function insertDemoUser(store: Store, u: { id: string; email: string; hashedPassword: string; nowIso: string }): void {
  store.run(
    store.db.insertInto('users').values({
      id: u.id,
      email: u.email,
      hashed_password: u.hashedPassword,
      is_verified: 1,
      is_active: 1,
      is_admin: 0,
      plan_id: 'free',
      kyc_status: 'approved',
      kyc_verified_at: u.nowIso,
      created_at: u.nowIso,
      updated_at: u.nowIso,
    }),
  );
}

/** The demo user's trading account (demo, 10x leverage at most); funded by the caller's journal. */
export function insertDemoAccount(store: Store, a: { id: string; userId: string; name: string; nowIso: string }): void {
  store.run(
    store.db.insertInto('accounts').values({
      id: a.id,
      user_id: a.userId,
      name: a.name,
      kind: 'trader',
      is_demo: 1,
      max_leverage: 10,
      created_at: a.nowIso,
      updated_at: a.nowIso,
    }),
  );
}

/**
 * SQLite-specific bulk load (schema DDL, not a repository query): drop the candles' indexes and
 * the packed store's triggers (migration 012) for the bulk insert; the returned function puts
 * them back. Both run in the caller's transaction: the new instruments have no packs to
 * invalidate, and their packs are written with their rows (synthetic-candles.ts).
 */
export function dropCandleIndexes(store: Store): () => void {
  if (store.dialect !== 'sqlite') return () => {}; // PostgreSQL: candles arrive by COPY into the indexed table
  const indexes = store.sqlite
    .prepare("SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = 'candles' AND sql IS NOT NULL")
    .all() as { type: 'index' | 'trigger'; name: string; sql: string }[];
  for (const ix of indexes) store.sqlite.exec(`DROP ${ix.type === 'index' ? 'INDEX' : 'TRIGGER'} ${ix.name}`);
  return () => {
    for (const ix of indexes) store.sqlite.exec(ix.sql);
  };
}

/**
 * Runs fn with SQLite's temporary store on disk. The connection keeps temp_store = MEMORY (db.ts:
 * a multi-row INSERT's statement journal), but rebuilding an index after a bulk load sorts every
 * key through the temporary store: in memory that held the sort of a year of candles at once
 * (455 MB peak for `seed --days 365` against 177 MB on disk). The pragma only takes effect
 * outside a transaction, so it wraps the whole write.
 */
export function withTempStoreOnDisk<T>(store: Store, fn: () => T): T {
  if (store.dialect !== 'sqlite') return fn();
  store.sqlite.exec('PRAGMA temp_store = DEFAULT');
  try {
    return fn();
  } finally {
    store.sqlite.exec('PRAGMA temp_store = MEMORY');
  }
}

export function countLedgerEntries(store: Store): number {
  return store.get(store.db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? 0;
}

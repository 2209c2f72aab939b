/**
 * Umzug runner over the bundled migration list. Every pending migration and its bookkeeping row
 * run in ONE transaction (the schema_migrations table included): a failure anywhere leaves the
 * file exactly as it was, never half-migrated.
 */
import { Umzug, type UmzugStorage } from 'umzug';
import { MIGRATIONS } from '../../migrations/index.ts';
import type { Store } from './db.ts';
import { appliedMigrations } from './db.ts';

function ensureTable(store: Store): void {
  store.sqlite.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
}

/** Runs `fn` inside BEGIN IMMEDIATE ... COMMIT on the store's one connection (Kysely shares it). */
async function inTransaction(store: Store, fn: () => Promise<void>): Promise<void> {
  if (store.sqlite.inTransaction) {
    await fn();
    return;
  } // part of migrateUp's one transaction
  store.sqlite.exec('BEGIN IMMEDIATE');
  try {
    await fn();
    store.sqlite.exec('COMMIT');
  } catch (e) {
    if (store.sqlite.inTransaction) store.sqlite.exec('ROLLBACK');
    throw e;
  }
}

function makeUmzug(store: Store, now: () => string): Umzug<Store> {
  const storage: UmzugStorage<Store> = {
    // The row is written inside the migration's transaction (below); nothing left to do here.
    async logMigration() {},
    async unlogMigration() {},
    executed: () => Promise.resolve(appliedMigrations(store.sqlite)),
  };
  return new Umzug<Store>({
    context: store,
    logger: undefined,
    storage,
    migrations: MIGRATIONS.map(({ name, module }) => ({
      name,
      up: () =>
        inTransaction(store, async () => {
          await module.up(await store.kysely());
          store.sqlite.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(name, now());
        }),
      down: () =>
        inTransaction(store, async () => {
          await module.down(await store.kysely());
          store.sqlite.prepare('DELETE FROM schema_migrations WHERE name = ?').run(name);
        }),
    })),
  });
}

const wallClock = (): string => new Date().toISOString();

export async function migrateUp(store: Store, now = wallClock): Promise<string[]> {
  let done: string[] = [];
  await inTransaction(store, async () => {
    ensureTable(store);
    done = (await makeUmzug(store, now).up()).map((m) => m.name);
  });
  return done;
}

/** Roll back to (but not including) `to`, or everything with `to: 0`; default: the last one. */
export async function migrateDown(store: Store, target: { to?: string | 0 } = {}, now = wallClock): Promise<string[]> {
  ensureTable(store);
  const umzug = makeUmzug(store, now);
  const done = target.to === undefined ? await umzug.down() : await umzug.down({ to: target.to });
  return done.map((m) => m.name);
}

export async function migrationStatus(store: Store): Promise<{ applied: string[]; pending: string[] }> {
  ensureTable(store);
  const umzug = makeUmzug(store, wallClock);
  const [applied, pending] = await Promise.all([umzug.executed(), umzug.pending()]);
  return { applied: applied.map((m) => m.name), pending: pending.map((m) => m.name) };
}

/**
 * Umzug runner over the bundled migration list of the store's database (SQLite's in
 * migrations/, PostgreSQL's in migrations/pg/). Every pending migration and its bookkeeping row
 * run in ONE transaction (the schema_migrations table included): a failure anywhere leaves the
 * database exactly as it was, never half-migrated (PostgreSQL's DDL is transactional too).
 */
import { Umzug, type UmzugStorage } from 'umzug';
import { MIGRATIONS, type MigrationModule } from '../../migrations/index.ts';
import { PG_MIGRATIONS } from '../../migrations/pg/index.ts';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { appliedMigrations, type MigrationsReader } from './schema-migrations.ts';
import { BEGIN_WRITE } from './pg/writer-lock.ts';

/**
 * What the runner needs of an open store (store/db.ts's SqliteStore and pg/store.ts's PgStore
 * are such): raw statements and Kysely executing on the same connection. Declared here, not
 * imported, since the stores load this module on demand.
 */
export interface MigrationTarget extends MigrationsReader {
  exec(sqlText: string): void;
  kysely(): Promise<Kysely<Database>>;
}

/** The migrations of the target's database, oldest first. */
export function migrationsOf(store: MigrationTarget): ReadonlyArray<{ readonly name: string; readonly module: MigrationModule }> {
  return store.dialect === 'postgres' ? PG_MIGRATIONS : MIGRATIONS;
}

/** Stores inside a migration transaction of this runner (migrateUp's one transaction nests the others). */
const open = new WeakSet<MigrationTarget>();

function ensureTable(store: MigrationTarget): void {
  store.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
}

/**
 * Runs `fn` in one write transaction: BEGIN IMMEDIATE on SQLite; on PostgreSQL BEGIN and the
 * writer lock every write takes (pg/store.ts), so two processes never migrate at once.
 */
async function inTransaction(store: MigrationTarget, fn: () => Promise<void>): Promise<void> {
  if (open.has(store)) {
    await fn();
    return;
  } // part of migrateUp's one transaction
  store.exec(store.dialect === 'postgres' ? BEGIN_WRITE : 'BEGIN IMMEDIATE');
  open.add(store);
  try {
    await fn();
    open.delete(store);
    store.exec('COMMIT');
  } catch (e) {
    open.delete(store);
    try {
      store.exec('ROLLBACK');
    } catch {
      // no transaction left to roll back (SQLite ends it on some errors by itself)
    }
    throw e;
  }
}

function makeUmzug(store: MigrationTarget, now: () => string): Umzug<MigrationTarget> {
  const storage: UmzugStorage<MigrationTarget> = {
    // The row is written inside the migration's transaction (below); nothing left to do here.
    async logMigration() {},
    async unlogMigration() {},
    executed: () => Promise.resolve(appliedMigrations(store)),
  };
  return new Umzug<MigrationTarget>({
    context: store,
    logger: undefined,
    storage,
    migrations: migrationsOf(store).map(({ name, module }) => ({
      name,
      up: () =>
        inTransaction(store, async () => {
          await module.up(await store.kysely());
          store.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(name, now());
        }),
      down: () =>
        inTransaction(store, async () => {
          await module.down(await store.kysely());
          store.prepare('DELETE FROM schema_migrations WHERE name = ?').run(name);
        }),
    })),
  });
}

const wallClock = (): string => new Date().toISOString();

export async function migrateUp(store: MigrationTarget, now = wallClock): Promise<string[]> {
  let done: string[] = [];
  await inTransaction(store, async () => {
    ensureTable(store);
    done = (await makeUmzug(store, now).up()).map((m) => m.name);
  });
  return done;
}

/** Roll back to (but not including) `to`, or everything with `to: 0`; default: the last one. */
export async function migrateDown(store: MigrationTarget, target: { to?: string | 0 } = {}, now = wallClock): Promise<string[]> {
  ensureTable(store);
  const umzug = makeUmzug(store, now);
  const done = target.to === undefined ? await umzug.down() : await umzug.down({ to: target.to });
  return done.map((m) => m.name);
}

export async function migrationStatus(store: MigrationTarget): Promise<{ applied: string[]; pending: string[] }> {
  ensureTable(store);
  const umzug = makeUmzug(store, wallClock);
  const [applied, pending] = await Promise.all([umzug.executed(), umzug.pending()]);
  return { applied: applied.map((m) => m.name), pending: pending.map((m) => m.name) };
}

/**
 * Umzug runner over the bundled migration list. Every pending migration and its bookkeeping row
 * run in ONE transaction (the schema_migrations table included): a failure anywhere leaves the
 * file exactly as it was, never half-migrated.
 */
import { Umzug, type UmzugStorage } from 'umzug';
import { MIGRATIONS } from '../../migrations/index.ts';
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { appliedMigrations } from './schema-migrations.ts';

/**
 * What the runner needs of an open store (store/db.ts's Store is one): its connection and Kysely
 * executing on it. Declared here, not imported, since db.ts loads this module on demand.
 */
export interface MigrationTarget {
  readonly sqlite: BetterSqlite3.Database;
  kysely(): Promise<Kysely<Database>>;
}

function ensureTable(store: MigrationTarget): void {
  store.sqlite.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
}

/** Runs `fn` inside BEGIN IMMEDIATE ... COMMIT on the store's one connection (Kysely shares it). */
async function inTransaction(store: MigrationTarget, fn: () => Promise<void>): Promise<void> {
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

function makeUmzug(store: MigrationTarget, now: () => string): Umzug<MigrationTarget> {
  const storage: UmzugStorage<MigrationTarget> = {
    // The row is written inside the migration's transaction (below); nothing left to do here.
    async logMigration() {},
    async unlogMigration() {},
    executed: () => Promise.resolve(appliedMigrations(store.sqlite)),
  };
  return new Umzug<MigrationTarget>({
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

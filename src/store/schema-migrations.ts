/**
 * The `schema_migrations` table read on every open (store/db.ts, pg/open.ts) and by the
 * migrations runner (store/migrator.ts, loaded on demand): a module of its own so that neither
 * imports the other.
 */
import { DatabaseError } from '../core/errors.ts';
import type { SqlStatement } from './statement.ts';

/** What reading the table needs of an open store (either database). */
export interface MigrationsReader {
  readonly dialect: 'sqlite' | 'postgres';
  prepare(sqlText: string): SqlStatement;
}

const notOurs = (kind: string) =>
  new DatabaseError(
    `this is another application's ${kind} database (its schema_migrations table is not tunicoin's); it was left untouched`,
    kind === 'SQLite' ? 'pass --db with a new or tunicoin file path' : 'pass --db with the URL of a new or tunicoin database',
  );

/** Names of applied migrations, [] for a fresh database. */
export function appliedMigrations(store: MigrationsReader): string[] {
  if (store.dialect === 'postgres') {
    // a failed statement would abort the caller's transaction on PostgreSQL: look before reading
    const cols = store
      .prepare(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'schema_migrations'",
      )
      .raw(true)
      .all()
      .map((r) => r[0]);
    if (cols.length === 0) return [];
    if (!cols.includes('name')) throw notOurs('PostgreSQL');
  }
  try {
    return (store.prepare('SELECT name FROM schema_migrations ORDER BY name').all() as { name: string }[]).map((r) => r.name);
  } catch (e) {
    if (/no such table/.test((e as Error).message)) return [];
    if (/no such column/.test((e as Error).message)) throw notOurs('SQLite');
    throw e;
  }
}

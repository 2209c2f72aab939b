/**
 * The `schema_migrations` table read on every open (store/db.ts) and by the migrations runner
 * (store/migrator.ts, loaded on demand): a module of its own so that neither imports the other.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { DatabaseError } from '../core/errors.ts';

/** Names of applied migrations, [] for a fresh file. */
export function appliedMigrations(sqlite: BetterSqlite3.Database): string[] {
  try {
    return (sqlite.prepare('SELECT name FROM schema_migrations ORDER BY name').all() as { name: string }[]).map((r) => r.name);
  } catch (e) {
    if (/no such table/.test((e as Error).message)) return [];
    if (/no such column/.test((e as Error).message)) {
      throw new DatabaseError(
        "this is another application's SQLite database (its schema_migrations table is not tunicoin's); it was left untouched",
        'pass --db with a new or tunicoin file path',
      );
    }
    throw e;
  }
}

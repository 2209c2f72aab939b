/** An insert of a row as a hot statement (db.ts), one per table and list of columns. */
import { param, type Store } from './db.ts';
import type { Database } from './schema.ts';

/**
 * Insert `row` into `table`: the same SQL Kysely's `insertInto(table).values(row)` builds (the
 * columns whose value is not undefined, in the row's key order), built once per column list and
 * prepared once per connection; the values are bound in that order.
 */
export function hotInsert(store: Store, table: keyof Database, row: Readonly<Record<string, unknown>>): void {
  const cols = Object.keys(row).filter((c) => row[c] !== undefined);
  store
    .hotStatement(`${table}.insert:${cols.join(',')}`, (db) =>
      db.insertInto(table).values(Object.fromEntries(cols.map((c) => [c, param()])) as never),
    )
    .run(...cols.map((c) => row[c]));
}

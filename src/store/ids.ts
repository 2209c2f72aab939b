/** Time-ordered UUIDs (v7): B-tree inserts append instead of scattering, ids sort by creation. */
import { sql, type RawBuilder } from 'kysely';
import { shortestUniquePrefix } from '../core/ids.ts';
import type { Store } from './db.ts';
import { uuidV7 } from './random-ids.ts';

export const newId = (): string => uuidV7();

/**
 * A LIKE pattern matching ids that start with `prefix` taken literally: `%`, `_` and the escape
 * character itself are escaped, so `--account %%%%` matches nothing. Use with `ESCAPE '\'`.
 */
export const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** `column LIKE 'prefix%' ESCAPE '\'`: the rows whose id starts with `prefix` taken literally. */
export const idStartsWith = (column: string, prefix: string): RawBuilder<boolean> =>
  sql<boolean>`${sql.ref(column)} LIKE ${likePrefix(prefix)} ESCAPE '\\'`;

/** Tables whose ids are shown short and given back by prefix. */
export type IdTable = 'accounts' | 'orders' | 'bots' | 'backtests' | 'sweeps';

/**
 * The shortest unique prefix (see core/ids.ts) of each id within its whole table: two indexed
 * look-ups per id (its neighbours in id order), so a short id shown anywhere resolves back to it.
 */
export function shortIdsIn(store: Store, table: IdTable, ids: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const id of ids) {
    if (out.has(id)) continue;
    const prev = store.get(
      store.db
        .selectFrom(table)
        .select((eb) => eb.fn.max<string | null>('id').as('id'))
        .where('id', '<', id),
    )?.id;
    const next = store.get(
      store.db
        .selectFrom(table)
        .select((eb) => eb.fn.min<string | null>('id').as('id'))
        .where('id', '>', id),
    )?.id;
    out.set(id, shortestUniquePrefix(id, [prev, next]));
  }
  return out;
}

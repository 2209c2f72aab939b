/** Time-ordered UUIDs (v7): B-tree inserts append instead of scattering, ids sort by creation. */
import { sql, type RawBuilder } from 'kysely';
import { v7 } from 'uuid';

export const newId = (): string => v7();

/**
 * A LIKE pattern matching ids that start with `prefix` taken literally: `%`, `_` and the escape
 * character itself are escaped, so `--account %%%%` matches nothing. Use with `ESCAPE '\'`.
 */
export const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** `column LIKE 'prefix%' ESCAPE '\'`: the rows whose id starts with `prefix` taken literally. */
export const idStartsWith = (column: string, prefix: string): RawBuilder<boolean> => sql<boolean>`${sql.ref(column)} LIKE ${likePrefix(prefix)} ESCAPE '\\'`;

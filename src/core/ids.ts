/**
 * Ids given back on the command line, like git: the exact id, else a unique prefix of it. One rule
 * for accounts, orders, bots, backtests and sweeps (the store finds the candidates, this decides).
 * Ids are time-ordered UUIDs (v7), so short forms shown in tables are the shortest unique prefix
 * of at least SHORT_ID_MIN characters (see shortestUniquePrefix).
 */
import { NotFoundError, UsageError } from './errors.ts';

/** The fewest characters accepted as an id prefix. */
export const ID_PREFIX_MIN = 4;
/** The fewest characters an id is shown with. */
export const SHORT_ID_MIN = 8;
/** How many candidates the store fetches (one more than an ambiguity message lists). */
export const ID_CANDIDATES = 6;

/** The prefix as looked up (trimmed, lower case), or null when no id can start with it (not hex and dashes). */
export function normalizeIdPrefix(input: string): string | null {
  const p = input.trim().toLowerCase();
  return /^[0-9a-f-]{1,36}$/.test(p) ? p : null;
}

/**
 * Pick the one row whose id is `input` or starts with it. `rows` are the rows whose id starts with
 * the normalised prefix (up to ID_CANDIDATES of them). None: NotFoundError (exit 3); several:
 * UsageError listing them (exit 2); a prefix shorter than ID_PREFIX_MIN: UsageError.
 */
export function pickByIdPrefix<T extends { id: string }>(what: string, input: string, rows: readonly T[], hint: string): T {
  const p = normalizeIdPrefix(input);
  if (p === null) throw new NotFoundError(what, input, hint);
  const exact = rows.find((r) => r.id === p);
  if (exact) return exact;
  if (p.length < ID_PREFIX_MIN)
    throw new UsageError(`${what} id prefix "${input.trim()}" is too short`, `give at least ${ID_PREFIX_MIN} characters; ${hint}`);
  const matching = rows.filter((r) => r.id.startsWith(p));
  if (matching.length === 0) throw new NotFoundError(what, input.trim(), hint);
  if (matching.length > 1) {
    const shown = matching
      .slice(0, ID_CANDIDATES - 1)
      .map((r) => r.id)
      .join(', ');
    throw new UsageError(
      `${what} id prefix "${input.trim()}" is ambiguous: ${shown}${matching.length >= ID_CANDIDATES ? ', ...' : ''}`,
      'give more characters',
    );
  }
  return matching[0] as T;
}

/** Characters `a` and `b` share at the start. */
function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * The shortest prefix of `id` (at least `min` characters) that no other id starts with, given its
 * neighbours in sorted order (the ids just before and after it; only they can share the longest
 * prefix with it). A prefix never ends on a dash.
 */
export function shortestUniquePrefix(id: string, neighbours: readonly (string | null | undefined)[], min = SHORT_ID_MIN): string {
  let n = min;
  for (const other of neighbours) if (other && other !== id) n = Math.max(n, commonPrefixLength(id, other) + 1);
  if (id[n - 1] === '-') n++;
  return id.slice(0, Math.min(n, id.length));
}

/** The shortest unique prefix of each id within `ids` themselves (an in-memory list). */
export function uniquePrefixes(ids: readonly string[], min = SHORT_ID_MIN): Map<string, string> {
  const sorted = [...new Set(ids)].sort();
  const out = new Map<string, string>();
  sorted.forEach((id, i) => out.set(id, shortestUniquePrefix(id, [sorted[i - 1], sorted[i + 1]], min)));
  return out;
}

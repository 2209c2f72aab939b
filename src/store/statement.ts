/**
 * What a prepared statement offers on either database: better-sqlite3's Statement has it, and
 * the PostgreSQL store (pg/store.ts) gives the same over its synchronous bridge. Repositories
 * that run raw SQL (the bulk candle paths) code against this, never against a driver.
 */
export interface RunResult {
  /** Rows the statement inserted, updated or deleted. */
  readonly changes: number;
}

export interface SqlStatement<R = unknown> {
  all(...params: unknown[]): R[];
  get(...params: unknown[]): R | undefined;
  run(...params: unknown[]): RunResult;
  /** Rows as arrays of column values (in select order) instead of objects. */
  raw(toggle?: boolean): SqlStatement<unknown[]>;
  iterate(...params: unknown[]): IterableIterator<R>;
}

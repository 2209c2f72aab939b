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

/** A prepared statement whose rows are typed by the query that built it. */
export type HotStatement<R> = SqlStatement<R>;

export interface OpenOptions {
  /** Apply pending migrations (default true). `db status`/`db rollback` open without. */
  readonly migrate?: boolean;
  /** Busy timeout in ms (default 10 s; PostgreSQL: the writer lock wait, default 30 s): concurrent writers wait instead of failing. */
  readonly busyTimeoutMs?: number;
  /** Create the file when it is missing (default true). Read-only commands pass false: no file is a DatabaseError. */
  readonly create?: boolean;
  /** Called before missing folders are created for a new file; it may throw to refuse (nothing is created then). */
  readonly beforeCreateFolder?: (dir: string) => Promise<void>;
}

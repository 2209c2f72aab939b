/**
 * The PostgreSQL store: the same synchronous calls as the SQLite one (store/db.ts), over one
 * connection driven by the bridge (bridge.ts). The repositories' Kysely queries compile with
 * Kysely's PostgreSQL compiler; raw statements of the bulk candle paths are written with `?`
 * placeholders and get `$n` here.
 *
 * Dialect-specific SQL kept here, each for a reason:
 * - `INSERT OR IGNORE` (what Kysely's orIgnore() compiles to) becomes `... ON CONFLICT DO
 *   NOTHING`, PostgreSQL's spelling of the same thing;
 * - a write transaction takes tunicoin's writer lock first (writer-lock.ts): SQLite's BEGIN
 *   IMMEDIATE, on a server;
 * - every table has a `rowid` identity column (migrations/pg), SQLite's implicit insertion
 *   order that some queries sort by; rows come back without it, as on SQLite.
 */
import {
  CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type Compilable,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import { DatabaseError } from '../../core/errors.ts';
import type { Database } from '../schema.ts';
import type { HotStatement, RunResult, SqlStatement } from '../statement.ts';
import { PgBridgeError, type CopyFields, type PgBridge, type PgResult } from './bridge.ts';
import { beginWrite, LOCK_NOT_AVAILABLE, PG_LOCK_TIMEOUT_MS } from './writer-lock.ts';

/** Server and connection failures (SQLSTATE classes 08, 53, 57 and socket errors): exit 6, not a bug. */
const CONNECTION_CODES = /^(08|53|57P|E[A-Z]+$)/;

function asDatabaseError(e: unknown, label: string): unknown {
  if (e instanceof PgBridgeError && (e.code === undefined || CONNECTION_CODES.test(e.code))) {
    return new DatabaseError(`lost the PostgreSQL server ${label}: ${e.message}`, 'check that the server is up and reachable, then retry');
  }
  return e;
}

/** `?` placeholders (outside quotes) as `$1, $2, ...`; SQLite's INSERT OR IGNORE as ON CONFLICT DO NOTHING. */
export function toPostgresSql(text: string): string {
  let out = text;
  if (out.includes('?')) {
    let n = 0;
    let quote: string | null = null;
    let built = '';
    for (const ch of out) {
      if (quote !== null) {
        if (ch === quote) quote = null;
      } else if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '?') {
        built += `$${++n}`;
        continue;
      }
      built += ch;
    }
    if (n > 0 && /\$\d/.test(text)) throw new Error(`a statement mixes ? and $n placeholders: ${text.slice(0, 80)}`);
    out = built;
  }
  if (/^\s*insert or ignore into/i.test(out)) out = `${out.replace(/^\s*insert or ignore into/i, 'insert into')} on conflict do nothing`;
  return out;
}

/** Rows of a result as objects keyed by column name (without the `rowid` identity column). */
function objects(r: PgResult): Record<string, unknown>[] {
  const { fields, rows } = r;
  const out = new Array<Record<string, unknown>>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as unknown[];
    const o: Record<string, unknown> = {};
    for (let j = 0; j < fields.length; j++) {
      const f = fields[j] as string;
      if (f !== 'rowid') o[f] = row[j];
    }
    out[i] = o;
  }
  return out;
}

/** better-sqlite3 binds an array argument as the list of parameters; so does this. */
const flat = (params: unknown[]): unknown[] => (params.length === 1 && Array.isArray(params[0]) ? (params[0] as unknown[]) : params);

class PgStatement implements SqlStatement {
  constructor(
    private readonly store: PgStore,
    private readonly text: string,
    private readonly arrays = false,
  ) {}
  all(...params: unknown[]): never[] {
    const r = this.store.query(this.text, flat(params));
    return (this.arrays ? r.rows : objects(r)) as never[];
  }
  get(...params: unknown[]): never {
    return this.all(...params)[0] as never;
  }
  run(...params: unknown[]): RunResult {
    return { changes: this.store.query(this.text, flat(params)).rowCount };
  }
  raw(toggle = true): SqlStatement<unknown[]> {
    return new PgStatement(this.store, this.text, toggle);
  }
  iterate(...params: unknown[]): IterableIterator<never> {
    return this.all(...params)[Symbol.iterator]();
  }
}

export class PgStore {
  readonly dialect = 'postgres' as const;
  private builder: Kysely<Database> | undefined;
  private kyselyInstance: Kysely<Database> | undefined;
  private readonly statements = new Map<string, PgStatement>();
  private depth = 0;

  /** `path` is the URL without its password: what messages and --json show. */
  constructor(
    readonly bridge: PgBridge,
    readonly path: string,
    readonly url: string,
    readonly serverVersion: number,
    /**
     * How long a writer waits for the writer lock, then exit 6: SQLite's busy timeout, but 30 s
     * by default, not 10: on a server every statement is a round trip, so a day's slice of
     * `market advance` holds the lock for seconds while a class's orders queue behind it.
     */
    readonly lockTimeoutMs = PG_LOCK_TIMEOUT_MS,
  ) {}

  /** The query builder (build and compile only; run the query with all/get/run). */
  get db(): Kysely<Database> {
    return (this.builder ??= new Kysely<Database>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (db) => new PostgresIntrospector(db),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    }));
  }

  /** Kysely executing on this connection (the migrations' `up`/`down` use it). */
  kysely(): Promise<Kysely<Database>> {
    const connection: DatabaseConnection = {
      executeQuery: <R>(q: CompiledQuery): Promise<QueryResult<R>> => {
        const r = this.query(q.sql, q.parameters);
        return Promise.resolve({ rows: objects(r) as R[], numAffectedRows: BigInt(r.rowCount) });
      },
      streamQuery: () => {
        throw new Error('streaming is not used by the migrations');
      },
    };
    const driver: Driver = {
      init: () => Promise.resolve(),
      acquireConnection: () => Promise.resolve(connection),
      beginTransaction: () => Promise.resolve(this.exec('BEGIN')),
      commitTransaction: () => Promise.resolve(this.exec('COMMIT')),
      rollbackTransaction: () => Promise.resolve(this.exec('ROLLBACK')),
      releaseConnection: () => Promise.resolve(),
      destroy: () => Promise.resolve(),
    };
    return Promise.resolve(
      (this.kyselyInstance ??= new Kysely<Database>({
        dialect: {
          createAdapter: () => new PostgresAdapter(),
          createDriver: () => driver,
          createIntrospector: (db) => new PostgresIntrospector(db),
          createQueryCompiler: () => new PostgresQueryCompiler(),
        },
      })),
    );
  }

  /** One statement (`$n` placeholders); connection failures become a DatabaseError (exit 6). */
  query(text: string, params: readonly unknown[] = []): PgResult {
    try {
      return this.bridge.query(text, params);
    } catch (e) {
      throw asDatabaseError(e, this.path);
    }
  }

  exec(text: string): void {
    try {
      this.bridge.exec(text);
    } catch (e) {
      throw asDatabaseError(e, this.path);
    }
  }

  /** `COPY table (cols) FROM STDIN` with rows in COPY's text format; returns the rows copied. */
  copyIn(text: string, data: string): number {
    try {
      return this.bridge.copyIn(text, data);
    } catch (e) {
      throw asDatabaseError(e, this.path);
    }
  }

  /**
   * `COPY (query) TO STDOUT (FORMAT binary)` read in the bridge's worker straight into one
   * Float64Array per column (int8 or float8 columns, no NULLs); the query bounds the rows.
   */
  copyOutColumns(text: string, types: readonly ('int8' | 'float8')[]): { n: number; columns: Float64Array[] } {
    try {
      return this.bridge.copyOutColumns(text, types);
    } catch (e) {
      throw asDatabaseError(e, this.path);
    }
  }

  /** `COPY (query) TO STDOUT (FORMAT binary)` returned raw: the stream's bytes and each field's place in it (bridge.ts). */
  copyOutFields(text: string): CopyFields {
    try {
      return this.bridge.copyOutFields(text);
    } catch (e) {
      throw asDatabaseError(e, this.path);
    }
  }

  /** A raw statement (written with `?` placeholders, as for SQLite), prepared once per connection. */
  prepare(text: string): SqlStatement {
    let st = this.statements.get(text);
    if (!st) {
      st = new PgStatement(this, toPostgresSql(text));
      this.statements.set(text, st);
    }
    return st;
  }

  all<R>(query: Compilable<R>): R[] {
    const c = query.compile();
    return objects(this.query(toPostgresSql(c.sql), c.parameters)) as R[];
  }

  get<R>(query: Compilable<R>): R | undefined {
    return this.all(query)[0];
  }

  run(query: Compilable<unknown>): RunResult {
    const c = query.compile();
    return { changes: this.query(toPostgresSql(c.sql), c.parameters).rowCount };
  }

  /** A statement built with Kysely once per connection, values as `param()` placeholders. */
  hotStatement<R>(key: string, build: (db: Kysely<Database>) => Compilable<R>): HotStatement<R> {
    const k = `hot:${key}`;
    let st = this.statements.get(k);
    if (!st) {
      st = new PgStatement(this, toPostgresSql(build(this.db).compile().sql));
      this.statements.set(k, st);
    }
    return st;
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  /**
   * One write transaction: the writer lock first (see the top of this file), then `fn`, then
   * COMMIT; any throw rolls back. Nested calls are savepoints, as better-sqlite3's are.
   */
  tx<T>(fn: () => T): T {
    return this.transaction(fn, beginWrite(this.lockTimeoutMs));
  }

  /** `fn` in one read snapshot (REPEATABLE READ), or the caller's transaction. */
  snapshot<T>(fn: () => T): T {
    return this.depth > 0 ? fn() : this.transaction(fn, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  private transaction<T>(fn: () => T, begin: string): T {
    const savepoint = this.depth > 0 ? `tunicoin_sp${this.depth}` : null;
    if (savepoint) this.exec(`SAVEPOINT ${savepoint}`);
    else this.begin(begin);
    this.depth++;
    let out: T;
    try {
      out = fn();
    } catch (e) {
      this.depth--;
      try {
        this.exec(savepoint ? `ROLLBACK TO SAVEPOINT ${savepoint}` : 'ROLLBACK');
      } catch {
        // the connection is gone: the server rolls back on its own
      }
      throw e;
    }
    this.depth--;
    // a failed COMMIT leaves nothing behind: the server has rolled the transaction back
    this.exec(savepoint ? `RELEASE SAVEPOINT ${savepoint}` : 'COMMIT');
    return out;
  }

  /** BEGIN (and the writer lock); a lock not granted in time is a DatabaseError, as SQLite's busy database is. */
  private begin(text: string): void {
    try {
      this.bridge.exec(text);
    } catch (e) {
      try {
        this.bridge.exec('ROLLBACK');
      } catch {
        // the connection is gone: nothing to roll back
      }
      if (e instanceof PgBridgeError && e.code === LOCK_NOT_AVAILABLE)
        throw new DatabaseError(
          `the database stayed locked by another tunicoin client for ${this.lockTimeoutMs / 1000} s; try again`,
          'another client holds a long write (a market advance, an import); see pg_stat_activity on the server',
        );
      throw asDatabaseError(e, this.path);
    }
  }

  close(): void {
    this.statements.clear();
    this.bridge.close();
  }
}

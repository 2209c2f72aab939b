/**
 * Opening the database: refuse what is not ours, create what is missing (owner-only), set the
 * pragmas, and bring the schema up to date. Umzug is loaded only when a migration is pending,
 * so everyday commands pay for a single `SELECT name FROM schema_migrations`.
 */
import BetterSqlite3 from 'better-sqlite3';
import {
  DefaultConnectionProvider,
  DefaultQueryExecutor,
  DummyDriver,
  QueryCreator,
  sql,
  SqliteAdapter,
  SqliteQueryCompiler,
  type Compilable,
  type Kysely,
  type RawBuilder,
} from 'kysely';
import { DatabaseError } from '../core/errors.ts';
import type { Database } from './schema.ts';
import { MIGRATION_NAMES } from '../../migrations/names.ts';
import { appliedMigrations } from './schema-migrations.ts';
import { assertSqliteFile, createFile, statOrNull } from './sqlite-file.ts';
import { nativeBinding } from './sqlite-addon.ts';
import type { HotStatement, OpenOptions, RunResult, SqlStatement } from './statement.ts';

export type { HotStatement, OpenOptions };
import type { PgStore } from './pg/store.ts';
import { isPostgresUrl } from './db-target.ts';

export { isPostgresUrl };

/**
 * Every statement is written with Kysely's query builder over the typed schema (schema.ts) and
 * run here. Building is synchronous (`store.db` has a dummy driver: it only builds and compiles)
 * and so is execution: better-sqlite3 runs the compiled SQL, each statement prepared once per
 * connection and cached by its SQL text. SQLite stays synchronous on purpose: a write is one
 * BEGIN IMMEDIATE transaction (store.tx) around plain calls, with no promise per statement on
 * the hot paths (a fill, a candle). The PostgreSQL issue (16) adds an async executor for the
 * same builders; the repositories' queries do not change. See README.md in this folder.
 */
export class SqliteStore {
  readonly dialect = 'sqlite' as const;
  private builder: Kysely<Database> | undefined;
  private kyselyInstance: Kysely<Database> | undefined;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private readonly hot = new Map<string, BetterSqlite3.Statement>();

  constructor(
    readonly sqlite: BetterSqlite3.Database,
    readonly path: string,
  ) {}

  /**
   * The query builder (build and compile only; run the query with all/get/run). Made on first use.
   * Kysely's QueryCreator, the part of Kysely that builds queries (selectFrom, insertInto,
   * updateTable, deleteFrom, with...), typed as Kysely for the repositories' signatures: the
   * Kysely class would load its schema, migration and transaction modules at every start.
   */
  get db(): Kysely<Database> {
    return (this.builder ??= new QueryCreator<Database>({
      executor: new DefaultQueryExecutor(
        new SqliteQueryCompiler(),
        new SqliteAdapter(),
        new DefaultConnectionProvider(new DummyDriver()),
        [],
      ),
    }) as unknown as Kysely<Database>);
  }

  /** Kysely executing on this connection, asynchronously (the migrations' `up`/`down` use it); loaded on first use. */
  async kysely(): Promise<Kysely<Database>> {
    const { Kysely, SqliteDialect } = await import('kysely');
    return (this.kyselyInstance ??= new Kysely<Database>({ dialect: new SqliteDialect({ database: this.sqlite }) }));
  }

  /** better-sqlite3's statement for this SQL text, prepared once per connection. */
  prepare(sqlText: string): SqlStatement {
    let st = this.statements.get(sqlText);
    if (!st) {
      st = this.sqlite.prepare(sqlText);
      this.statements.set(sqlText, st);
    }
    return st as unknown as SqlStatement;
  }

  /** Every row of a built query, typed by the builder. */
  all<R>(query: Compilable<R>): R[] {
    const c = query.compile();
    return this.prepare(c.sql).all(...(c.parameters as unknown[])) as R[];
  }

  /** The first row of a built query, or undefined. */
  get<R>(query: Compilable<R>): R | undefined {
    const c = query.compile();
    return this.prepare(c.sql).get(...(c.parameters as unknown[])) as R | undefined;
  }

  /** Run a built write; `changes` is the number of rows it touched. */
  run(query: Compilable<unknown>): RunResult {
    const c = query.compile();
    return this.prepare(c.sql).run(...(c.parameters as unknown[]));
  }

  /**
   * Hot path (bulk candle reads and writes): a statement built with Kysely ONCE per connection,
   * its values left as positional `?` placeholders (`param()`), then run with plain arguments in
   * placeholder order: no builder work per row. SQLite-specific; a repository keeps it private.
   */
  hotStatement<R>(key: string, build: (db: Kysely<Database>) => Compilable<R>): HotStatement<R> {
    let st = this.hot.get(key);
    // not in the shared cache: a hot statement may be switched to raw (array) rows
    if (!st) {
      st = this.sqlite.prepare(hotSql(key, () => build(this.db)));
      this.hot.set(key, st);
    }
    return st as unknown as HotStatement<R>;
  }

  /** One write transaction (BEGIN IMMEDIATE: take the write lock up front, wait via busy_timeout). */
  tx<T>(fn: () => T): T {
    return this.sqlite.transaction(fn).immediate();
  }

  /** Run `fn` in one read snapshot (a deferred transaction, or the caller's). */
  snapshot<T>(fn: () => T): T {
    return this.sqlite.inTransaction ? fn() : this.sqlite.transaction(fn).deferred();
  }

  get inTransaction(): boolean {
    return this.sqlite.inTransaction;
  }

  /** Statements without parameters or results (transaction control, DDL). */
  exec(sqlText: string): void {
    this.sqlite.exec(sqlText);
  }

  close(): void {
    this.statements.clear();
    this.hot.clear();
    if (this.sqlite.open) this.sqlite.close();
  }
}

/**
 * The SQLite text of each hot statement, by key, for the whole process: a key always builds the
 * same statement, so Kysely builds and compiles it once, not once per connection (a command in
 * a process that opens many databases, e.g. the tests and `npm run bench`, pays it once).
 */
const hotSqlTexts = new Map<string, string>();

function hotSql(key: string, build: () => Compilable<unknown>): string {
  let text = hotSqlTexts.get(key);
  if (text === undefined) {
    const c = build().compile();
    // every value of a hot statement is a param(): a bound value would be lost here
    if (c.parameters.length > 0) throw new Error(`hot statement ${key} has bound values: use param()`);
    text = c.sql;
    hotSqlTexts.set(key, text);
  }
  return text;
}

/** A positional placeholder in a hot statement (see Store.hotStatement): its value comes at run time. */
export const param = <T>(): RawBuilder<T> => sql.raw<T>('?');

/**
 * An open database: the embedded SQLite file (the default) or a PostgreSQL server (pg/store.ts,
 * loaded only for a postgres:// URL). Both offer the same synchronous calls; `dialect` tells
 * them apart where SQL must differ (each such place says why).
 */
export type Store = SqliteStore | PgStore;

/**
 * tunicoin's marker is its `schema_migrations` table naming at least one of its migrations. A
 * database holding anything else and no marker belongs to another application: refused, untouched.
 */
export function assertOurs(sqlite: BetterSqlite3.Database, applied: readonly string[], path: string): void {
  if (applied.length > 0) return;
  const objects = sqlite.prepare("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'").all() as {
    name: string;
  }[];
  if (objects.length > 0) {
    throw new DatabaseError(
      `${path} is another application's SQLite database (it has ${objects.length} table(s)/index(es), e.g. "${objects[0]?.name}", and no tunicoin schema); it was left untouched`,
      'pass --db with a new or tunicoin file path',
    );
  }
}

/** Refuse a database migrated by a newer tunicoin: it may hold data this binary would misread. */
export function assertNotNewer(applied: readonly string[], path: string): void {
  const unknown = applied.filter((n) => !MIGRATION_NAMES.includes(n));
  if (unknown.length > 0 && unknown.length === applied.length && !applied.some((n) => /^\d{3}_[a-z0-9_]+$/.test(n))) {
    throw new DatabaseError(
      `${path} is another application's SQLite database (its migrations are not tunicoin's); it was left untouched`,
      'pass --db with a new or tunicoin file path',
    );
  }
  if (unknown.length > 0) {
    throw new DatabaseError(
      `${path} has a schema newer than this tunicoin (unknown migration ${unknown[0]}); it was left untouched`,
      'upgrade tunicoin, or use another --db',
    );
  }
}

/**
 * A second, read-only connection to an open database (a worker thread's): no checks nor
 * migrations, the opener has done them.
 */
export async function openForReading(path: string): Promise<Store> {
  if (isPostgresUrl(path)) return openStore(path, { migrate: false, create: false });
  return new SqliteStore(new BetterSqlite3(path, { readonly: true, timeout: 10_000, nativeBinding: nativeBinding() }), path);
}

export async function openStore(path: string, opts: OpenOptions = {}): Promise<Store> {
  if (isPostgresUrl(path)) {
    const { openPgStore } = await import('./pg/open.ts');
    return openPgStore(path, opts);
  }
  return openSqliteStore(path, opts);
}

/** The embedded SQLite file at `path` (see openStore). */
export async function openSqliteStore(path: string, opts: OpenOptions = {}): Promise<SqliteStore> {
  if (path.trim() === '') throw new DatabaseError('the database path is empty', 'pass --db PATH or set TUNICOIN_DB');
  const st = statOrNull(path);
  if (st) assertSqliteFile(path, st);
  else if (opts.create === false)
    throw new DatabaseError(`there is no database at ${path}`, 'create it with `tunicoin seed`, or pass --db with an existing file');
  else await createFile(path, opts.beforeCreateFolder);
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = new BetterSqlite3(path, { timeout: opts.busyTimeoutMs ?? 10_000, nativeBinding: nativeBinding() });
  } catch (e) {
    throw new DatabaseError(`cannot open ${path}: ${(e as Error).message}`);
  }
  const store = new SqliteStore(sqlite, path);
  try {
    const applied = appliedMigrations(store);
    assertNotNewer(applied, path);
    assertOurs(sqlite, applied, path);
    // One call for the three (better-sqlite3's pragma() prepares a statement each). Durability:
    // WAL with synchronous = NORMAL does not fsync at COMMIT; the WAL is fsynced before every
    // checkpoint (automatic at 1000 pages, and at the close of the last connection: fsync WAL,
    // copy, fsync the file), so a command alone on the file has its writes on disk when it
    // exits; with other processes attached, by the next checkpoint. A power cut can lose the
    // latest commits, never consistency. SQLite also fsyncs a new WAL's header and folder at
    // the first write after a checkpoint emptied it (that ordering is what keeps it consistent).
    // temp_store = MEMORY: the statement journal of a multi-row INSERT (insertCandles: it undoes
    // the statement's own rows on a failed constraint) is kept in memory; with the default it
    // spills past 64 KB to a temporary file, two to three times the WAL's writes of a bulk write.
    // tunicoin makes no temporary tables.
    sqlite.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY');
    if (opts.migrate !== false && applied.length < MIGRATION_NAMES.length) {
      const { migrateUp } = await import('./migrator.ts');
      await migrateUp(store);
    }
    return store;
  } catch (e) {
    store.close();
    if (e instanceof DatabaseError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new DatabaseError(`${path} is not a valid SQLite database (${code}); it was left untouched`);
    }
    if (typeof code === 'string' && /^SQLITE_(READONLY|CANTOPEN|IOERR|FULL|PERM|AUTH)/.test(code)) {
      throw new DatabaseError(`cannot write ${path} (${code})`, 'check the file permissions or pass --db');
    }
    throw e;
  }
}

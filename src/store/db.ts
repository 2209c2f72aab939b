/**
 * Opening the database: refuse what is not ours, create what is missing (owner-only), set the
 * pragmas, and bring the schema up to date. Umzug is loaded only when a migration is pending,
 * so everyday commands pay for a single `SELECT name FROM schema_migrations`.
 */
import { closeSync, constants, existsSync, mkdirSync, openSync, readSync, statSync, accessSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Compilable, Kysely } from 'kysely';
import { DatabaseError } from '../core/errors.ts';
import type { Database } from './schema.ts';
import { MIGRATION_NAMES } from '../../migrations/names.ts';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

export interface OpenOptions {
  /** Apply pending migrations (default true). `db status`/`db rollback` open without. */
  readonly migrate?: boolean;
  /** Busy timeout in ms (default 10 s): concurrent writers wait instead of failing. */
  readonly busyTimeoutMs?: number;
}

/** A Kysely query run synchronously: Kysely builds and types it, better-sqlite3 executes it. */
export class Store {
  private kyselyInstance: Kysely<Database> | undefined;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(readonly sqlite: BetterSqlite3.Database, readonly path: string) {}

  /** The Kysely query builder on this connection, loaded on first use (migrations use it). */
  async kysely(): Promise<Kysely<Database>> {
    if (!this.kyselyInstance) {
      const { Kysely, SqliteDialect } = await import('kysely');
      this.kyselyInstance = new Kysely<Database>({ dialect: new SqliteDialect({ database: this.sqlite }) });
    }
    return this.kyselyInstance;
  }

  prepare(sql: string): BetterSqlite3.Statement {
    let st = this.statements.get(sql);
    if (!st) { st = this.sqlite.prepare(sql); this.statements.set(sql, st); }
    return st;
  }

  all<R>(query: Compilable<R>): R[] {
    const c = query.compile();
    return this.prepare(c.sql).all(...(c.parameters as unknown[])) as R[];
  }

  get<R>(query: Compilable<R>): R | undefined {
    const c = query.compile();
    return this.prepare(c.sql).get(...(c.parameters as unknown[])) as R | undefined;
  }

  run(query: Compilable<unknown>): BetterSqlite3.RunResult {
    const c = query.compile();
    return this.prepare(c.sql).run(...(c.parameters as unknown[]));
  }

  /** One write transaction (BEGIN IMMEDIATE: take the write lock up front, wait via busy_timeout). */
  tx<T>(fn: () => T): T {
    return this.sqlite.transaction(fn).immediate();
  }

  close(): void {
    this.statements.clear();
    if (this.sqlite.open) this.sqlite.close();
  }
}

function assertSqliteFile(path: string): void {
  const size = statSync(path).size;
  if (size === 0) return; // SQLite treats an empty file as a new database
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    if (n < 16 || buf.toString('latin1') !== SQLITE_MAGIC) {
      throw new DatabaseError(`${path} is not a tunicoin database (not a SQLite file); it was left untouched`,
        'pass --db with another path, or move the file away');
    }
  } finally {
    closeSync(fd);
  }
}

function createFile(path: string): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new DatabaseError(`cannot create the database in ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      'pass --db with a writable path or set TUNICOIN_DB');
  }
  try {
    closeSync(openSync(path, 'wx', 0o600)); // owner-only from the first byte
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new DatabaseError(`cannot create ${path}: ${(e as NodeJS.ErrnoException).code}`, 'pass --db with a writable path');
    }
  }
}

/** Names of applied migrations, [] for a fresh file. */
export function appliedMigrations(sqlite: BetterSqlite3.Database): string[] {
  try {
    return (sqlite.prepare('SELECT name FROM schema_migrations ORDER BY name').all() as { name: string }[]).map((r) => r.name);
  } catch (e) {
    if (/no such table/.test((e as Error).message)) return [];
    throw e;
  }
}

/** Refuse a database migrated by a newer tunicoin: it may hold data this binary would misread. */
export function assertNotNewer(applied: readonly string[], path: string): void {
  const unknown = applied.filter((n) => !MIGRATION_NAMES.includes(n));
  if (unknown.length > 0) {
    throw new DatabaseError(`${path} has a schema newer than this tunicoin (unknown migration ${unknown[0]}); it was left untouched`,
      'upgrade tunicoin, or use another --db');
  }
}

export async function openStore(path: string, opts: OpenOptions = {}): Promise<Store> {
  if (existsSync(path)) assertSqliteFile(path);
  else createFile(path);
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = new BetterSqlite3(path, { timeout: opts.busyTimeoutMs ?? 10_000 });
  } catch (e) {
    throw new DatabaseError(`cannot open ${path}: ${(e as Error).message}`);
  }
  const store = new Store(sqlite, path);
  try {
    const applied = appliedMigrations(sqlite);
    assertNotNewer(applied, path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
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
    if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN') {
      throw new DatabaseError(`cannot write ${path} (${code})`, 'check the file permissions or pass --db');
    }
    throw e;
  }
}

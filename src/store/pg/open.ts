/**
 * Opening a PostgreSQL database (`--db postgres://user@host/db`): connect, refuse what is not
 * ours or too old, bring the schema up to date. Every refusal is one clear DatabaseError (exit 6)
 * with nothing written. Loaded only for a PostgreSQL URL, so SQLite start-up never pays for it.
 */
import { DatabaseError } from '../../core/errors.ts';
import type { OpenOptions } from '../statement.ts';
import { appliedMigrations } from '../schema-migrations.ts';
import { PG_MIGRATION_NAMES } from '../../../migrations/pg/index.ts';
import { PgBridge, PgBridgeError } from './bridge.ts';
import { PgStore } from './store.ts';

/** The oldest server tunicoin runs on (13: the oldest PostgreSQL still maintained when written). */
export const MIN_SERVER_VERSION = 130000;

/**
 * The refusal for a server older than PostgreSQL 13 (`version`: server_version_num, e.g.
 * 120015), or null when it is new enough. Pure, so that it is tested without an old server.
 */
export function serverVersionError(version: number, where: string): DatabaseError | null {
  if (Number.isFinite(version) && version >= MIN_SERVER_VERSION) return null;
  const major = Number.isFinite(version) && version > 0 ? String(Math.floor(version / 10000)) : 'unknown';
  return new DatabaseError(
    `the PostgreSQL server at ${where} runs version ${major}; tunicoin needs PostgreSQL 13 or newer`,
    'upgrade the server, or use the embedded SQLite file (leave --db out)',
  );
}

/** The URL as shown in messages: its password replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

interface Target {
  readonly where: string;
  readonly user: string;
  readonly database: string;
}

function parse(url: string): Target {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DatabaseError(`${redactUrl(url)} is not a valid PostgreSQL URL`, 'e.g. --db postgres://user:password@host:5432/tunicoin');
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  return {
    where: `${u.hostname || 'localhost'}:${u.port || '5432'}`,
    user: decodeURIComponent(u.username) || process.env.PGUSER || process.env.USER || 'postgres',
    database: database || decodeURIComponent(u.username) || 'postgres',
  };
}

/** The reason a connection failed, as one line a user can act on. */
function connectError(e: unknown, t: Target): DatabaseError {
  const code = e instanceof PgBridgeError ? e.code : undefined;
  const msg = e instanceof Error ? e.message : String(e);
  if (code === '28P01' || code === '28000')
    return new DatabaseError(
      `the PostgreSQL server at ${t.where} refused user "${t.user}" (wrong password or no access to database "${t.database}")`,
      'check the user and password in the URL (or PGPASSWORD), and pg_hba.conf on the server',
    );
  if (code === '3D000')
    return new DatabaseError(
      `there is no database "${t.database}" on the PostgreSQL server at ${t.where}`,
      `create it first (createdb ${t.database}), or name another database in the URL`,
    );
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT')
    return new DatabaseError(
      `cannot reach the PostgreSQL server at ${t.where} (${code})`,
      'check the host and port, and that the server is running',
    );
  if (/timeout/i.test(msg))
    return new DatabaseError(`cannot reach the PostgreSQL server at ${t.where} (no answer in 10 s)`, 'check the host and port');
  return new DatabaseError(`cannot connect to the PostgreSQL server at ${t.where}: ${msg}`);
}

/** Tables of the connection's schema that are not tunicoin's bookkeeping. */
function otherTables(store: PgStore): string[] {
  return store
    .query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'schema_migrations' ORDER BY 1",
    )
    .rows.map((r) => String(r[0]));
}

export async function openPgStore(url: string, opts: OpenOptions = {}): Promise<PgStore> {
  const target = parse(url);
  const label = redactUrl(url);
  const bridge = new PgBridge();
  let version: number;
  try {
    version = bridge.connect(url);
  } catch (e) {
    bridge.close();
    throw connectError(e, target);
  }
  const store = new PgStore(bridge, label, url, version, opts.busyTimeoutMs);
  try {
    const tooOld = serverVersionError(version, target.where);
    if (tooOld) throw tooOld;
    const applied = appliedMigrations(store);
    const unknown = applied.filter((n) => !PG_MIGRATION_NAMES.includes(n));
    if (unknown.length > 0 && unknown.length === applied.length)
      throw new DatabaseError(
        `database "${target.database}" at ${target.where} belongs to another application (its migrations are not tunicoin's); it was left untouched`,
        'name a new or tunicoin database in the URL',
      );
    if (unknown.length > 0)
      throw new DatabaseError(
        `database "${target.database}" at ${target.where} has a schema newer than this tunicoin (unknown migration ${unknown[0]}); it was left untouched`,
        'upgrade tunicoin, or use another database',
      );
    if (applied.length === 0) {
      const others = otherTables(store);
      if (others.length > 0)
        throw new DatabaseError(
          `database "${target.database}" at ${target.where} is another application's (it has ${others.length} table(s), e.g. "${others[0]}", and no tunicoin schema); it was left untouched`,
          'name a new or tunicoin database in the URL',
        );
      // an empty database is a missing file's twin for the commands that only read (exit 6);
      // those that manage the schema (db status/migrate/rollback: migrate false) see it as all pending
      if (opts.create === false && opts.migrate !== false)
        throw new DatabaseError(
          `database "${target.database}" at ${target.where} has no tunicoin data yet`,
          `create it with \`tunicoin seed --db ${label}\``,
        );
    }
    if (opts.migrate !== false && applied.length < PG_MIGRATION_NAMES.length) {
      const { migrateUp } = await import('../migrator.ts');
      await migrateUp(store);
    }
    return store;
  } catch (e) {
    store.close();
    throw e;
  }
}

/**
 * Bad PostgreSQL targets through the CLI (issue 16, "Bad input"): an unreachable server, wrong
 * credentials, a database that does not exist, another application's database, a server older
 * than PostgreSQL 13, an invalid URL, a database with a newer tunicoin schema, and a connection
 * lost mid-command. Each is exit 6 with one clear line, and nothing is written.
 */
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { serverVersionError, MIN_SERVER_VERSION } from '../../src/store/pg/open.ts';
import { PgBridge } from '../../src/store/pg/bridge.ts';
import { openStore } from '../../src/store/db.ts';
import { DatabaseError } from '../../src/core/errors.ts';
import { json, runCli, type CliResult } from '../helpers/cli.ts';
import { freshPgDatabase, pgServerUrl } from '../helpers/pg.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function fresh(): Promise<string> {
  const db = await freshPgDatabase('bad');
  cleanups.push(db.drop);
  return db.url;
}

async function sql<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

const tables = async (url: string) =>
  (await sql<{ t: string }>(url, "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")).map(
    (r) => r.t,
  );

/** Exit 6, nothing on stdout, exactly one line on stderr that says `what`. */
function refused(r: CliResult, what: RegExp): string {
  expect(r.code, r.stderr).toBe(6);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(what);
  return lines[0]!;
}

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

describe('the server version check', () => {
  it('accepts 13 and newer, refuses older servers naming the version', () => {
    expect(MIN_SERVER_VERSION).toBe(130000);
    expect(serverVersionError(130000, 'h:5432')).toBeNull();
    expect(serverVersionError(150004, 'h:5432')).toBeNull();
    expect(serverVersionError(170000, 'h:5432')).toBeNull();
    const old = serverVersionError(120015, 'db.example:5432');
    expect(old).toBeInstanceOf(DatabaseError);
    expect(old?.message).toBe('the PostgreSQL server at db.example:5432 runs version 12; tunicoin needs PostgreSQL 13 or newer');
    expect(serverVersionError(90624, 'h:1')?.message).toMatch(/runs version 9;/);
    expect(serverVersionError(Number.NaN, 'h:1')?.message).toMatch(/runs version unknown;/);
  });
});

describe('bad PostgreSQL targets: exit 6, one line, nothing written', () => {
  it('an unreachable server', async () => {
    const line = refused(
      await runCli(['seed'], { db: 'postgres://tunicoin:secret@127.0.0.1:1/tunicoin' }),
      /cannot reach the PostgreSQL server at 127\.0\.0\.1:1/,
    );
    expect(line).not.toContain('secret');
    // the same through TUNICOIN_DB
    refused(
      await runCli(['account'], { env: { TUNICOIN_DB: 'postgres://tunicoin@127.0.0.1:1/tunicoin' } }),
      /cannot reach the PostgreSQL server/,
    );
  });

  it('wrong credentials, without echoing the password', async () => {
    const db = await fresh();
    const u = new URL(db);
    u.password = 'not-the-password';
    const line = refused(await runCli(['seed'], { db: u.toString() }), /refused user "tunicoin"/);
    expect(line).not.toContain('not-the-password');
    expect(await tables(db)).toEqual([]);
  });

  it('a database that does not exist (and is not created)', async () => {
    const name = `tunicoin_missing_${process.pid}`;
    refused(await runCli(['seed'], { db: withDatabase(pgServerUrl(), name) }), new RegExp(`there is no database "${name}"`));
    expect(await sql(pgServerUrl(), 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).toEqual([]);
  });

  it("another application's database", async () => {
    const db = await fresh();
    await sql(db, 'CREATE TABLE invoices (id int PRIMARY KEY, total numeric)');
    await sql(db, 'INSERT INTO invoices VALUES (1, 9.5)');
    for (const args of [['seed'], ['account', 'create', 'x'], ['order', 'buy', 'BTC-USD', '1'], ['db', 'migrate']])
      refused(await runCli(args, { db }), /is another application's .*"invoices".*left untouched/);
    expect(await tables(db)).toEqual(['invoices']);
    expect(await sql(db, 'SELECT id, total FROM invoices')).toEqual([{ id: 1, total: '9.5' }]);
  });

  it("another application's migrations table", async () => {
    const db = await fresh();
    await sql(db, 'CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at text)');
    await sql(db, "INSERT INTO schema_migrations VALUES ('20240101_create_users', '2024-01-01')");
    refused(await runCli(['seed'], { db }), /belongs to another application/);
    expect(await tables(db)).toEqual(['schema_migrations']);
  });

  it('a server older than PostgreSQL 13 (its version stubbed)', async () => {
    const db = await fresh();
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the instance's `this` below
    const connect = PgBridge.prototype.connect;
    vi.spyOn(PgBridge.prototype, 'connect').mockImplementation(function (this: PgBridge, url: string, timeoutMs?: number) {
      connect.call(this, url, timeoutMs);
      return 120015;
    });
    refused(await runCli(['seed'], { db }), /runs version 12; tunicoin needs PostgreSQL 13 or newer/);
    expect(await tables(db)).toEqual([]);
  });

  it('an invalid URL', async () => {
    refused(await runCli(['account'], { db: 'postgres://tunicoin:pw@127.0.0.1:notaport/x' }), /is not a valid PostgreSQL URL/);
    refused(await runCli(['account'], { db: 'postgres://[bad/x' }), /is not a valid PostgreSQL URL/);
  });

  it('a database with a newer tunicoin schema', async () => {
    const db = await fresh();
    expect((await runCli(['seed', '--days', '1', '--instruments', 'BTC-USD'], { db })).code).toBe(0);
    const applied = await sql(db, 'SELECT name FROM schema_migrations ORDER BY name');
    await sql(db, "INSERT INTO schema_migrations (name, applied_at) VALUES ('999_from_the_future', '2030-01-01T00:00:00Z')");
    const orders = await sql(db, 'SELECT COUNT(*)::int AS n FROM orders');
    for (const args of [['order', 'buy', 'BTC-USD', '0.01'], ['db', 'migrate'], ['account']])
      refused(await runCli(args, { db }), /has a schema newer than this tunicoin \(unknown migration 999_from_the_future\)/);
    expect(await sql(db, 'SELECT COUNT(*)::int AS n FROM orders')).toEqual(orders);
    expect(await sql(db, "SELECT name FROM schema_migrations WHERE name <> '999_from_the_future' ORDER BY name")).toEqual(applied);
  });
});

describe('a connection lost mid-command', () => {
  it('is exit 6 and the half-done order is rolled back by the server', async () => {
    const db = await fresh();
    expect((await runCli(['seed', '--days', '1', '--instruments', 'BTC-USD'], { db })).code).toBe(0);
    const before = await sql(db, 'SELECT (SELECT COUNT(*)::int FROM orders) AS o, (SELECT COUNT(*)::int FROM ledger_entries) AS e');
    // the order's INSERT is the step after which the server ends the connection: the killer is a
    // second (synchronous) connection, the pid that of the CLI's own
    const admin = new PgBridge();
    admin.connect(pgServerUrl());
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the instance's `this` below
    const query = PgBridge.prototype.query;
    let killed = 0;
    vi.spyOn(PgBridge.prototype, 'query').mockImplementation(function (this: PgBridge, text: string, params?: readonly unknown[]) {
      if (this !== admin && killed === 0 && /^insert into "orders"/i.test(text)) {
        killed++;
        const pid = query.call(this, 'SELECT pg_backend_pid()').rows[0]![0];
        query.call(admin, 'SELECT pg_terminate_backend($1)', [pid]);
      }
      return query.call(this, text, params);
    });
    try {
      refused(await runCli(['order', 'buy', 'BTC-USD', '0.01'], { db }), /lost the PostgreSQL server/);
    } finally {
      admin.close();
    }
    expect(killed).toBe(1);
    vi.restoreAllMocks();
    expect(await sql(db, 'SELECT (SELECT COUNT(*)::int FROM orders) AS o, (SELECT COUNT(*)::int FROM ledger_entries) AS e')).toEqual(
      before,
    );
    const verify = await runCli(['ledger', 'verify', '--json'], { db });
    expect(json<{ ok: boolean }>(verify).ok).toBe(true);
  });

  it('a store whose backend was terminated fails its next transaction with a DatabaseError', async () => {
    const db = await fresh();
    const store = await openStore(db);
    try {
      if (store.dialect !== 'postgres') throw new Error('expected a PostgreSQL store');
      const pid = store.query('SELECT pg_backend_pid()').rows[0]![0];
      await sql(pgServerUrl(), 'SELECT pg_terminate_backend($1)', [pid]);
      expect(() => store.tx(() => store.query('SELECT 1'))).toThrow(DatabaseError);
    } finally {
      store.close();
    }
  });
});

describe('the writer lock', () => {
  it('a writer waits for it at most its timeout, then gets a DatabaseError; the holder commits', async () => {
    const db = await fresh();
    const holder = await openStore(db);
    const other = await openStore(db, { busyTimeoutMs: 200 });
    try {
      holder.tx(() => {
        expect(() => other.tx(() => 1)).toThrow(/stayed locked by another tunicoin client for 0\.2 s/);
        // the failed writer left no transaction open
        expect(other.inTransaction).toBe(false);
      });
      // released at COMMIT: the other writer gets it at once
      expect(other.tx(() => 2)).toBe(2);
    } finally {
      holder.close();
      other.close();
    }
  });
});

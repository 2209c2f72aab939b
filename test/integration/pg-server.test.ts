/** The PostgreSQL server of the test run (test/setup/postgres.ts) and the fresh databases of test/helpers/pg.ts. */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { freshPgDatabase, pgServerUrl } from '../helpers/pg.ts';

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('PostgreSQL test server', () => {
  it('is PostgreSQL 13 or newer, reached as a superuser', async () => {
    const row = await withClient(pgServerUrl(), async (c) => {
      const r = await c.query<{ v: string; su: string }>(
        "SELECT current_setting('server_version_num') AS v, current_setting('is_superuser') AS su",
      );
      return r.rows[0]!;
    });
    expect(Number(row.v)).toBeGreaterThanOrEqual(130000);
    expect(row.su).toBe('on');
  });

  it('gives each fresh database its own tables', async () => {
    const a = await freshPgDatabase('sep');
    cleanups.push(a.drop);
    const b = await freshPgDatabase('sep');
    cleanups.push(b.drop);
    expect(a.name).not.toBe(b.name);
    expect(a.name).toMatch(/^tunicoin_sep_[0-9a-f]+$/);

    await withClient(a.url, (c) => c.query('CREATE TABLE only_in_a (id int PRIMARY KEY)'));
    const regclass = (url: string) =>
      withClient(url, async (c) => (await c.query<{ t: string | null }>("SELECT to_regclass('public.only_in_a')::text AS t")).rows[0]!.t);
    expect(await regclass(a.url)).toBe('only_in_a');
    expect(await regclass(b.url)).toBeNull();
    expect(await withClient(a.url, async (c) => (await c.query<{ d: string }>('SELECT current_database() AS d')).rows[0]!.d)).toBe(a.name);
  });

  it('refuses a wrong password with SQLSTATE 28P01', async () => {
    const url = new URL(pgServerUrl());
    url.password = 'not-the-password';
    const client = new pg.Client({ connectionString: url.toString() });
    const err = await client.connect().then(
      () => null,
      (e: unknown) => e as { code?: string },
    );
    await client.end().catch(() => {});
    expect(err?.code).toBe('28P01');
  });

  it('drop() removes the database, even with a connection open', async () => {
    const db = await freshPgDatabase();
    const open = new pg.Client({ connectionString: db.url });
    await open.connect();
    open.on('error', () => {}); // DROP ... WITH (FORCE) ends this connection
    const exists = () =>
      withClient(pgServerUrl(), async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name])).rowCount);
    expect(await exists()).toBe(1);
    await db.drop();
    expect(await exists()).toBe(0);
    await open.end().catch(() => {});
  });
});

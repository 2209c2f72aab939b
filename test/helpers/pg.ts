/** PostgreSQL for tests: the run's server (test/setup/postgres.ts) and fresh, empty databases on it. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The superuser URL (database `postgres`) of the test run's PostgreSQL server. */
export function pgServerUrl(): string {
  const url = inject('pgUrl');
  if (!url) throw new Error('no PostgreSQL test server: test/setup/postgres.ts is not the global setup of this run');
  return url;
}

/** A URL of the same server naming another database. */
function databaseUrl(name: string): string {
  const url = new URL(pgServerUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function asSuperuser(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgServerUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates a new empty database with a unique name; drop() removes it (and ends its connections). */
export async function freshPgDatabase(prefix = 't'): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  if (!/^[a-z0-9_]{1,30}$/.test(prefix)) throw new Error(`freshPgDatabase: prefix must be [a-z0-9_]{1,30}, got ${JSON.stringify(prefix)}`);
  const name = `tunicoin_${prefix}_${randomBytes(6).toString('hex')}`;
  await asSuperuser(`CREATE DATABASE "${name}"`);
  return {
    url: databaseUrl(name),
    name,
    drop: () => asSuperuser(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

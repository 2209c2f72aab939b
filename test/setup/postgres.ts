/**
 * Vitest global setup: the PostgreSQL server of the test run. TUNICOIN_TEST_PG_URL (a superuser URL) names an
 * existing server; otherwise a throw-away one is started (scripts/pg-throwaway.mjs) and stopped at teardown.
 * Test files reach it through test/helpers/pg.ts (inject('pgUrl')). No server: the run fails here, loudly.
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../scripts/pg-throwaway.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL (database `postgres`) of the test run's PostgreSQL server. */
    pgUrl: string;
  }
}

/**
 * The root project and each project that extends it run this file (each its own module instance, one process):
 * the server is shared through globalThis and counted, so one run starts and stops one server.
 */
interface Shared {
  users: number;
  server: Promise<{ url: string; throwaway: ThrowawayPostgres | null }>;
}
const KEY = Symbol.for('tunicoin.test.postgres');
const registry = globalThis as unknown as Record<symbol, Shared | undefined>;

async function acquire(): Promise<{ url: string; throwaway: ThrowawayPostgres | null }> {
  const given = process.env.TUNICOIN_TEST_PG_URL;
  if (given) {
    await check(given, 'TUNICOIN_TEST_PG_URL');
    return { url: given, throwaway: null };
  }
  const throwaway = await startThrowawayPostgres();
  try {
    await check(throwaway.url, 'the throw-away server');
  } catch (err) {
    await throwaway.stop();
    throw err;
  }
  return { url: throwaway.url, throwaway };
}

/** Connects once: a server the tests cannot use fails the run before any test starts. */
async function check(url: string, what: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new Error(`PostgreSQL for the tests (${what}) is not usable: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  } finally {
    await client.end().catch(() => {});
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = (registry[KEY] ??= { users: 0, server: acquire() });
  shared.users++;
  let server;
  try {
    server = await shared.server;
  } catch (err) {
    shared.users--;
    if (shared.users === 0) registry[KEY] = undefined;
    throw err;
  }
  project.provide('pgUrl', server.url);
  return async () => {
    shared.users--;
    if (shared.users > 0) return;
    registry[KEY] = undefined;
    await server.throwaway?.stop();
  };
}

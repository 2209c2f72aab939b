/**
 * SQLite start-up stays as it was (issue 16, point 1): a command on a database file loads
 * none of the PostgreSQL packages (pg, pg-boss, pg-copy-streams, pg-cursor) and starts no
 * worker thread (the PostgreSQL bridge's); and the build keeps those packages out of every
 * bundle (scripts/build.mjs), so they are loaded from node_modules only for a postgres:// URL.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, cleanEnv, runCli, tempDir } from '../helpers/cli.ts';
import { freshPgDatabase } from '../helpers/pg.ts';

const HOOK = join(ROOT, 'test', 'helpers', 'load-recorder.cjs');
const PG_PACKAGE = /[\\/]node_modules[\\/](pg|pg-[a-z-]+|pgpass)[\\/]/;
const PG_REQUEST = /^(pg|pg-boss|pg-copy-streams|pg-cursor)(\/|$)/;

let t: ReturnType<typeof tempDir>;
let db: string;
beforeAll(async () => {
  t = tempDir();
  db = join(t.dir, 'start.db');
  const r = await runCli(['seed', '--days', '1', '--instruments', 'BTC-USD'], { db });
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => t.cleanup());

interface Loads {
  requested: string[];
  files: string[];
  workers: number;
}

function loads(args: string[]): { main: Loads; worker: Loads | null } {
  const log = join(t.dir, `loads-${Math.random().toString(36).slice(2)}.json`);
  const r = spawnSync(process.execPath, ['-r', HOOK, BIN, ...args], { env: cleanEnv({ TUNICOIN_LOAD_LOG: log }), encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const read = (f: string) => (existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Loads) : null);
  return { main: read(log) as Loads, worker: read(`${log}.worker`) };
}

describe('SQLite start-up', () => {
  it.each([
    ['quote', 'BTC-USD'],
    ['order', 'buy', 'BTC-USD', '0.01'],
    ['account', '--json'],
    ['db', 'status'],
  ])('%s %s loads no PostgreSQL package and starts no worker thread', (...args) => {
    const { main: l, worker } = loads(['--db', db, ...args]);
    expect(worker).toBeNull();
    expect(l.files.filter((f) => PG_PACKAGE.test(f))).toEqual([]);
    expect(l.requested.filter((r) => PG_REQUEST.test(r))).toEqual([]);
    expect(l.workers).toBe(0);
    expect(l.files.some((f) => f.endsWith(join('dist', 'cli.cjs')) || /better_sqlite3\.node$/.test(f))).toBe(true);
  });

  it('the same recorder sees pg and the bridge thread for a postgres:// URL (it would catch them)', async () => {
    const pgDb = await freshPgDatabase('start');
    try {
      const { main, worker } = loads(['--db', pgDb.url, 'seed', '--days', '1', '--instruments', 'BTC-USD']);
      expect(main.workers).toBe(1);
      // pg is loaded in the bridge's thread only, by the path the main thread resolved
      expect(main.files.filter((f) => PG_PACKAGE.test(f))).toEqual([]);
      expect(worker?.files.some((f) => /[\\/]node_modules[\\/]pg[\\/]lib[\\/]client\.js$/.test(f))).toBe(true);
    } finally {
      await pgDb.drop();
    }
  });
});

describe('the bundles', () => {
  // a string found only in each package's own source
  const MARKERS: Array<[string, RegExp, string]> = [
    ['pg', /Client has already been connected/, 'pg/lib/client.js'],
    ['pg-boss', /Workers are disabled\. pg-boss is stopped/, 'pg-boss/src/manager.js'],
    ['pg-cursor', /["']C_["']\s*\+\s*nextUniqueID/, 'pg-cursor/index.js'],
    ['pg-copy-streams', /class CopyStreamQuery\b/, 'pg-copy-streams/copy-from.js'],
  ];
  const dist = join(ROOT, 'dist');
  const files = [
    ...readdirSync(dist).filter((f) => /\.(c?js)$/.test(f)),
    ...readdirSync(join(dist, 'chunks')).map((f) => join('chunks', f)),
  ];

  it('exist', () => {
    expect(files).toEqual(expect.arrayContaining(['cli.cjs', 'cli.js', 'lib.js', 'migrator.cjs']));
  });

  it.each(MARKERS)('inline none of %s (scripts/build.mjs keeps it external)', (_name, marker, source) => {
    expect(marker.test(readFileSync(join(ROOT, 'node_modules', source), 'utf8'))).toBe(true);
    for (const f of files) expect(marker.test(readFileSync(join(dist, f), 'utf8')), f).toBe(false);
  });
});

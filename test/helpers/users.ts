/** In-process handler runs for the users tests: a seeded temp db, contexts acting as someone, exit codes. */
import { Readable, PassThrough } from 'node:stream';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { openSqliteStore as openStore, type SqliteStore as Store } from '../../src/store/db.ts';
import { seedDatabase } from '../../src/app/seed.ts';
import { createContext, type Context } from '../../src/cli/context.ts';
import { reportError } from '../../src/cli/exit-codes.ts';
import { login, register, type AuthDeps, type PasswordHasher } from '../../src/app/auth.ts';
import type { UserIo } from '../../src/cli/commands/user.ts';
import { tempDir } from './cli.ts';

/** bcrypt at cost 4 (the product's 12 is tested once): counts its calls. */
export function fastHasher(): PasswordHasher & { compared: string[] } {
  const compared: string[] = [];
  return {
    compared,
    hash: (p) => bcrypt.hash(p, 4),
    compare: (p, h) => {
      compared.push(h);
      return bcrypt.compare(p, h);
    },
  };
}

export const T0 = Date.UTC(2026, 0, 2, 12, 0, 0);

export interface Run {
  code: number;
  out: string;
  err: string;
  json<T = unknown>(): T;
}

export interface World {
  readonly dir: string;
  readonly db: string;
  readonly env: Record<string, string>;
  readonly hasher: ReturnType<typeof fastHasher>;
  now: number;
  /** Run a handler in a fresh context (JSON output), as the token's user or by the only-user rule. */
  run(
    fn: (ctx: Context, io: UserIo) => Promise<void>,
    opts?: { token?: string; allUsers?: boolean; stdin?: string; json?: boolean },
  ): Promise<Run>;
  /** A store on the same file, for setting up and for looking at rows. */
  store(): Promise<Store>;
  register(email: string, password?: string): Promise<string>;
  token(email: string, password?: string): Promise<string>;
  cleanup(): void;
}

/** A temp database, seeded (the demo user, BTC-USD, one day of candles) unless `seed: false`. */
export async function makeWorld(opts: { seed?: boolean } = {}): Promise<World> {
  const t = tempDir('tunicoin-users-');
  const db = join(t.dir, 'u.db');
  const s = await openStore(db);
  if (opts.seed !== false)
    seedDatabase(s, {
      seed: 1,
      days: 1,
      end: Date.UTC(2026, 0, 2),
      instruments: SEED_INSTRUMENTS.slice(0, 1),
      reset: false,
      nowIso: '2026-01-02T00:00:00.000Z',
      demoPasswordHash: await bcrypt.hash('demo123', 4),
    });
  s.close();
  const hasher = fastHasher();
  const env = { HOME: t.dir, XDG_CONFIG_HOME: join(t.dir, 'config') };
  let shared: Store | undefined;
  const w: World = {
    dir: t.dir,
    db,
    env,
    hasher,
    now: T0,
    async run(fn, opts = {}) {
      const out = new PassThrough();
      const err = new PassThrough();
      let o = '';
      let e = '';
      out.on('data', (d) => {
        o += d;
      });
      err.on('data', (d) => {
        e += d;
      });
      const ctx = createContext({
        out,
        err,
        env: { ...env, ...(opts.token ? { TUNICOIN_TOKEN: opts.token } : {}) },
        options: { db, json: opts.json ?? true, allUsers: opts.allUsers },
        now: () => w.now,
      });
      const stdin = Readable.from(opts.stdin === undefined ? [] : [opts.stdin]) as Readable & { isTTY?: boolean };
      let code = 0;
      try {
        await fn(ctx, { hasher, stdin });
      } catch (x) {
        code = reportError(ctx, x);
      } finally {
        ctx.close();
      }
      await new Promise((r) => setImmediate(r));
      return { code, out: o, err: e, json: <T>() => JSON.parse(o) as T };
    },
    async store() {
      shared ??= await openStore(db);
      return shared;
    },
    async register(email, password = 'correct horse') {
      return (await register(await w.store(), email, password, deps())).userId;
    },
    async token(email, password = 'correct horse') {
      return (await login(await w.store(), { email, password }, deps())).token;
    },
    cleanup() {
      shared?.close();
      t.cleanup();
    },
  };
  const deps = (): AuthDeps => ({ hasher, now: () => w.now });
  return w;
}

/** Row counts of the tables a refused command must not touch. */
export function counts(store: Store): Record<string, number> {
  const n = (t: string) => (store.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
  return Object.fromEntries(
    ['users', 'sessions', 'recovery_codes', 'accounts', 'orders', 'bots', 'backtests', 'ledger_entries', 'plans'].map((t) => [t, n(t)]),
  );
}

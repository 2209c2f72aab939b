/**
 * Sixteen clients at once, each a process of the built binary, on PostgreSQL and on SQLite:
 * eight race for the margin of ONE account, eight trade on accounts of their own, and two
 * `market advance` run meanwhile over resting limit orders. Whatever the interleaving, no order
 * is lost or filled twice, the ledger balances, no account's margin goes negative, and the
 * clock moved by both advances (issue 16, point 3: what BEGIN IMMEDIATE gives on SQLite, the
 * writer lock gives on a server).
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/db.ts';
import { json, runCli, runCliAsync, tempDir, type CliResult } from '../helpers/cli.ts';
import { freshPgDatabase } from '../helpers/pg.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const START = '2026-03-01T00:00:00Z';
const SHARED_CLIENTS = 8;
const OWN_CLIENTS = 8;

async function database(kind: 'postgres' | 'sqlite'): Promise<string> {
  if (kind === 'postgres') {
    const db = await freshPgDatabase('conc');
    cleanups.push(db.drop);
    return db.url;
  }
  const t = tempDir();
  cleanups.push(t.cleanup);
  return join(t.dir, 'conc.db');
}

async function ok(args: string[], db: string): Promise<CliResult> {
  const r = await runCli(args, { db });
  if (r.code !== 0) throw new Error(`${args.join(' ')} -> exit ${r.code}: ${r.stderr}`);
  return r;
}

const rows = (s: Store, sql: string, ...params: unknown[]) => s.prepare(sql).all(...params) as Array<Record<string, unknown>>;

interface Placed {
  readonly client: string;
  readonly result: CliResult;
}

describe.each(['postgres', 'sqlite'] as const)('16 concurrent clients on %s', (kind) => {
  it('lose no order, fill none twice, keep the ledger balanced and every margin non-negative', async () => {
    const db = await database(kind);
    await ok(['seed', '--days', '1', '--instruments', 'BTC-USD,ETH-USD', '--end', START], db);
    // ~50 000 a BTC: a 0.01 BTC order needs ~503 of margin, so 1 200 pays for two of the eight
    await ok(['account', 'create', 'shared', '--balance', '1200'], db);
    for (let i = 0; i < OWN_CLIENTS; i++) await ok(['account', 'create', `own${i}`, '--balance', '100000'], db);
    const ask = Number(json<{ ask: string }>(await ok(['quote', 'BTC-USD', '--json'], db)).ask);
    // resting limit buys a little under the market: the advances may fill them (once), or not
    for (let i = 0; i < OWN_CLIENTS; i++)
      await ok(['order', 'buy', 'BTC-USD', '0.02', '--account', `own${i}`, '--type', 'limit', '--price', (ask * 0.998).toFixed(2)], db);

    const order = (client: string, account: string, side: string, symbol: string, size: string) =>
      runCliAsync(['order', side, symbol, size, '--account', account, '--json'], { db }).then((result) => ({ client, result }));
    const clients: Promise<Placed[]>[] = [];
    for (let i = 0; i < SHARED_CLIENTS; i++) clients.push(order(`shared-${i}`, 'shared', 'buy', 'BTC-USD', '0.01').then((p) => [p]));
    for (let i = 0; i < OWN_CLIENTS; i++)
      clients.push(
        (async () => [
          await order(`own-${i}`, `own${i}`, i % 2 ? 'sell' : 'buy', 'ETH-USD', '0.5'),
          await order(`own-${i}`, `own${i}`, 'buy', 'BTC-USD', '0.01'),
        ])(),
      );
    const advances = [runCliAsync(['market', 'advance', '1h'], { db }), runCliAsync(['market', 'advance', '1h'], { db })];
    const placed = (await Promise.all(clients)).flat();
    for (const a of await Promise.all(advances)) expect(a.code, a.stderr).toBe(0);

    // every client got an answer: accepted (0) or rejected for margin (5), nothing else
    for (const p of placed) expect([0, 5], `${p.client}: ${p.result.stderr}`).toContain(p.result.code);
    const accepted = placed.filter((p) => p.result.code === 0).map((p) => json<{ id: string; status: string }>(p.result));
    const rejected = placed.filter((p) => p.result.code === 5);
    for (const p of rejected) expect(p.client).toMatch(/^shared-/);
    for (const a of accepted) expect(a.status).toBe('filled');
    const sharedAccepted = placed.filter((p) => p.client.startsWith('shared-') && p.result.code === 0).length;
    expect(sharedAccepted).toBe(2);

    const verify = await runCli(['ledger', 'verify', '--json'], { db });
    expect(verify.code, verify.stdout).toBe(0);
    expect(json<{ ok: boolean }>(verify).ok).toBe(true);

    const store = await openStore(db);
    try {
      // every accepted order is in the database, filled, exactly once
      const ids = accepted.map((a) => a.id);
      const stored = rows(store, "SELECT id, status, size, filled_size FROM orders WHERE source = 'manual'");
      const byId = new Map(stored.map((o) => [o.id, o]));
      for (const id of ids) expect(byId.get(id)).toMatchObject({ status: 'filled' });
      // the 8 resting limits + the accepted market orders + the rejected ones (kept with their reason)
      expect(stored.length).toBe(OWN_CLIENTS + accepted.length + rejected.length);
      for (const o of stored) expect(Number(o.filled_size)).toBeLessThanOrEqual(Number(o.size));
      // one commission posting per filled order: none filled twice
      const fees = rows(
        store,
        `SELECT o.id, COUNT(e.id) AS n FROM orders o LEFT JOIN ledger_entries e
           ON e.order_id = o.id AND e.entry_type = 'commission' AND e.account_id = o.account_id
         WHERE o.status = 'filled' GROUP BY o.id`,
      );
      for (const f of fees) expect(Number(f.n), String(f.id)).toBe(1);
      expect(fees.length).toBeGreaterThanOrEqual(accepted.length);
      // each account's open position is the sum of its fills
      const net = rows(
        store,
        `SELECT o.account_id, o.instrument_id, SUM(CASE WHEN o.side = 'buy' THEN o.filled_size ELSE -o.filled_size END) AS net
         FROM orders o WHERE o.status = 'filled' GROUP BY o.account_id, o.instrument_id`,
      );
      const positions = rows(store, 'SELECT account_id, instrument_id, side, size FROM positions WHERE closed_at IS NULL');
      for (const n of net) {
        const p = positions.find((q) => q.account_id === n.account_id && q.instrument_id === n.instrument_id);
        const size = p ? (p.side === 'long' ? 1 : -1) * Number(p.size) : 0;
        expect(size).toBeCloseTo(Number(n.net), 9);
      }
      // every journal sums to zero; every sequence number once
      expect(rows(store, 'SELECT journal_id FROM ledger_entries GROUP BY journal_id HAVING SUM(amount) <> 0')).toEqual([]);
      const seq = rows(store, 'SELECT COUNT(*) AS n, COUNT(DISTINCT seq) AS d, MAX(seq) AS m FROM ledger_entries')[0]!;
      expect(Number(seq.d)).toBe(Number(seq.n));
      expect(Number(seq.m)).toBe(Number(seq.n));
      // no margin went negative
      expect(rows(store, "SELECT name FROM accounts WHERE kind = 'trader' AND (margin_available < 0 OR balance < 0)")).toEqual([]);
      // both advances moved the clock: one hour each
      const clock = json<{ clock: string }>(await ok(['account', '--account', 'shared', '--json'], db)).clock;
      expect(Date.parse(clock) - Date.parse(START)).toBe(2 * 3_600_000);
    } finally {
      store.close();
    }
  }, 180_000);
});

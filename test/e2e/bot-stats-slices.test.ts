// A long `bot run` recomputes a bot's stats in each day's slice only where the slice posted to its
// account: a stopped bot whose open future pays funding on later days must still get its figures.
import { describe, expect, it } from 'vitest';
import { json, queryDb, runCli, seededCopies } from '../helpers/cli.ts';

const { fresh } = seededCopies(['--days', '2', '--end', '2026-03-01T00:00:00Z', '--instruments', 'BTC-USD,BTC-FUT'], 's');

describe('bot stats across the slices of a long run', () => {
  it("a stopped bot's funding on later days reaches its stats; ledger verify agrees", async () => {
    const db = fresh();
    expect((await runCli(['account', 'create', 'Second', '--balance', '50000'], { db })).code).toBe(0);
    const holder = ['bot', 'create', 'holder', '--strategy', 'buy_and_hold', '--symbol', 'BTC-FUT', '--timeframe', '1h'];
    expect((await runCli([...holder, '--account', 'Second', '--size', '50%'], { db })).code).toBe(0);
    expect((await runCli(['bot', 'run', 'holder', '--for', '3h'], { db })).code).toBe(0);
    expect((await runCli(['bot', 'stop', 'holder'], { db })).code).toBe(0);
    const pnl = () => q("SELECT total_pnl AS v FROM bots WHERE name = 'holder'");
    const funding = () => q("SELECT COUNT(*) AS v FROM ledger_entries WHERE entry_type = 'funding'");
    const before = { pnl: pnl(), funding: funding() };
    expect(q("SELECT COUNT(*) AS v FROM positions p JOIN bots b ON b.id = p.bot_id WHERE b.name = 'holder' AND p.is_open = 1")).toBe(1);

    const trend = ['bot', 'create', 'trend', '--strategy', 'ema_crossover', '--symbol', 'BTC-USD', '--timeframe', '1h'];
    expect((await runCli(trend, { db })).code).toBe(0);
    const r = await runCli(['bot', 'run', 'trend', '--for', '3d'], { db });
    expect(r.code, r.stderr).toBe(0);
    // funding every 8 h over three one-day slices, on the stopped bot's account only
    expect(funding() - before.funding).toBeGreaterThanOrEqual(8);
    expect(pnl()).not.toBe(before.pnl);
    const v = await runCli(['ledger', 'verify', '--json'], { db });
    expect(v.code, v.stdout).toBe(0);
    expect(json<{ checks: Array<{ name: string; ok: boolean }> }>(v).checks.find((c) => c.name.startsWith('bot stats'))?.ok).toBe(true);

    function q(sql: string): number {
      return queryDb(db, sql)[0]!.v as number;
    }
  });
});

/** End-to-end: trading commands on the built CLI, rejections, bad input, concurrency. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { json, runCli, runCliAsync, tempDir, seededTemplate } from '../helpers/cli.ts';

let t: ReturnType<typeof tempDir>;
let template: string;
let n = 0;

beforeAll(async () => {
  t = tempDir();
  template = await seededTemplate(t.dir, ['--days', '2', '--end', '2026-03-01T12:00:00Z']);
});
afterAll(() => t.cleanup());

function freshDb(): string {
  const p = join(t.dir, `db-${n++}.db`);
  copyFileSync(template, p);
  return p;
}
const count = (db: string, sql: string, ...args: unknown[]) => {
  const s = new BetterSqlite3(db, { readonly: true });
  try {
    return (s.prepare(sql).get(...args) as { n: number }).n;
  } finally {
    s.close();
  }
};

describe('a trading session', () => {
  it('buy, inspect, advance, close, ledger and verify', async () => {
    const db = freshDb();
    const buy = json<{ id: string; status: string; fillPrice: string; commission: string }>(
      await runCli(['order', 'buy', 'BTC-USD', '0.1', '--json'], { db }),
    );
    expect(buy.status).toBe('filled');
    const quote = json<{ ask: string }>(await runCli(['quote', 'BTC-USD', '--json'], { db }));
    expect(Number(buy.fillPrice)).toBeGreaterThanOrEqual(Number(quote.ask));
    const pos = json<Array<{ symbol: string; side: string; size: string }>>(await runCli(['positions', '--json'], { db }));
    expect(pos).toEqual([expect.objectContaining({ symbol: 'BTC-USD', side: 'long', size: '0.1' })]);
    expect(json<{ id: string }>(await runCli(['order', 'show', buy.id.slice(0, 8), '--json'], { db })).id).toBe(buy.id);

    const limit = json<{ id: string; status: string }>(
      await runCli(['order', 'sell', 'ETH-USD', '1', '--type', 'limit', '--price', '9000', '--json'], { db }),
    );
    expect(limit.status).toBe('pending');
    expect(json<unknown[]>(await runCli(['orders', '--json'], { db }))).toHaveLength(1);
    const adv = json<{ bars: number; generatedCandles: number; funding: unknown[] }>(
      await runCli(['market', 'advance', '9h', '--json'], { db }),
    );
    expect(adv.bars).toBe(9 * 60 * 5);
    expect(adv.generatedCandles).toBe(1440 * 5);
    expect(adv.funding.length).toBeGreaterThanOrEqual(1); // 16:00 UTC boundary inside 12:00..21:00
    expect((await runCli(['order', 'cancel', limit.id.slice(0, 8)], { db })).code).toBe(0);
    expect((await runCli(['order', 'cancel', limit.id.slice(0, 8)], { db })).code).toBe(4);

    const close = json<{ status: string; source: string }>(await runCli(['close', 'BTC-USD', '--json'], { db }));
    expect(close).toMatchObject({ status: 'filled', source: 'close' });
    expect(json<unknown[]>(await runCli(['positions', '--json'], { db }))).toEqual([]);
    const ledger = json<Array<{ type: string }>>(await runCli(['ledger', '--json', '--limit', '100'], { db }));
    expect(ledger.map((e) => e.type)).toEqual(expect.arrayContaining(['deposit', 'commission', 'trade_pnl', 'funding']));
    const csv = (await runCli(['ledger', '--format', 'csv', '--type', 'commission'], { db })).stdout.trim().split('\n');
    expect(csv[0]).toBe('seq,time,type,amount,balance_after,currency,journal_id,order_id,position_id,description');
    expect(csv).toHaveLength(3);
    const v = await runCli(['ledger', 'verify', '--json'], { db });
    expect(v.code).toBe(0);
    expect(json<{ ok: boolean }>(v).ok).toBe(true);
  });

  it('accounts: create, deposit, withdraw, use', async () => {
    const db = freshDb();
    expect((await runCli(['account', 'create', 'Swing', '--balance', '5000', '--max-leverage', '5'], { db })).code).toBe(0);
    expect((await runCli(['account', 'create', 'Swing'], { db })).code).toBe(4);
    expect((await runCli(['account', 'deposit', '250.50', '--account', 'Swing'], { db })).code).toBe(0);
    expect(json<{ balance: string }>(await runCli(['account', 'withdraw', '100', '--account', 'Swing', '--json'], { db })).balance).toBe(
      '5150.50',
    );
    expect((await runCli(['account', 'withdraw', '999999', '--account', 'Swing'], { db })).code).toBe(4);
    expect((await runCli(['account', 'use', 'Swing'], { db })).code).toBe(0);
    const acct = json<{ name: string; balance: string; maxLeverage: number }>(await runCli(['account', '--json'], { db }));
    expect(acct).toMatchObject({ name: 'Swing', balance: '5150.50', maxLeverage: 5 });
    expect(
      json<Array<{ default: boolean; name: string }>>(await runCli(['account', 'list', '--json'], { db })).find((a) => a.default)?.name,
    ).toBe('Swing');
    expect((await runCli(['ledger', 'verify'], { db })).code).toBe(0);
  });
});

describe('rejections: stored with a reason, one line, exit 5, no position or ledger change', () => {
  it.each([
    [['BTC-USD', '0.00001'], /below the minimum/],
    [['BTC-USD', '1000'], /above the maximum/],
    [['BTC-USD', '0.00015'], /not a multiple of the lot step/],
    [['BTC-USD', '0.1', '--type', 'limit', '--price', '50000.001'], /not on the tick grid/],
    [['BTC-USD', '0.1', '--leverage', '50'], /over the account's maximum of 10x/],
    [['BTC-USD', '5'], /only .* is available/],
  ])('order buy %j', async (args, message) => {
    const db = freshDb();
    const r = await runCli(['order', 'buy', ...args], { db });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(count(db, "SELECT COUNT(*) AS n FROM orders WHERE status = 'rejected' AND reject_reason IS NOT NULL")).toBe(1);
    expect(count(db, 'SELECT COUNT(*) AS n FROM positions')).toBe(0);
    expect(count(db, 'SELECT COUNT(*) AS n FROM ledger_entries')).toBe(2);
  });

  it('an inactive or non-tradeable instrument', async () => {
    const db = freshDb();
    const s = new BetterSqlite3(db);
    s.prepare("UPDATE instruments SET is_tradeable = 0 WHERE symbol = 'ETH-USD'").run();
    s.prepare("UPDATE instruments SET is_active = 0 WHERE symbol = 'EURUSD'").run();
    s.close();
    expect((await runCli(['order', 'buy', 'ETH-USD', '1'], { db })).stderr).toMatch(/not tradeable/);
    const r = await runCli(['order', 'buy', 'EURUSD', '0.01'], { db });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/not active/);
  });

  it('over the daily loss limit', async () => {
    const db = freshDb();
    expect((await runCli(['account', 'create', 'Tight', '--max-daily-loss', '1', '--balance', '10000'], { db })).code).toBe(0);
    expect((await runCli(['order', 'buy', 'BTC-USD', '0.1', '--account', 'Tight'], { db })).code).toBe(0); // fees + spread lose > $1
    const r = await runCli(['order', 'buy', 'BTC-USD', '0.1', '--account', 'Tight'], { db });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/max daily loss/);
    expect((await runCli(['close', 'BTC-USD', '--account', 'Tight'], { db })).code).toBe(0); // closing stays allowed
  });
});

describe('input that is not an order: nothing written, says what was wrong', () => {
  it.each([
    [['order', 'buy', 'BTC-USD', '-1'], 2, /SIZE must be a positive number/],
    [['order', 'buy', 'BTC-USD', 'abc'], 2, /SIZE must be a positive number/],
    [['order', 'buy', 'BTC-USD', 'NaN'], 2, /SIZE must be a positive number/],
    [['order', 'buy', 'BTC-USD', '1e999'], 2, /no exponent/],
    [['order', 'buy', 'BTC-USD', '99999999999999999999'], 2, /out of range/],
    [['order', 'buy', 'BTC-USD', '0.1', '--type', 'limit'], 2, /a limit order needs --price/],
    [['order', 'buy', 'BTC-USD', '0.1', '--type', 'stop'], 2, /a stop order needs --stop/],
    [['order', 'buy', 'BTC-USD', '0'], 2, /SIZE must be positive/],
    [['order', 'buy', 'DOGE-USD', '1'], 3, /unknown symbol "DOGE-USD"/],
    [['order', 'buy', 'BTC-USD', '0.1', '--account', 'Nope'], 3, /unknown account "Nope"/],
    [['order', 'buy', 'BTC-USD', '0.1', '--leverage', 'lots'], 2, /--leverage must be a number/],
    [['order', 'buy', 'BTC-USD', '0.1', '--price', 'cheap'], 2, /--price must be a positive price/],
    [['order', 'buy', 'BTC-USD'], 2, /missing SIZE/],
    [['order', 'show', 'ffffffff'], 3, /unknown order "ffffffff"/],
    [['order', 'cancel', 'zz'], 3, /unknown order "zz"/],
    [['order', 'cancel', 'abc'], 2, /too short/],
    [['close', 'BTC-USD'], 4, /no open BTC-USD position/],
    [['market', 'advance', '3x'], 2, /not a duration/],
    [['account', 'deposit', '-5'], 2, /must be a positive amount/],
    [['ledger', '--type', 'bonus'], 2, /unknown --type "bonus"/],
  ])('%j -> exit %d', async (args, code, message) => {
    const db = freshDb();
    const before = readFileSync(db);
    const r = await runCli(args, { db });
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(count(db, 'SELECT COUNT(*) AS n FROM orders')).toBe(0);
    expect(count(db, 'SELECT COUNT(*) AS n FROM ledger_entries')).toBe(2);
    expect(before.length).toBeGreaterThan(0);
  });
});

describe('concurrency', () => {
  it('four processes placing orders at once: every order recorded once, ledger verifies, no lock errors', async () => {
    const db = freshDb();
    const runs = await Promise.all(
      Array.from({ length: 4 }, (_, p) =>
        Promise.all(
          Array.from({ length: 5 }, (_, k) =>
            runCliAsync(['order', k % 2 ? 'sell' : 'buy', p % 2 ? 'ETH-USD' : 'BTC-USD', p % 2 ? '0.01' : '0.001', '--json'], { db }),
          ),
        ),
      ),
    );
    const results = runs.flat();
    for (const r of results) {
      expect(r.stderr).not.toMatch(/locked|busy/i);
      expect(r.code).toBe(0);
    }
    const ids = results.map((r) => json<{ id: string }>(r).id);
    expect(new Set(ids).size).toBe(20);
    expect(count(db, "SELECT COUNT(*) AS n FROM orders WHERE status = 'filled'")).toBe(20);
    expect(count(db, "SELECT COUNT(*) AS n FROM ledger_entries WHERE entry_type = 'commission'")).toBe(40);
    expect((await runCli(['ledger', 'verify'], { db })).code).toBe(0);
  });
});

/**
 * Two advances on one database, interleaved slice by slice (two connections, as two processes
 * would be): a bot's decisions and orders are those of one sequential advance, because each
 * slice rebuilds the bots when the clock or the running bots changed under it.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdvance } from '../../src/app/advance.ts';
import { openSqliteStore as openStore, type SqliteStore as Store } from '../../src/store/db.ts';
import { seededTemplate, tempDir } from '../helpers/cli.ts';
import { startRacingBots } from '../helpers/racing-bots.ts';

const DAY = 86_400_000;
let t: ReturnType<typeof tempDir>;
let prepared: string;
let n = 0;

beforeAll(async () => {
  t = tempDir();
  prepared = await seededTemplate(t.dir, ['--days', '2', '--end', '2026-03-01T00:00:00Z', '--instruments', 'BTC-USD']);
  await startRacingBots(prepared);
});
afterAll(() => t.cleanup());

const copy = () => {
  const p = join(t.dir, `c${n++}.db`);
  copyFileSync(prepared, p);
  return p;
};
const all = (s: Store, sql: string) => s.prepare(sql).all() as Array<Record<string, unknown>>;
const decisions = (s: Store) =>
  all(
    s,
    `SELECT b.name, d.candle_timestamp, d.decision, d.reason, d.final_order, o.status, o.side, o.filled_size, o.fill_price, o.filled_at
  FROM bot_decisions d JOIN bots b ON b.id = d.bot_id LEFT JOIN orders o ON o.id = d.order_id ORDER BY b.name, d.candle_timestamp`,
  );
const orders = (s: Store) =>
  all(
    s,
    "SELECT side, status, size, filled_size, fill_price, filled_at, commission FROM orders WHERE source = 'bot' ORDER BY filled_at, created_at, side",
  );
const wall = () => Date.parse('2026-03-05T00:00:00Z');

describe('concurrent advances', () => {
  it('an advance slipped between the slices of another leaves every decision as in one sequential advance', async () => {
    const seq = await openStore(copy());
    await runAdvance(seq, wall, 4 * DAY);
    const par = copy();
    const a = await openStore(par);
    const b = await openStore(par);
    let other: ReturnType<typeof runAdvance> | null = null;
    const clocks: number[] = [];
    // after A's first day, B advances a day (its whole run fits between A's slices), then A goes on
    await runAdvance(a, wall, 3 * DAY, {
      onSlice: (s) => {
        clocks.push(s.to);
        other ??= runAdvance(b, wall, DAY);
      },
    });
    const rb = await other!;
    const start = Date.parse('2026-03-01T00:00:00Z');
    expect([rb.from, rb.to]).toEqual([start + DAY, start + 2 * DAY]); // B ran between A's first and second day
    expect(clocks).toEqual([start + DAY, start + 3 * DAY, start + 4 * DAY]);
    const want = decisions(seq);
    expect(want.filter((d) => d.status === 'filled').length).toBeGreaterThan(4);
    expect(decisions(a)).toEqual(want);
    expect(orders(a)).toEqual(orders(seq));
    expect(all(a, 'SELECT name, balance FROM accounts ORDER BY name')).toEqual(
      all(seq, 'SELECT name, balance FROM accounts ORDER BY name'),
    );
    // every bot order belongs to a decision: a reversal's close leg too
    expect(all(a, `SELECT COUNT(*) AS n FROM bot_decisions WHERE close_order_id IS NOT NULL`)[0]!.n).toBeGreaterThan(0);
    expect(
      all(
        a,
        `SELECT COUNT(*) AS n FROM orders o WHERE o.source = 'bot' AND NOT EXISTS
      (SELECT 1 FROM bot_decisions d WHERE d.order_id = o.id OR d.close_order_id = o.id)`,
      )[0]!.n,
    ).toBe(0);
    for (const s of [seq, a, b]) s.close();
  }, 60_000);
});

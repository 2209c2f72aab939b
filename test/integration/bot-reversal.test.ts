/**
 * A bot whose first decision reverses a position it did not open (a manual short on its account)
 * places two orders for one decision: the close leg and the open leg. Both belong to the decision,
 * so `ledger verify` holds ("every bot order has its decision" once missed the close leg).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { json, queryDb, runCli, seededCopies } from '../helpers/cli.ts';

const copies = seededCopies(['--days', '3', '--seed', '5', '--end', '2026-01-10T00:00:00Z', '--instruments', 'ETH-USD']);
let db: string;
beforeAll(() => {
  db = copies.fresh();
});

describe('a bot reversing a manual position', () => {
  it('links the close leg to the decision, and the ledger verifies', async () => {
    const ok = async (...args: string[]) => {
      const r = await runCli(args, { db });
      expect(r.code, r.stderr).toBe(0);
      return r;
    };
    await ok('order', 'sell', 'ETH-USD', '2', '--leverage', '5');
    await ok(
      'bot',
      'create',
      'flip',
      '--strategy',
      'ema_crossover',
      '--symbol',
      'ETH-USD',
      '--timeframe',
      '1m',
      '--param',
      'fast=3',
      '--param',
      'slow=6',
    );
    await ok('bot', 'start', 'flip');
    await ok('market', 'advance', '3h');
    const decisions = json<Array<{ orderId: string | null; closeOrderId: string | null }>>(
      await ok('bot', 'decisions', 'flip', '--only-trades', '--limit', '500', '--json'),
    );
    const closeLegs = decisions.filter((d) => d.closeOrderId !== null);
    expect(closeLegs.length).toBeGreaterThan(0);
    const closeLeg = queryDb(db, 'SELECT side, size, source, bot_id FROM orders WHERE id = ?', closeLegs[0]!.closeOrderId)[0];
    expect(closeLeg).toMatchObject({ side: 'buy', size: 200_000_000, source: 'bot' }); // it bought back the manual short of 2
    const verify = await runCli(['ledger', 'verify', '--json'], { db });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });
});

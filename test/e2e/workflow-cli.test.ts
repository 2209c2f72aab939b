/** End-to-end (issue 15): amend, trailing stops, partial fills, summaries, durations, bot warnings and PnL. */
import { describe, expect, it } from 'vitest';
import { json, queryDb, runCli, seededCopies } from '../helpers/cli.ts';

const END = '2026-03-01T00:00:00Z';
const { fresh } = seededCopies(['--days', '2', '--end', END, '--instruments', 'BTC-USD,ETH-USD'], 'w');
const q = queryDb;
const ok = async (db: string, args: string[]) => {
  const r = await runCli(args, { db });
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};

describe('paper trading workflow', () => {
  it("amends a resting order (history kept, no journal) and sets a position's exits", async () => {
    const db = fresh();
    const o = json<{ id: string }>(await ok(db, ['order', 'buy', 'ETH-USD', '1', '--type', 'limit', '--price', '1000', '--json']));
    const journals = q(db, 'SELECT COUNT(*) AS n FROM ledger_entries')[0]?.n;
    const a = json<{ price: string; size: string; status: string }>(
      await ok(db, ['order', 'amend', o.id.slice(0, 8), '--price', '1100', '--size', '2', '--json']),
    );
    expect(a).toMatchObject({ price: '1100.00', size: '2', status: 'pending' });
    expect(q(db, 'SELECT COUNT(*) AS n FROM ledger_entries')[0]?.n).toBe(journals);
    const shown = json<{ amendments: Array<{ before: { price: string }; after: { price: string } }> }>(
      await ok(db, ['order', 'show', o.id, '--json']),
    );
    expect(shown.amendments).toEqual([
      expect.objectContaining({
        before: expect.objectContaining({ price: '1000.00', size: '1' }),
        after: expect.objectContaining({ price: '1100.00', size: '2' }),
      }),
    ]);
    expect((await runCli(['order', 'amend', o.id, '--stop', '1000'], { db })).stderr).toMatch(/has no stop price/);
    expect((await runCli(['order', 'amend', o.id, '--price', '1100.001'], { db })).code).toBe(5);

    await ok(db, ['order', 'buy', 'BTC-USD', '0.1']);
    const set = json<{ stopLoss: string; takeProfit: string | null }>(
      await ok(db, ['position', 'set', 'BTC-USD', '--sl', '30000', '--tp', '90000', '--json']),
    );
    expect(set).toMatchObject({ stopLoss: '30000.00', takeProfit: '90000.00' });
    const bad = await runCli(['position', 'set', 'BTC-USD', '--sl', '90000'], { db });
    expect(bad.code).toBe(5);
    expect(bad.stderr).toMatch(/stop-loss 90000.00 must be below the mark .* for a long position/);
    expect(
      json<{ takeProfit: string | null }>(await ok(db, ['position', 'set', 'BTC-USD', '--tp', 'none', '--json'])).takeProfit,
    ).toBeNull();
    expect(q(db, 'SELECT COUNT(*) AS n FROM amendments WHERE position_id IS NOT NULL')[0]?.n).toBe(2);
    expect((await runCli(['position', 'set', 'ETH-USD', '--sl', '1'], { db })).code).toBe(4);
    await ok(db, ['ledger', 'verify']);
  });

  it('a trailing stop-loss follows the market and the position shows it; re-margining is said', async () => {
    const db = fresh();
    const r = await ok(db, ['order', 'buy', 'BTC-USD', '0.1', '--trail', '1%']);
    expect(r.stderr).toMatch(/trailing stop-loss: 1% behind the best price/);
    const [p0] = q(db, 'SELECT stop_loss, trail_ppm, trail_anchor FROM positions WHERE is_open = 1');
    expect(p0).toMatchObject({ trail_ppm: 10_000 });
    await ok(db, ['market', 'advance', '6h']);
    const after = q(db, 'SELECT stop_loss, trail_anchor, is_open FROM positions ORDER BY opened_at');
    const exits = q(db, "SELECT stop_price FROM orders WHERE source = 'stop_loss'");
    // either the stop moved up with a new high, or it was hit (an exit order at the trailed level)
    expect((after[0]?.trail_anchor as number) > (p0?.trail_anchor as number) || exits.length === 1).toBe(true);
    const lev = await runCli(['order', 'buy', 'ETH-USD', '0.1'], { db });
    expect(lev.code).toBe(0);
    const lev2 = await ok(db, ['order', 'buy', 'ETH-USD', '0.1', '--leverage', '2']);
    expect(lev2.stderr).toMatch(/whole ETH-USD position is now margined at 2x \(it was 1x\)/);
    const standalone = json<{ type: string; stopPrice: string; status: string }>(
      await ok(db, ['order', 'sell', 'ETH-USD', '0.2', '--type', 'stop', '--trail', '50', '--json']),
    );
    expect(standalone).toMatchObject({ type: 'stop', status: 'pending' });
    await ok(db, ['ledger', 'verify']);
  });

  it('partial fills by volume: partial status, growing filled size, cancel keeps the filled part; summaries name the account', async () => {
    const db = fresh();
    expect(
      json<{ maxParticipation: number }>(await ok(db, ['instruments', 'set', 'ETH-USD', '--max-participation', '0.001', '--json']))
        .maxParticipation,
    ).toBe(0.001);
    expect((await runCli(['instruments', 'set', 'ETH-USD', '--max-participation', '2'], { db })).code).toBe(2);
    const o = json<{ id: string; status: string; filledSize: string }>(await ok(db, ['order', 'buy', 'ETH-USD', '3', '--json']));
    expect(o.status).toBe('partial');
    const adv = json<{ fills: Array<{ account: string; status: string }> }>(await ok(db, ['market', 'advance', '5m', '--json']));
    expect(adv.fills.length).toBeGreaterThan(0);
    expect(adv.fills[0]).toMatchObject({ account: 'Demo Account' });
    const mid = json<{ status: string; filledSize: string }>(await ok(db, ['order', 'show', o.id, '--json']));
    expect(Number(mid.filledSize)).toBeGreaterThan(Number(o.filledSize));
    expect(Number(mid.filledSize)).toBeLessThan(3);
    expect(json<unknown[]>(await ok(db, ['orders', '--json']))).toHaveLength(1);
    const c = await ok(db, ['order', 'cancel', o.id]);
    expect(c.stdout).toMatch(/had filled and stays/);
    const [pos] = q(db, 'SELECT size FROM positions WHERE is_open = 1');
    expect(pos?.size).toBe(Math.round(Number(mid.filledSize) * 1e8));
    await ok(db, ['ledger', 'verify']);
  });

  it("the account shows today's PnL against the max daily loss; 1M is refused as ambiguous", async () => {
    const db = fresh();
    await ok(db, ['account', 'create', 'Careful', '--balance', '5000', '--max-daily-loss', '250']);
    const view = (await ok(db, ['account', '--account', 'Careful'])).stdout;
    expect(view).toMatch(/today's PnL \(UTC day\)\s*│\s*\$0\.00/);
    expect(view).toMatch(/max daily loss\s*│\s*\$250\.00 \(\$250\.00 left today\)/);
    const m = await runCli(['market', 'advance', '1M'], { db });
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/"1M" is ambiguous: minutes are written m, and months are not supported/);
  });
});

describe('bots', () => {
  it('bot create warns, --strict refuses; PnL realised and unrealised apart; status changes of every bot in the summary', async () => {
    const db = fresh();
    await ok(db, ['account', 'create', 'Tiny', '--balance', '1', '--max-leverage', '2']);
    await ok(db, [
      'bot',
      'create',
      'a',
      '--strategy',
      'ema_crossover',
      '--symbol',
      'BTC-USD',
      '--timeframe',
      '1m',
      '--param',
      'fast=3',
      '--param',
      'slow=8',
    ]);
    const second = await ok(db, ['bot', 'create', 'b', '--strategy', 'sma_crossover', '--symbol', 'BTC-USD']);
    expect(second.stderr).toMatch(/warning: bot "a" already trades BTC-USD on this account/);
    const strict = await runCli(['bot', 'create', 'c', '--strategy', 'sma_crossover', '--symbol', 'BTC-USD', '--strict'], { db });
    expect(strict.code).toBe(4);
    expect(q(db, "SELECT COUNT(*) AS n FROM bots WHERE name = 'c'")[0]?.n).toBe(0);
    const tiny = json<{ warnings: string[] }>(
      await ok(db, [
        'bot',
        'create',
        'd',
        '--account',
        'Tiny',
        '--strategy',
        'sma_crossover',
        '--symbol',
        'ETH-USD',
        '--leverage',
        '5',
        '--json',
      ]),
    );
    expect(tiny.warnings).toEqual([expect.stringMatching(/leverage 5x is above the account's maximum of 2x/)]);
    const poor = json<{ warnings: string[] }>(
      await ok(db, ['bot', 'create', 'e', '--account', 'Tiny', '--strategy', 'sma_crossover', '--symbol', 'BTC-USD', '--json']),
    );
    expect(poor.warnings).toEqual([expect.stringMatching(/cannot afford BTC-USD's minimum size/)]);
    // bot d (leverage over the maximum) errors or is rejected; bot a trades
    await ok(db, [
      'bot',
      'create',
      'f',
      '--strategy',
      'ema_crossover',
      '--symbol',
      'ETH-USD',
      '--timeframe',
      '1m',
      '--param',
      'fast=3',
      '--param',
      'slow=8',
      '--max-daily-loss',
      '0.01',
    ]);
    await ok(db, ['bot', 'start', 'f']);
    await ok(db, ['bot', 'start', 'a']);
    const run = json<{
      bot: { stats: { realizedPnl: string; unrealizedPnl: string; totalPnl: string } };
      botChanges: Array<{ name: string; from: string; to: string; reason: string }>;
    }>(await ok(db, ['bot', 'run', 'a', '--for', '2h', '--json']));
    // bot f, not the one asked for, tripped its circuit breaker during the run: the summary says so
    expect(run.botChanges).toEqual([
      expect.objectContaining({ name: 'f', from: 'running', to: 'paused', reason: expect.stringMatching(/^circuit breaker: /) }),
    ]);
    const s = run.bot.stats;
    expect(Number(s.totalPnl)).toBeCloseTo(Number(s.realizedPnl) + Number(s.unrealizedPnl), 6);
    const open = q(
      db,
      "SELECT COALESCE(SUM(unrealized_pnl), 0) AS u FROM positions WHERE is_open = 1 AND bot_id = (SELECT id FROM bots WHERE name = 'a')",
    )[0]?.u as number;
    expect(Math.round(Number(s.unrealizedPnl) * 1e6)).toBe(open);
  });
});

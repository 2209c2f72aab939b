/** `tunicoin order` on a terminal: asks for what is missing (clack, mocked here) and confirms the cost. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { openSqliteStore as openStore } from '../../src/store/db.ts';
import { seedDatabase } from '../../src/app/seed.ts';
import { createContext } from '../../src/cli/context.ts';
import { tempDir } from '../helpers/cli.ts';

const prompts = vi.hoisted(() => ({ askOrderDetails: vi.fn(), confirm: vi.fn() }));
vi.mock('../../src/cli/prompts.ts', () => prompts);
const { placeOrder } = await import('../../src/cli/commands/order.ts');

function tty(): PassThrough & { isTTY: boolean; text(): string } {
  const s = new PassThrough() as PassThrough & { isTTY: boolean; text(): string };
  let buf = '';
  s.on('data', (d) => {
    buf += d;
  });
  s.isTTY = true;
  s.text = () => buf;
  return s;
}

let t: ReturnType<typeof tempDir>;
let db: string;
beforeEach(async () => {
  t = tempDir();
  db = join(t.dir, 'p.db');
  const s = await openStore(db);
  seedDatabase(s, {
    seed: 1,
    days: 1,
    end: Date.UTC(2026, 0, 2),
    instruments: SEED_INSTRUMENTS.slice(0, 1),
    reset: false,
    nowIso: '2026-01-02T00:00:00.000Z',
    demoPasswordHash: 'x',
  });
  s.close();
  prompts.askOrderDetails.mockReset();
  prompts.confirm.mockReset();
});
afterEach(() => t.cleanup());

const ctxFor = () => {
  const out = tty();
  const err = tty();
  return { ctx: createContext({ out, err, env: { HOME: t.dir }, options: { db } }), out, err };
};
const orders = async () => {
  const s = await openStore(db);
  try {
    return s.sqlite.prepare('SELECT side, size, status FROM orders').all();
  } finally {
    s.close();
  }
};

describe('interactive order', () => {
  it('asks for the missing side, symbol and size, shows the cost, places on yes', async () => {
    prompts.askOrderDetails.mockResolvedValue({ side: 'buy', symbol: 'BTC-USD', size: '0.01' });
    prompts.confirm.mockResolvedValue(true);
    const { ctx, out } = ctxFor();
    await placeOrder(ctx, undefined, undefined, undefined, {});
    ctx.close();
    expect(prompts.askOrderDetails).toHaveBeenCalledWith({ side: undefined, symbol: undefined, size: undefined });
    expect(prompts.confirm.mock.calls[0]![0]).toMatch(
      /^buy 0\.01 BTC-USD market at 1x: ~[\d,]+\.\d{2}, margin \$[\d,.]+, fee \$\d+\.\d{2}\. Place it\?$/,
    );
    expect(out.text()).toMatch(/filled: buy 0\.01 BTC-USD market/);
    expect(await orders()).toEqual([{ side: 'buy', size: 1_000_000, status: 'filled' }]);
  });

  it('writes nothing when the user says no', async () => {
    prompts.askOrderDetails.mockResolvedValue({ side: 'sell', symbol: 'BTC-USD', size: '0.02' });
    prompts.confirm.mockResolvedValue(false);
    const { ctx, err } = ctxFor();
    await placeOrder(ctx, 'sell', undefined, undefined, {});
    ctx.close();
    expect(prompts.askOrderDetails).toHaveBeenCalledWith({ side: 'sell', symbol: undefined, size: undefined });
    expect(err.text()).toMatch(/not placed/);
    expect(await orders()).toEqual([]);
  });

  it('never prompts with --yes or off a terminal', async () => {
    const out = tty();
    const err = tty();
    const ctx = createContext({ out, err, env: { HOME: t.dir }, options: { db, yes: true } });
    await expect(placeOrder(ctx, 'buy', 'BTC-USD', undefined, {})).rejects.toThrow(/missing SIZE/);
    ctx.close();
    expect(prompts.askOrderDetails).not.toHaveBeenCalled();
  });
});

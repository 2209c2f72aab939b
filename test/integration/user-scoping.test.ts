/** Every account, order, bot and backtest is private to its user; admins, KYC and plan limits. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount, listAccounts, useAccount } from '../../src/cli/commands/account.ts';
import { botAction, botCreate, botList, botShow } from '../../src/cli/commands/bot.ts';
import { backtest } from '../../src/cli/commands/backtest.ts';
import { listBacktests, showBacktest } from '../../src/cli/commands/backtests.ts';
import { optimize } from '../../src/cli/commands/optimize.ts';
import { cancelOrder, listOrdersCmd, placeOrder, showOrder } from '../../src/cli/commands/order.ts';
import { listLedger } from '../../src/cli/commands/ledger.ts';
import { advance } from '../../src/cli/commands/clock.ts';
import { seed } from '../../src/cli/commands/seed.ts';
import { planList, planSet, userList, userSet, userShow, whoami } from '../../src/cli/commands/user.ts';
import { counts, makeWorld, T0, type World } from '../helpers/users.ts';

let w: World;
let ada: string; // admin: the first user registered (the seeded demo user is not an admin)
let bob: string;
let adaOrder: string;
let adaBacktest: string;

beforeEach(async () => {
  w = await makeWorld();
  await w.register('ada@example.com');
  await w.register('bob@example.com');
  ada = await w.token('ada@example.com');
  bob = await w.token('bob@example.com');
  expect((await w.run((ctx) => createAccount(ctx, 'Main', {}), { token: ada })).code).toBe(0);
  expect((await w.run((ctx) => createAccount(ctx, 'Main', {}), { token: bob })).code).toBe(0); // the same name, another user: fine
  const o = await w.run((ctx) => placeOrder(ctx, 'buy', 'BTC-USD', '0.01', { price: '1000' }), { token: ada });
  adaOrder = o.json<{ id: string }>().id;
  expect((await w.run((ctx) => botCreate(ctx, 'ada-trend', { strategy: 'ema_crossover', symbol: 'BTC-USD' }), { token: ada })).code).toBe(
    0,
  );
  const bt = await w.run((ctx) => backtest(ctx, 'ema_crossover', { symbol: 'BTC-USD', timeframe: '15m' }, () => {}), { token: ada });
  expect(bt.code).toBe(0);
  adaBacktest = bt.json<{ id: string }>().id;
});
afterEach(() => w.cleanup());

describe('data per user', () => {
  it.each([
    ['order cancel', (ctx: Parameters<typeof cancelOrder>[0]) => cancelOrder(ctx, adaOrder.slice(0, 8))],
    ['order show', (ctx: Parameters<typeof showOrder>[0]) => showOrder(ctx, adaOrder)],
    ['bot start', (ctx: Parameters<typeof botAction>[0]) => botAction(ctx, 'ada-trend', 'start')],
    ['bot show', (ctx: Parameters<typeof botShow>[0]) => botShow(ctx, 'ada-trend')],
    ['backtests show', (ctx: Parameters<typeof showBacktest>[0]) => showBacktest(ctx, adaBacktest.slice(0, 8))],
  ])("another user's id or name in `%s` is not found (exit 3), nothing written", async (_cmd, fn) => {
    const store = await w.store();
    const before = counts(store);
    const states = () =>
      store.sqlite
        .prepare("SELECT (SELECT status FROM orders WHERE id = ?) AS o, (SELECT status FROM bots WHERE name = 'ada-trend') AS b")
        .get(adaOrder);
    const was = states();
    const r = await w.run(fn, { token: bob });
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/unknown (order|bot|backtest)/);
    expect(counts(store)).toEqual(before);
    expect(states()).toEqual(was);
  });

  it("another user's account is not found by name, and their rows are never listed", async () => {
    expect((await w.run((ctx) => listLedger(ctx, { account: 'Demo Account' }), { token: bob })).code).toBe(3);
    const accounts = (await w.run((ctx) => listAccounts(ctx), { token: bob })).json<Array<{ name: string }>>();
    expect(accounts.map((a) => a.name)).toEqual(['Main']);
    expect((await w.run((ctx) => listOrdersCmd(ctx, { status: 'all' }), { token: bob })).json()).toEqual([]);
    expect((await w.run((ctx) => botList(ctx), { token: bob })).json()).toEqual([]);
    expect((await w.run((ctx) => listBacktests(ctx, {}), { token: bob })).json()).toEqual([]);
    // ada sees hers
    expect((await w.run((ctx) => listOrdersCmd(ctx, {}), { token: ada })).json<unknown[]>()).toHaveLength(1);
    expect((await w.run((ctx) => botList(ctx), { token: ada })).json<Array<{ name: string }>>().map((b) => b.name)).toEqual(['ada-trend']);
    expect((await w.run((ctx) => listBacktests(ctx, {}), { token: ada })).json<Array<{ id: string }>>().map((b) => b.id)).toEqual([
      adaBacktest,
    ]);
    // each user's default account is their own
    expect((await w.run((ctx) => useAccount(ctx, 'Main'), { token: bob })).code).toBe(0);
    const adaDefault = (await w.run((ctx) => listAccounts(ctx), { token: ada })).json<Array<{ name: string; default: boolean }>>();
    expect(adaDefault.filter((a) => a.default).map((a) => a.name)).toEqual([]);
  });

  it('admins see everything with --all-users; a non-admin asking for it is refused', async () => {
    const all = (await w.run((ctx) => listAccounts(ctx), { token: ada, allUsers: true })).json<Array<{ user: string }>>();
    expect(all.map((a) => a.user).sort()).toEqual(['ada@example.com', 'bob@example.com', 'demo@tunicoin.local']);
    expect((await w.run((ctx) => showBacktest(ctx, adaBacktest), { token: ada, allUsers: true })).code).toBe(0);
    const denied = await w.run((ctx) => listAccounts(ctx), { token: bob, allUsers: true });
    expect(denied.code).toBe(8);
    expect(denied.err).toMatch(/--all-users is for admins only/);
    const adminCancel = await w.run((ctx) => cancelOrder(ctx, adaOrder), { token: ada, allUsers: true });
    expect(adminCancel.code).toBe(0);
    // --all-users widens what an admin sees, not whose account an order goes to
    const order = await w.run((ctx) => placeOrder(ctx, 'buy', 'BTC-USD', '0.01', {}), { token: ada, allUsers: true });
    expect(order.json()).toMatchObject({ account: 'Main', status: 'filled' });
    const owner = (await w.store()).sqlite
      .prepare('SELECT u.email AS e FROM orders o JOIN accounts a ON a.id = o.account_id JOIN users u ON u.id = a.user_id WHERE o.id = ?')
      .get(order.json<{ id: string }>().id) as { e: string };
    expect(owner.e).toBe('ada@example.com');
  });

  it('a market advance needs no login, and shows each user only their own fills and funding', async () => {
    const buy = await w.run((ctx) => placeOrder(ctx, 'buy', 'BTC-USD', '0.01', {}), { token: ada });
    expect(buy.code).toBe(0);
    const funding = (r: Awaited<ReturnType<World['run']>>) => r.json<{ funding: Array<{ accountId: string }> }>().funding;
    const anyone = await w.run((ctx) => advance(ctx, '9h'));
    expect(anyone.code).toBe(0);
    expect(funding(anyone)).toEqual([]);
    expect(funding(await w.run((ctx) => advance(ctx, '9h'), { token: bob }))).toEqual([]);
    const mine = funding(await w.run((ctx) => advance(ctx, '9h'), { token: ada }));
    expect(mine.length).toBeGreaterThan(0);
    const adaAccounts = (await w.run((ctx) => listAccounts(ctx), { token: ada })).json<Array<{ id: string }>>().map((a) => a.id);
    for (const f of mine) expect(adaAccounts).toContain(f.accountId);
  });

  it('a database with one user acts as that user without a session; whoami says so', async () => {
    const solo = await makeWorld();
    try {
      expect((await solo.run((ctx) => whoami(ctx))).json()).toMatchObject({ user: 'demo@tunicoin.local', via: 'only-user' });
      const r = await solo.run((ctx) => placeOrder(ctx, 'buy', 'BTC-USD', '0.01', {}));
      expect(r.json()).toMatchObject({ status: 'filled' });
    } finally {
      solo.cleanup();
    }
  });
});

describe('admins, KYC and plans', () => {
  it('non-admins cannot call admin commands (exit 8), nothing written', async () => {
    const store = await w.store();
    const before = counts(store);
    const users = store.sqlite.prepare('SELECT * FROM users ORDER BY id').all();
    const plans = store.sqlite.prepare('SELECT * FROM plans ORDER BY id').all();
    for (const fn of [
      (ctx: Parameters<typeof userList>[0]) => userList(ctx),
      (ctx: Parameters<typeof userList>[0]) => userSet(ctx, 'bob@example.com', { admin: true }),
      (ctx: Parameters<typeof userList>[0]) => userSet(ctx, 'ada@example.com', { active: 'false' }),
      (ctx: Parameters<typeof userList>[0]) => planSet(ctx, 'free', { maxAccounts: '0' }),
      (ctx: Parameters<typeof userList>[0]) => userShow(ctx, 'ada@example.com'),
      (ctx: Parameters<typeof userList>[0]) => seed(ctx, { reset: true, days: '1', end: '2026-01-02T00:00:00Z', instruments: 'BTC-USD' }),
    ]) {
      const r = await w.run(fn, { token: bob });
      expect(r.code).toBe(8);
      expect(r.err).toMatch(/for admins only/);
    }
    expect(counts(store)).toEqual(before);
    expect(store.sqlite.prepare('SELECT * FROM users ORDER BY id').all()).toEqual(users);
    expect(store.sqlite.prepare('SELECT * FROM plans ORDER BY id').all()).toEqual(plans);
  });

  it('user set: KYC approval stamps kyc_verified_at; plans must exist; the last admin stays', async () => {
    w.now = T0 + 60_000;
    const r = await w.run((ctx) => userSet(ctx, 'BOB@example.com', { kyc: 'approved', verified: true, plan: 'pro' }), { token: ada });
    expect(r.json()).toMatchObject({
      email: 'bob@example.com',
      kycStatus: 'approved',
      kycVerifiedAt: new Date(T0 + 60_000).toISOString(),
      verified: true,
      plan: 'pro',
    });
    expect((await w.run((ctx) => userSet(ctx, 'bob@example.com', { plan: 'gold' }), { token: ada })).code).toBe(3);
    expect((await w.run((ctx) => userSet(ctx, 'bob@example.com', { kyc: 'maybe' }), { token: ada })).code).toBe(2);
    const last = await w.run((ctx) => userSet(ctx, 'ada@example.com', { admin: 'false' }), { token: ada });
    expect(last.code).toBe(4);
    expect(last.err).toMatch(/last active admin/);
    const list = (await w.run((ctx) => userList(ctx), { token: ada })).json<Array<{ email: string; admin: boolean }>>();
    expect(list.map((u) => [u.email, u.admin])).toEqual([
      ['demo@tunicoin.local', false],
      ['ada@example.com', true],
      ['bob@example.com', false],
    ]);
    // a deactivated user's session stops working
    expect((await w.run((ctx) => userSet(ctx, 'bob@example.com', { active: 'false' }), { token: ada })).code).toBe(0);
    const off = await w.run((ctx) => whoami(ctx), { token: bob });
    expect(off.code).toBe(8);
    expect(off.err).toMatch(/deactivated/);
  });

  it('free and pro are unlimited; past a limit set by an admin is refused with the plan and the limit named', async () => {
    expect((await w.run((ctx) => planList(ctx))).json()).toEqual([
      // plans are public: no login needed
      { plan: 'free', maxAccounts: null, maxBots: null, maxSweep: null },
      { plan: 'pro', maxAccounts: null, maxBots: null, maxSweep: null },
    ]);
    const set = await w.run((ctx) => planSet(ctx, 'free', { maxAccounts: '1', maxBots: '0', maxSweep: '4' }), { token: ada });
    expect(set.json()).toEqual({ plan: 'free', maxAccounts: 1, maxBots: 0, maxSweep: 4 });
    const before = counts(await w.store());
    const acct = await w.run((ctx) => createAccount(ctx, 'Second', {}), { token: bob });
    expect(acct.code).toBe(4);
    expect(acct.err).toMatch(
      /plan "free" allows at most 1 accounts; you have 1 \(an admin can raise it: tunicoin plan set free --max-accounts N/,
    );
    const bot = await w.run((ctx) => botCreate(ctx, 'bob-bot', { strategy: 'ema_crossover', symbol: 'BTC-USD' }), { token: bob });
    expect(bot.code).toBe(4);
    expect(bot.err).toMatch(/plan "free" allows at most 0 bots/);
    const sweep = await w.run((ctx) => optimize(ctx, 'ema_crossover', { grid: ['fast=5,10,15', 'slow=20,30'] }), { token: bob });
    expect(sweep.code).toBe(4);
    expect(sweep.err).toMatch(/plan "free" allows at most 4 combinations in one sweep; this one has 6/);
    expect(counts(await w.store())).toEqual(before);
    // pro stays unlimited
    await w.run((ctx) => userSet(ctx, 'bob@example.com', { plan: 'pro' }), { token: ada });
    expect((await w.run((ctx) => createAccount(ctx, 'Second', {}), { token: bob })).code).toBe(0);
    expect((await w.run((ctx) => planSet(ctx, 'free', { maxBots: 'unlimited' }), { token: ada })).json()).toMatchObject({ maxBots: null });
    expect((await w.run((ctx) => planSet(ctx, 'free', { maxBots: '-1' }), { token: ada })).code).toBe(2);
    expect((await w.run((ctx) => planSet(ctx, 'gold', { maxBots: '1' }), { token: ada })).code).toBe(3);
  });
});

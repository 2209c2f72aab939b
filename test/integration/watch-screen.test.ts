/**
 * The watch screen on a seeded market: frames rendered by Ink's testing renderer show the same
 * numbers as `account --json` and `positions --json` at the same clock; the controller drives
 * ticks and orders through the app use cases (everything lands in the database).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { ConflictError } from '../../src/core/errors.ts';
import { parseMoney, parsePrice, parseQty } from '../../src/core/money.ts';
import { DAY_MS, MINUTE_MS } from '../../src/core/time.ts';
import type { AdvanceSummary } from '../../src/app/advance.ts';
import { resolveAccountId } from '../../src/app/paper.ts';
import { placePaperOrder, readWatchSnapshot, watchTick } from '../../src/app/watch.ts';
import { createContext } from '../../src/cli/context.ts';
import { listPositions, showAccount } from '../../src/cli/commands/account.ts';
import { cash, priceTight as priceText } from '../../src/cli/render/trading.ts';
import { WatchController } from '../../src/cli/watch/controller.ts';
import { tickEntries } from '../../src/cli/watch/events.ts';
import { Screen } from '../../src/cli/watch/screen.tsx';
import { buildView } from '../../src/cli/watch/view.ts';
import { layout } from '../../src/cli/watch/view-layout.ts';
import type { Key } from '../../src/cli/watch/state.ts';
import type { ScreenView } from '../../src/cli/watch/view-types.ts';
import { readClock } from '../../src/store/clock.ts';
import { openSqliteStore as openStore, type Store } from '../../src/store/db.ts';
import { listInstruments } from '../../src/store/instruments.ts';
import { listOrders } from '../../src/store/orders.ts';
import { seedDatabase } from '../../src/app/seed.ts';
import { verifyLedger } from '../../src/store/verify.ts';
import { tempDir } from '../helpers/cli.ts';

const END = Date.UTC(2026, 0, 2);
let t: ReturnType<typeof tempDir>;
let db: string;
let store: Store;

beforeEach(async () => {
  t = tempDir();
  db = join(t.dir, 'w.db');
  store = await openStore(db);
  seedDatabase(store, {
    seed: 5,
    days: 1,
    end: END,
    instruments: SEED_INSTRUMENTS.filter((i) => ['BTC-USD', 'ETH-USD', 'EURUSD'].includes(i.symbol)),
    reset: false,
    nowIso: '2026-01-02T00:00:00.000Z',
    demoPasswordHash: 'x',
  });
});
afterEach(() => {
  store.close();
  t.cleanup();
});

const wall = () => Date.UTC(2026, 5, 1);

/** `tunicoin <cmd> --json` in process, on the same database file. */
async function cliJson<T>(run: (ctx: ReturnType<typeof createContext>) => Promise<void>): Promise<T> {
  let text = '';
  const out = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  const ctx = createContext({
    out,
    err: new Writable({
      write(_c, _e, cb) {
        cb();
      },
    }),
    env: { HOME: t.dir },
    options: { db, json: true },
  });
  try {
    await run(ctx);
  } finally {
    ctx.close();
  }
  return JSON.parse(text) as T;
}

function frameOf(view: ScreenView): string {
  const r = render(createElement(Screen, { view }));
  const f = r.lastFrame() ?? '';
  r.unmount();
  return f;
}

function snapshotView(cols: number, rows: number, focus = 0) {
  const instruments = listInstruments(store);
  const accountId = resolveAccountId(store, undefined);
  const L = layout(cols, rows);
  const snap = readWatchSnapshot(store, {
    accountId,
    instruments,
    focused: instruments[focus] ?? instruments[0]!,
    timeframe: '1m',
    chartBars: L.chart.width - 14,
    sparkBars: 20,
  });
  return buildView(
    snap,
    { focus, speed: 60, paused: false, form: null, help: false, selected: 0, log: [], stopped: null },
    { accountName: 'Demo Account', timeframe: '1m', color: false },
    cols,
    rows,
  );
}

describe('watch frames', () => {
  it('show every panel, and the account and positions of `account --json` / `positions --json` at the same clock', async () => {
    const accountId = resolveAccountId(store, undefined);
    const [btc, , eur] = ['BTC-USD', 'ETH-USD', 'EURUSD'].map((s) => listInstruments(store).find((i) => i.symbol === s)!);
    const buy = placePaperOrder(store, wall, {
      accountId,
      instrumentId: btc!.id,
      side: 'buy',
      type: 'market',
      size: parseQty('0.1'),
      leverage: 2,
      stopLoss: parsePrice('40000'),
      takeProfit: parsePrice('60000'),
      source: 'manual',
      fillNow: true,
    });
    expect(buy.status).toBe('filled');
    const short = placePaperOrder(store, wall, {
      accountId,
      instrumentId: eur!.id,
      side: 'sell',
      type: 'market',
      size: parseQty('0.05'),
      leverage: 10,
      source: 'manual',
      fillNow: true,
    });
    expect(short.status).toBe('filled');
    const limit = placePaperOrder(store, wall, {
      accountId,
      instrumentId: btc!.id,
      side: 'buy',
      type: 'limit',
      size: parseQty('0.05'),
      price: parsePrice('30000'),
      source: 'manual',
    });
    expect(limit.status).toBe('pending');
    const tick = await watchTick(store, wall, 90 * MINUTE_MS);
    expect(tick.status).toBe('advanced');

    const frame = frameOf(snapshotView(120, 40));
    const acct = await cliJson<{
      clock: string;
      equity: string;
      balance: string;
      unrealizedPnl: string;
      marginUsed: string;
      marginAvailable: string;
      todayPnl: string;
    }>((c) => showAccount(c, {}));
    const positions = await cliJson<
      Array<{
        symbol: string;
        side: string;
        size: string;
        entryPrice: string;
        markPrice: string;
        unrealizedPnl: string;
        stopLoss: string | null;
        takeProfit: string | null;
      }>
    >((c) => listPositions(c, {}));
    expect(acct.clock).toBe(new Date(END + 90 * MINUTE_MS).toISOString());
    expect(frame).toContain('2026-01-02 01:30 UTC');
    for (const title of ['tunicoin watch', 'BTC-USD 1m', 'quotes', 'positions (2)', 'working orders (1)', 'log'])
      expect(frame).toContain(title);
    expect(frame).toContain(`equity ${cash(parseMoney(acct.equity))}`);
    expect(frame).toContain(`balance ${cash(parseMoney(acct.balance))}`);
    expect(frame).toContain(`unrealised ${cash(parseMoney(acct.unrealizedPnl), undefined, true)}`);
    expect(frame).toContain(`margin used ${cash(parseMoney(acct.marginUsed))}`);
    expect(frame).toContain(`available ${cash(parseMoney(acct.marginAvailable))}`);
    expect(frame).toContain(`today ${cash(parseMoney(acct.todayPnl), undefined, true)}`);
    expect(positions).toHaveLength(2);
    const lines = frame.split('\n');
    for (const p of positions) {
      const row = lines.find((l) => l.includes(`│${p.symbol} `) && l.includes(` ${p.side} `));
      expect(row, `a row for ${p.symbol}`).toBeDefined();
      const tick = listInstruments(store).find((i) => i.symbol === p.symbol)!.tickSize;
      for (const v of [
        p.size,
        priceText(parsePrice(p.entryPrice), tick),
        priceText(parsePrice(p.markPrice), tick),
        cash(parseMoney(p.unrealizedPnl), undefined, true),
      ])
        expect(row).toContain(` ${v} `);
      if (p.stopLoss) expect(row).toContain(priceText(parsePrice(p.stopLoss), tick));
      if (p.takeProfit) expect(row).toContain(priceText(parsePrice(p.takeProfit), tick));
    }
    expect(frame).toContain(`│> ${limit.id.slice(0, 8)} BTC-USD buy  limit 0.05 30000.00`); // the selected working order, marked
    // no colour codes were asked for (NO_COLOR): the frame is plain text, candles told apart by their glyphs
    // eslint-disable-next-line no-control-regex -- an ANSI colour escape is what it looks for
    expect(frame).not.toMatch(/\x1b\[3\dm/);
    expect(frame).toContain('░ up █ down');
  });

  it('fit an 80x24 terminal and refuse a smaller one', () => {
    const frame = frameOf(snapshotView(80, 24));
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    for (const title of ['quotes', 'positions (0)', 'working orders (0)', 'log', 'BTC-USD 1m', 'q quit']) expect(frame).toContain(title);
    expect(frameOf(snapshotView(70, 20))).toContain('terminal too small: 70x20');
  });
});

describe('watch controller', () => {
  function controller(speed: number, advance?: Parameters<typeof watchTick>[3], size = { cols: 120, rows: 40 }) {
    let now = wall();
    const views: ScreenView[] = [];
    const c = new WatchController({
      store,
      wallNow: () => now,
      accountId: resolveAccountId(store, undefined),
      accountName: 'Demo Account',
      instruments: listInstruments(store),
      timeframe: '5m',
      speed,
      color: false,
      size: () => size,
      draw: (v) => views.push(v),
      setTimer: () => null,
      clearTimer: () => {},
      advance,
    });
    c.start();
    return {
      c,
      views,
      later: (ms: number) => {
        now += ms;
      },
      keys: async (...ks: Array<Key | string>) => {
        for (const k of ks) await c.key(typeof k === 'string' ? { name: 'char', char: k } : k);
        await c.frame(); // the redraw (at most one per frame)
      },
    };
  }
  const frame = (views: ScreenView[]) => frameOf(views[views.length - 1]!);

  it('advances the clock by wall time x speed, in whole minutes, written to the database', async () => {
    const w = controller(60);
    w.later(2500);
    await w.c.frame();
    expect(readClock(store)).toBe(END + 2 * MINUTE_MS); // 2.5 simulated minutes owed: 2 advanced, 30 s carried
    w.later(500);
    await w.c.frame();
    expect(readClock(store)).toBe(END + 3 * MINUTE_MS);
    await w.keys(' '); // pause: wall time passing owes nothing
    w.later(60_000);
    await w.c.frame();
    expect(readClock(store)).toBe(END + 3 * MINUTE_MS);
    await w.keys('n'); // one 5m candle
    expect(readClock(store)).toBe(END + 8 * MINUTE_MS);
    expect(frame(w.views)).toContain('2026-01-02 00:08 UTC');
    expect(w.c.stats.simMs).toBe(8 * MINUTE_MS);
    await w.keys('q');
    await expect(w.c.done).resolves.toEqual({ interrupted: false });
  });

  it('follows the terminal size: a resize redraws at the new size', async () => {
    const size = { cols: 120, rows: 40 };
    const w = controller(0, undefined, size);
    expect(w.views.at(-1)).toMatchObject({ cols: 120, rows: 40, tooSmall: null });
    Object.assign(size, { cols: 80, rows: 24 });
    w.c.resized();
    await w.c.frame();
    expect(w.views.at(-1)).toMatchObject({ cols: 80, rows: 24, tooSmall: null });
    expect(w.views.at(-1)?.chart.width).toBe(36);
    Object.assign(size, { cols: 60, rows: 20 });
    w.c.resized();
    await w.c.frame();
    expect(frame(w.views)).toContain('terminal too small: 60x20');
  });

  it('places, closes and cancels through the paper-order use cases', async () => {
    const w = controller(0);
    const accountId = resolveAccountId(store, undefined);
    await w.keys('b', '0', '.', '1');
    expect(frame(w.views)).toContain('Buy BTC-USD');
    await w.c.frame();
    expect(frame(w.views)).toMatch(/fills ~[\d.]+ at 1x · margin \$[\d,.]+ · fee \$[\d.]+/);
    await w.keys({ name: 'return' });
    let orders = listOrders(store, accountId, 'all', 10);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ side: 'buy', size: parseQty('0.1'), status: 'filled', source: 'manual', symbol: 'BTC-USD' });
    await w.c.frame();
    expect(frame(w.views)).toContain('you: buy 0.1 BTC-USD @');
    expect(frame(w.views)).toContain('positions (1)');
    await w.keys('c');
    orders = listOrders(store, accountId, 'all', 10);
    expect(orders[0]).toMatchObject({ side: 'sell', status: 'filled', source: 'close' });
    // a limit order: type field, right -> limit, tab to size, 0.2, tab to price, 1000, enter
    await w.keys('b', { name: 'up' }, { name: 'right' }, { name: 'tab' }, '0', '.', '2', { name: 'tab' }, '1', '0', '0', '0', {
      name: 'return',
    });
    orders = listOrders(store, accountId, 'open', 10);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ order_type: 'limit', price: parsePrice('1000'), size: parseQty('0.2') });
    await w.c.frame();
    expect(frame(w.views)).toContain('working orders (1)');
    await w.keys('x');
    expect(listOrders(store, accountId, 'open', 10)).toHaveLength(0);
    expect(listOrders(store, accountId, 'all', 10)[0]).toMatchObject({ status: 'canceled' });
    // nothing left to close: said in the log, the screen carries on
    await w.keys('c');
    await w.c.frame();
    expect(frame(w.views)).toContain('no open BTC-USD position');
    expect(verifyLedger(store).filter((c) => !c.ok)).toEqual([]);
  });

  it('stops the market where the advance says the data ends, and keeps the screen up', async () => {
    // A market whose data ends 3 minutes after the clock: the advance stops there.
    const limit = readClock(store) + 3 * MINUTE_MS;
    const advance = async (s: Store, wallNow: () => number, ms: number): Promise<AdvanceSummary> => {
      const { runAdvance } = await import('../../src/app/advance.ts');
      const from = readClock(s);
      if (from >= limit) throw new ConflictError('no candles after 2026-01-02T00:03:00.000Z', 'import more history');
      return runAdvance(s, wallNow, Math.min(ms, limit - from));
    };
    const w = controller(60, advance);
    w.later(2000);
    await w.c.frame();
    expect(readClock(store)).toBe(limit - MINUTE_MS);
    w.later(2000);
    await w.c.frame();
    expect(readClock(store)).toBe(limit);
    expect(w.c.ui.stopped).toBe('the clock reached the end of the data');
    expect(frame(w.views)).toContain('stopped: the clock reached the end of the data');
    w.later(10_000);
    await w.c.frame(); // stopped: no further advance
    expect(readClock(store)).toBe(limit);
    expect(await watchTick(store, wall, MINUTE_MS, advance)).toEqual({
      status: 'stopped',
      reason: 'no candles after 2026-01-02T00:03:00.000Z',
      summary: null,
    });
    await expect(watchTick(store, wall, MINUTE_MS, () => Promise.reject(new Error('disk on fire')))).rejects.toThrow('disk on fire');
  });
});

describe('watch log', () => {
  it("lists fills with their cause, the account's funding, and bot decisions other than hold", () => {
    const summary = {
      from: 0,
      to: DAY_MS,
      bars: 0,
      generated: 0,
      instruments: new Map(),
      fills: [
        {
          id: 'o1',
          instrumentId: 'i1',
          side: 'sell',
          size: parseQty('0.5'),
          fillPrice: parsePrice('50000'),
          commission: parseMoney('1.25'),
          source: 'stop_loss',
          botId: null,
          filledAt: 120_000,
        },
        {
          id: 'o2',
          instrumentId: 'i1',
          side: 'buy',
          size: parseQty('1'),
          fillPrice: parsePrice('50010'),
          commission: parseMoney('2'),
          source: 'bot',
          botId: 'b1',
          filledAt: 60_000,
        },
      ],
      journals: [
        { accountId: 'a1', type: 'funding', amount: parseMoney('-0.5'), time: 8 * 3_600_000, description: 'Funding BTC-USD' },
        { accountId: 'other', type: 'funding', amount: parseMoney('-9'), time: 8 * 3_600_000, description: 'not ours' },
      ],
      decisions: [
        {
          botId: 'b1',
          candleTime: 0,
          decision: 'hold',
          explanation: { reason: 'nothing', indicators: {} },
          riskAdjusted: false,
          riskReason: null,
          order: null,
          breaker: null,
        },
        {
          botId: 'b1',
          candleTime: 0,
          decision: 'buy',
          explanation: { reason: 'fast EMA crossed above slow', indicators: {} },
          riskAdjusted: true,
          riskReason: 'cut to max position',
          order: null,
          breaker: null,
        },
      ],
    } as unknown as AdvanceSummary;
    const names = { symbol: () => 'BTC-USD', tick: () => 1_000_000, bot: () => 'trend' };
    expect(tickEntries(summary, 'a1', names).map((e) => `${e.kind} ${e.text}`)).toEqual([
      'bot bot trend: buy - fast EMA crossed above slow [risk: cut to max position]',
      'fill bot trend: buy 1 BTC-USD @ 50010.00 fee $2.00',
      'fill stop-loss: sell 0.5 BTC-USD @ 50000.00 fee $1.25',
      'funding funding -$0.50: Funding BTC-USD',
    ]);
  });
});

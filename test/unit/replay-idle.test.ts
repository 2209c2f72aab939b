/**
 * Replaying without per-minute hooks steps only the bars on which something can happen
 * (engine/replay-idle.ts). Checked against the replay that steps every bar (forced by a no-op
 * onMinute hook) on random markets of three instruments with gaps, two accounts, resting
 * orders near and far from the price, open positions with stop-loss, take-profit and trailing
 * stops, funding boundaries and liquidations: the same orders, fills, positions, journals and
 * working orders, and every instrument left with the same last bar, bar time and funding time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Candles } from '../../src/core/candles.ts';
import { parseMoney, priceFromFloat, type Money, type Ppm, type Price, type Qty } from '../../src/core/money.ts';
import { Engine } from '../../src/engine/engine.ts';
import { MemorySink } from '../../src/engine/memory-sink.ts';
import { replay, type BarFeed } from '../../src/engine/replay.ts';
import { emptyState, type EngineAccount } from '../../src/engine/state.ts';
import type { OrderType } from '../../src/core/fill.ts';
import { MIN, TEST_SPEC } from '../helpers/engine.ts';

/** Just before a funding boundary (16:00 UTC), so long runs cross 00:00 and 08:00 too. */
const START = Date.UTC(2026, 0, 1, 15, 50);
const SYMBOLS = ['I', 'J', 'K'] as const;
const BASE = [100, 50, 20];

interface OrderSpec {
  acct: number;
  inst: number;
  side: 'buy' | 'sell';
  type: OrderType | 'trail';
  /** Level as a fraction of the base price. */
  level: number;
  limitOffset: number;
  size: number;
  leverage: number;
  sl: number | null;
  tp: number | null;
}

const orderSpec = fc.record({
  acct: fc.integer({ min: 0, max: 1 }),
  inst: fc.integer({ min: 0, max: 2 }),
  side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
  type: fc.constantFrom<OrderSpec['type']>('market', 'limit', 'limit', 'stop', 'stop_limit', 'trail'),
  level: fc.double({ min: 0.9, max: 1.1, noNaN: true }),
  limitOffset: fc.double({ min: -0.02, max: 0.02, noNaN: true }),
  size: fc.integer({ min: 1, max: 400 }),
  leverage: fc.constantFrom(1, 5, 10, 10),
  sl: fc.option(fc.double({ min: 0.005, max: 0.08, noNaN: true }), { nil: null }),
  tp: fc.option(fc.double({ min: 0.005, max: 0.08, noNaN: true }), { nil: null }),
});

/** A position near the whole margin of account B (10x, no stop-loss): a move of a few percent liquidates it. */
const risky = fc.record({
  acct: fc.constant(1),
  inst: fc.integer({ min: 0, max: 2 }),
  side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
  type: fc.constant<OrderSpec['type']>('market'),
  level: fc.constant(1),
  limitOffset: fc.constant(0),
  size: fc.integer({ min: 100, max: 280 }),
  leverage: fc.constant(10),
  sl: fc.constant(null),
  tp: fc.constant(null),
});

/** A market of one instrument: per minute, maybe a bar (gaps), a random walk around `base`. */
const market = fc.record({
  steps: fc.array(
    fc.tuple(
      fc.double({ min: -1, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.boolean(),
    ),
    { minLength: 0, maxLength: 300, size: 'max' },
  ),
  jump: fc.constantFrom(0.0005, 0.003, 0.02),
  drift: fc.constantFrom(0, 0, -0.5, 0.5),
  gaps: fc.boolean(),
  offset: fc.integer({ min: 0, max: 30 }),
});

interface Market {
  steps: [number, number, number, boolean][];
  jump: number;
  drift: number;
  gaps: boolean;
  offset: number;
}

function candlesOf(m: Market, base: number): Candles {
  const rows: number[][] = [];
  let mid = base;
  m.steps.forEach(([d, up, down, skip], k) => {
    if (m.gaps && skip) return;
    const open = mid;
    mid = Math.max(base * 0.2, mid * (1 + (d + m.drift) * m.jump));
    const r = (x: number) => Math.round(x * 100) / 100;
    const high = r(Math.max(open, mid) * (1 + up * m.jump));
    const low = r(Math.min(open, mid) * (1 - down * m.jump));
    rows.push([START + (m.offset + k + 1) * MIN, r(open), high, Math.max(0.01, low), r(mid), 1 + Math.floor(up * 5000)]);
  });
  const col = (j: number) => Float64Array.from(rows, (r) => r[j] as number);
  return { time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
}

function world(specs: readonly OrderSpec[]) {
  const state = emptyState(START);
  SYMBOLS.forEach((id, k) => {
    const spec = { ...TEST_SPEC, symbol: id, maxParticipation: k === 2 ? 0.05 : 0 };
    const mid = BASE[k] as number;
    state.instruments.set(id, {
      id,
      spec,
      params: {
        spread: spec.baseSpread,
        tick: spec.tickSize,
        slippageFactor: spec.slippageFactor,
        minSize: spec.minSize,
        maxParticipation: spec.maxParticipation,
      },
      bar: { open: mid, high: mid, low: mid, close: mid, volume: 100_000 },
      barTime: START,
      holders: [],
      nextFundingAt: NaN,
    });
  });
  const sink = new MemorySink();
  let n = 0;
  const engine = new Engine(state, sink, () => `id-${++n}`);
  for (const [id, cash] of [
    ['A', '20000'],
    ['B', '300'],
  ] as const) {
    const acct: EngineAccount = {
      id,
      balance: 0 as Money,
      maxLeverage: 10,
      makerFee: 200 as Ppm,
      takerFee: 500 as Ppm,
      maxDailyLoss: null,
      isActive: true,
      positions: new Map(),
      dayKey: 0,
      dayPnl: 0 as Money,
    };
    state.accounts.set(id, acct);
    sink.journal(id, 'deposit', parseMoney(cash), START, { description: 'deposit' });
    acct.balance = parseMoney(cash);
  }
  const tick = TEST_SPEC.tickSize;
  const px = (x: number) => (Math.max(1, Math.round(priceFromFloat(x) / tick)) * tick) as Price;
  for (const o of specs) {
    const base = BASE[o.inst] as number;
    const scale = 100 / base; // about the same notional on every instrument
    const level = px(base * o.level);
    const limit = px(base * (o.level + o.limitOffset));
    // exits around the price the order fills at (a stop-limit: its limit)
    const ref = o.type === 'market' ? base : o.type === 'stop_limit' ? base * (o.level + o.limitOffset) : base * o.level;
    const dir = o.side === 'buy' ? 1 : -1;
    engine.placeOrder({
      accountId: o.acct ? 'B' : 'A',
      instrumentId: SYMBOLS[o.inst] as string,
      side: o.side,
      type: o.type === 'trail' ? 'stop' : o.type,
      size: (Math.round(o.size * scale) * 10_000_000) as Qty,
      leverage: o.leverage,
      price: o.type === 'limit' ? level : o.type === 'stop_limit' ? limit : null,
      stopPrice: o.type === 'stop' || o.type === 'stop_limit' ? level : null,
      trail: o.type === 'trail' ? { kind: 'percent', ppm: 5_000 } : null,
      fillNow: o.type === 'market',
      stopLoss: o.sl === null ? null : px(ref * (1 - dir * o.sl)),
      takeProfit: o.tp === null ? null : px(ref * (1 + dir * o.tp)),
    });
  }
  return { engine, sink, state };
}

function run(specs: readonly OrderSpec[], candles: readonly Candles[], everyBar: boolean) {
  const { engine, sink, state } = world(specs);
  const feeds: BarFeed[] = SYMBOLS.map((id, k) => ({ instrumentId: id, candles: candles[k] as Candles }));
  const minutes: number[] = [];
  const bars = replay(engine, feeds, everyBar ? { onMinute: (t) => minutes.push(t) } : {});
  return {
    bars,
    orders: [...sink.orders.values()],
    positions: [...sink.positions.values()],
    closed: sink.closed,
    journals: sink.journals,
    working: state.orders,
    clock: state.clock,
    accounts: [...state.accounts.values()].map((a) => ({ ...a, positions: [...a.positions.values()] })),
    instruments: [...state.instruments.values()].map((i) => ({
      bar: i.bar,
      barTime: i.barTime,
      nextFundingAt: i.nextFundingAt,
      holders: i.holders.map((h) => h.pos.id),
    })),
  };
}

describe('replay without hooks (replay-idle.ts)', () => {
  it('gives exactly what stepping every bar gives', () => {
    fc.assert(
      fc.property(fc.array(orderSpec, { maxLength: 12 }), fc.option(risky), fc.tuple(market, market, market), (more, first, ms) => {
        const specs = first ? [first, ...more] : more;
        const candles = ms.map((m, k) => candlesOf(m, BASE[k] as number));
        expect(run(specs, candles, false)).toEqual(run(specs, candles, true));
      }),
      { numRuns: 300 },
    );
  });

  it('steps only the bars on which something can happen', () => {
    // far resting orders, no position: only the last bar of each instrument is stepped
    const specs: OrderSpec[] = [0, 1, 2].flatMap((inst) => [
      { acct: 0, inst, side: 'buy', type: 'limit', level: 0.5, limitOffset: 0, size: 1, leverage: 1, sl: null, tp: null },
      { acct: 1, inst, side: 'sell', type: 'limit', level: 1.5, limitOffset: 0, size: 1, leverage: 1, sl: null, tp: null },
    ]);
    const steps = Array.from({ length: 300 }, (_, k): [number, number, number, boolean] => [Math.sin(k), 0.5, 0.5, false]);
    const candles = BASE.map((b) => candlesOf({ steps, jump: 0.001, drift: 0, gaps: false, offset: 0 }, b));
    const { engine } = world(specs);
    let stepped = 0;
    const step = engine.stepInstrument.bind(engine);
    engine.stepInstrument = (inst, bar, time) => {
      stepped++;
      step(inst, bar, time);
    };
    const feeds = SYMBOLS.map((id, k) => ({ instrumentId: id, candles: candles[k] as Candles }));
    expect(replay(engine, feeds)).toBe(900);
    expect(stepped).toBe(3);
    expect(run(specs, candles, false)).toEqual(run(specs, candles, true));
  });
});

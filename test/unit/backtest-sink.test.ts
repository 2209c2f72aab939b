/**
 * The backtest sink keeps its fills and trades as rows of numbers in chunks and builds the row
 * objects when read: the same rows, field for field and in the same order, as the sink that
 * kept an object per row (test/helpers/backtest-sink-reference.ts), over sessions of the real
 * engine with flips, adds, partial closes, stop-losses, take-profits, rejections and resizes,
 * across chunk boundaries, read during the run and after it; with reasons given as texts and
 * as entries of a log formatted when read (reason-log.ts).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine } from '../../src/engine/engine.ts';
import { BacktestSink } from '../../src/engine/backtest-sink.ts';
import { newTradeRecord } from '../../src/engine/trade-record.ts';
import { emptyState, type EngineOrder, type EnginePosition, type EngineSink } from '../../src/engine/state.ts';
import type { EntryType } from '../../src/core/ledger.ts';
import { parseMoney, parsePrice, type Money, type Ppm, type Qty } from '../../src/core/money.ts';
import { MIN, T0, TEST_SPEC } from '../helpers/engine.ts';
import { RowBacktestSink } from '../helpers/backtest-sink-reference.ts';

/** Every event to both sinks. */
class Tee implements EngineSink {
  constructor(private readonly sinks: readonly EngineSink[]) {}
  orderCreated(o: EngineOrder): void {
    for (const s of this.sinks) s.orderCreated(o);
  }
  orderUpdated(o: EngineOrder): void {
    for (const s of this.sinks) s.orderUpdated(o);
  }
  positionOpened(p: EnginePosition): void {
    for (const s of this.sinks) s.positionOpened(p);
  }
  positionUpdated(p: EnginePosition): void {
    for (const s of this.sinks) s.positionUpdated(p);
  }
  positionClosed(p: EnginePosition): void {
    for (const s of this.sinks) s.positionClosed(p);
  }
  journal(accountId: string, type: EntryType, amount: Money, time: number, refs: { description: string }): void {
    for (const s of this.sinks) s.journal(accountId, type, amount, time, refs);
  }
}

/** A session of `steps` 1m bars with an order placed on most of them, driven by a seeded generator. */
function session(seed: number, steps: number, readEvery: number) {
  let r = seed >>> 0 || 1;
  const rnd = (): number => {
    r ^= r << 13;
    r ^= r >>> 17;
    r ^= r << 5;
    return (r >>> 0) / 2 ** 32;
  };
  const spec = { ...TEST_SPEC, slippageFactor: 0.05 };
  const state = emptyState(T0);
  state.instruments.set('I', {
    id: 'I',
    spec,
    params: {
      spread: spec.baseSpread,
      tick: spec.tickSize,
      slippageFactor: spec.slippageFactor,
      minSize: spec.minSize,
      maxParticipation: 0,
    },
    bar: null,
    barTime: 0,
    holders: [],
    nextFundingAt: NaN,
  });
  state.accounts.set('A', {
    id: 'A',
    balance: parseMoney('100000'),
    maxLeverage: 20,
    makerFee: 200 as Ppm,
    takerFee: 500 as Ppm,
    maxDailyLoss: null,
    isActive: true,
    positions: new Map(),
    dayKey: 0,
    dayPnl: 0 as Money,
  });
  const sink = new BacktestSink();
  const ref = new RowBacktestSink();
  let ids = 0;
  const engine = new Engine(state, new Tee([sink, ref]), () => `t-${++ids}`);
  // every other order's reason is kept unformatted: an entry of this log, formatted when read
  const kept: string[] = [];
  const log = { text: (j: number): string => kept[j] as string };
  let mid = 100;
  const reads: Array<{ fills: number; trades: number }> = [];
  for (let k = 0; k < steps; k++) {
    const open = mid;
    mid = Math.max(5, Math.round(mid * (1 + (rnd() - 0.5) * 0.02) * 100) / 100);
    const hi = Math.max(open, mid) * (1 + rnd() * 0.004);
    const lo = Math.min(open, mid) * (1 - rnd() * 0.004);
    engine.step('I', { open, high: hi, low: lo, close: mid, volume: 50 + rnd() * 500 }, T0 + k * MIN);
    const u = rnd();
    if (u < 0.8) {
      const side = rnd() < 0.5 ? 'buy' : 'sell';
      const size = (Math.floor(1 + rnd() * 300) * spec.minSize) as Qty;
      const below = parsePrice((Math.round(mid * 0.97 * 100) / 100).toFixed(2));
      const above = parsePrice((Math.round(mid * 1.03 * 100) / 100).toFixed(2));
      const exits = rnd() < 0.3;
      const reason = `decision ${k}: ${side} ${mid.toFixed(2)} after ${open.toFixed(2)}`;
      const lazy = k % 2 === 1;
      if (lazy) kept.push(reason);
      engine.placeOrder({
        accountId: 'A',
        instrumentId: 'I',
        side,
        type: 'market',
        size: u < 0.05 ? ((size * 1000) as Qty) : size, // now and then too large: rejected or resized
        source: rnd() < 0.9 ? 'bot' : 'manual',
        reason: lazy ? null : reason,
        reasonLog: lazy ? log : null,
        reasonAt: lazy ? kept.length - 1 : -1,
        fillNow: rnd() < 0.3,
        reduceOnly: rnd() < 0.15,
        sizeAtFill: rnd() < 0.1 ? { kind: 'fraction', fraction: 0.5, max: null } : null,
        leverage: 1 + Math.floor(rnd() * 5),
        stopLoss: exits ? (side === 'buy' ? below : above) : null,
        takeProfit: exits ? (side === 'buy' ? above : below) : null,
      });
    }
    if (readEvery > 0 && k % readEvery === 0) {
      // reading in the middle of a run builds the rows so far; later rows are added to them
      reads.push({ fills: sink.fills.length, trades: sink.trades.length });
      expect(sink.fills).toEqual(ref.fills);
    }
  }
  return { sink, ref, reads };
}

function expectSame(sink: BacktestSink, ref: RowBacktestSink): void {
  // a trade read into a reused record, without the row objects, is the reference row
  expect(sink.tradeCount).toBe(ref.trades.length);
  const t = newTradeRecord();
  for (let k = 0; k < sink.tradeCount; k++) {
    sink.readTrade(k, t);
    expect({ ...t }).toStrictEqual(ref.trades[k]);
  }
  // the same rows, the same keys in the same order (JSON text), the same totals and issues
  expect(JSON.stringify(sink.fills)).toBe(JSON.stringify(ref.fills));
  expect(JSON.stringify(sink.trades)).toBe(JSON.stringify(ref.trades));
  expect(sink.fills).toStrictEqual(ref.fills);
  expect(sink.trades).toStrictEqual(ref.trades);
  // the figures metrics read, without the rows
  expect(Array.from({ length: sink.tradeCount }, (_, k) => [sink.tradePnl(k), sink.tradeMargin(k)])).toEqual(
    ref.trades.map((t) => [t.pnl, t.margin]),
  );
  expect([sink.totalFees, sink.totalFunding]).toEqual([ref.totalFees, ref.totalFunding]);
  expect(sink.rejected).toStrictEqual(ref.rejected);
  expect([sink.rejectedCount, sink.resizedCount]).toEqual([ref.rejected.length, ref.resized.length]);
  expect(sink.resized).toStrictEqual(ref.resized);
}

describe('backtest sink rows', () => {
  it('are the reference rows over a long session (several chunks), read during the run and after it', () => {
    const { sink, ref, reads } = session(7, 4000, 997);
    expect(sink.fills.length).toBeGreaterThan(2 * 1024); // past two chunk boundaries
    expect(sink.trades.length).toBeGreaterThan(100);
    expect(sink.rejected.length + sink.resized.length).toBeGreaterThan(0);
    expect(sink.trades.some((t) => t.side === 'short')).toBe(true);
    expect(sink.fills.some((f) => f.source === 'stop_loss' || f.source === 'take_profit')).toBe(true);
    expect(reads.length).toBeGreaterThan(3);
    expectSame(sink, ref);
    // a second read returns the same rows
    expect(sink.trades).toBe(sink.trades);
  });

  it('are the reference rows for random sessions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 50 }), (seed, readEvery) => {
        const { sink, ref } = session(seed, 300, readEvery);
        expectSame(sink, ref);
      }),
      { numRuns: 40 },
    );
  });
});

/** Backtests on the engine: exact fills, no look-ahead, strict crossovers, determinism. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BacktestRun, runBacktest, type BacktestConfig } from '../../src/engine/backtest.ts';
import { emaCrossover, buyAndHold } from '../../src/core/strategy/builtin.ts';
import { resolveParams } from '../../src/core/strategy/params.ts';
import { emptyCandles } from '../../src/core/candles.ts';
import { parseMoney, parseQty, type Money, type Ppm } from '../../src/core/money.ts';
import type { Decision, Strategy, StrategyCandle } from '../../src/core/strategy/types.ts';
import { TEST_SPEC } from '../helpers/engine.ts';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { generateCandles } from '../../src/market/generator.ts';
import { computeMetrics } from '../../src/core/metrics.ts';

const T0 = Date.UTC(2026, 0, 1);
function candles(closes: number[], stepMs = 60_000) {
  const c = emptyCandles(closes.length);
  closes.forEach((x, i) => {
    const prev = i ? (closes[i - 1] as number) : x;
    c.time[i] = T0 + i * stepMs;
    c.open[i] = prev;
    c.close[i] = x;
    c.high[i] = Math.max(prev, x);
    c.low[i] = Math.min(prev, x);
    c.volume[i] = 1e6;
  });
  return c;
}
const cfg = (over: Partial<BacktestConfig>): BacktestConfig => ({
  candles: candles([100, 101]),
  instrumentId: 'I',
  spec: { ...TEST_SPEC, baseSpread: 0, fundingRate: 0 },
  timeframe: '1m',
  strategy: buyAndHold.create({}),
  capital: parseMoney('10000'),
  leverage: 1,
  maxLeverage: 1,
  makerFee: 0 as Ppm,
  takerFee: 0 as Ppm,
  sizing: { kind: 'fixed', size: parseQty('10') },
  ...over,
});

describe('backtest', () => {
  it('buy and hold: enters at the second candle open, exits at the last close, exact money', () => {
    const o = runBacktest(cfg({ candles: candles([100, 102, 105, 103, 110]), takerFee: 500 as Ppm }));
    expect(o.sink.fills.map((f) => [f.time - T0, f.price / 1e8, f.side])).toEqual([
      [60_000, 100, 'buy'],
      [240_000, 110, 'sell'],
    ]);
    // pnl 10 x (110 - 100) = 100; fees 0.05% of 1,000 and of 1,100 = 0.5 + 0.55
    expect(o.finalEquity).toBe((parseMoney('10000') + parseMoney('100') - parseMoney('1.05')) as Money);
    expect(o.sink.trades).toHaveLength(1);
    expect(o.sink.trades[0]).toMatchObject({
      side: 'long',
      pnl: parseMoney('98.95'),
      fees: parseMoney('1.05'),
      exitReason: 'end of backtest: position closed at the last close',
    });
  });

  it('never shows the strategy a candle before it has closed, and fills at the next open', () => {
    const seen: number[] = [];
    const spy: Strategy = {
      id: 'spy',
      description: '',
      params: [],
      create: () => ({
        warmup: 1,
        onCandle(c: StrategyCandle): Decision {
          seen.push(c.time);
          return seen.length === 2 ? 'buy' : 'hold';
        },
        explain: () => ({ reason: 'spy', indicators: {} }),
      }),
    };
    const closes = Array.from({ length: 180 }, (_, i) => 100 + i);
    const o = runBacktest(cfg({ candles: candles(closes), timeframe: '1h', strategy: spy.create({}) }));
    // the third hour closes at its last minute too (the clock has reached its end), with nothing after it to fill an order
    expect(seen).toEqual([T0, T0 + 3_600_000, T0 + 7_200_000]);
    const cut = runBacktest(cfg({ candles: candles(closes.slice(0, 179)), timeframe: '1h', strategy: spy.create({}) }));
    expect(cut.bars).toBe(3); // a third hour without its last minute is still open at the end: sampled once, never shown
    const buy = o.sink.fills[0]!;
    expect(buy.time).toBe(T0 + 2 * 3_600_000); // decided at the 2nd hour's close, filled at the 3rd hour's first minute
    expect(buy.price / 1e8).toBe(closes[119]); // that minute opens at the previous close
  });

  it('crossovers are strict and long mode exits on the opposite cross', () => {
    const params = resolveParams(emaCrossover, { fast: 2, slow: 4 });
    const up = [10, 10, 10, 10, 10, 11, 12, 13, 14, 15];
    const down = [14, 13, 12, 11, 10, 9, 8];
    const o = runBacktest(cfg({ candles: candles([...up, ...down, 8]), strategy: emaCrossover.create(params) }));
    expect(o.sink.trades).toHaveLength(1);
    const t = o.sink.trades[0]!;
    expect(t.entryReason).toMatch(/EMA2 .* crossed above EMA4/);
    expect(t.exitReason).toMatch(/EMA2 .* crossed below EMA4/);
    expect(t.entryTime).toBe(T0 + 6 * 60_000); // the cross happens on candle 5 (10 -> 11), fill at candle 6
  });

  it('the same inputs give byte-identical metrics and trades', () => {
    const spec = SEED_INSTRUMENTS[0]!;
    const g = generateCandles({
      seed: 9,
      symbol: 'BTC-USD',
      stream: 0,
      startPrice: (spec.tickSize * 5_000_000) as never,
      tickSize: spec.tickSize,
      dailyVol: 0.03,
      meanVolume: 12,
      startTime: T0,
      count: 20_000,
    });
    const once = () => {
      const o = runBacktest(
        cfg({
          candles: g,
          spec,
          timeframe: '15m',
          strategy: emaCrossover.create(resolveParams(emaCrossover, { mode: 'long_short' })),
          sizing: { kind: 'all' },
          takerFee: 500 as Ppm,
          maxLeverage: 1,
        }),
      );
      const m = computeMetrics({
        equity: o.equity,
        times: o.times,
        barMs: 900_000,
        initialCapital: 10_000,
        benchmarkFirstClose: o.firstOpen,
        benchmarkLastClose: o.lastClose,
        exposureBars: o.exposureBars,
        trades: [],
        totalFees: o.sink.totalFees / 1e6,
        totalFunding: o.sink.totalFunding / 1e6,
      });
      return JSON.stringify({ m, trades: o.sink.trades, fills: o.sink.fills, final: o.finalEquity });
    };
    const a = once();
    expect((JSON.parse(a) as { trades: unknown[] }).trades.length).toBeGreaterThan(5);
    expect(once()).toBe(a);
  });
  it('a 1m strategy on 1m candles sees each minute once, at its close, also past an off-minute candle, in one run or in slices that do not split a minute', () => {
    // minutes 0, 1, 1.5 (off the minute: in the bucket of minute 1, which has closed), 2, 5 (a gap), 6
    const at = [0, 60_000, 90_000, 120_000, 300_000, 360_000];
    const c = candles([100, 101, 102, 103, 104, 105]);
    at.forEach((t, i) => (c.time[i] = T0 + t));
    const runs = [undefined, 3, 4].map((slice) => {
      const seen: Array<[number, number, number, number]> = [];
      const spy: Strategy = {
        id: 'spy',
        description: '',
        params: [],
        create: () => ({
          warmup: 1,
          onCandle(k: StrategyCandle): Decision {
            seen.push([k.time - T0, k.open, k.close, k.high]);
            return seen.length === 2 ? 'buy' : 'hold';
          },
          explain: () => ({ reason: 'spy', indicators: {} }),
        }),
      };
      const run = new BacktestRun(cfg({ candles: c, strategy: spy.create({}) }));
      while (!run.advance(slice ?? Number.MAX_SAFE_INTEGER));
      const o = run.outcome();
      return { seen, times: [...o.times].map((t) => t - T0), closes: [...o.closes], fills: o.sink.fills.map((f) => f.time - T0) };
    });
    expect(runs[0]).toEqual({
      seen: [
        [0, 100, 100, 100],
        [60_000, 100, 102, 102], // minute 1 holds the off-minute candle too
        [120_000, 102, 103, 103],
        [300_000, 103, 104, 104],
        [360_000, 104, 105, 105],
      ],
      times: [0, 60_000, 120_000, 300_000, 360_000],
      closes: [100, 102, 103, 104, 105],
      fills: [120_000, 360_000],
    });
    for (const r of runs.slice(1)) expect(r).toEqual(runs[0]);
  });
  it('a 1m strategy on 1m candles with gaps sees every candle once, as it is, in order, whatever the slices', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 1000 })), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 70 }),
        (steps, slice) => {
          // minutes apart (1: the next minute, more: a gap), closes
          const c = candles(steps.map(([, x]) => x));
          let t = T0;
          steps.forEach(([gap], i) => {
            c.time[i] = t;
            t += gap * 60_000;
          });
          const seen: number[][] = [];
          const spy: Strategy = {
            id: 'spy',
            description: '',
            params: [],
            create: () => ({
              warmup: 1,
              onCandle(k: StrategyCandle): Decision {
                seen.push([k.time, k.open, k.high, k.low, k.close, k.volume]);
                return seen.length % 3 === 0 ? 'buy' : seen.length % 3 === 1 ? 'close' : 'hold';
              },
              explain: () => ({ reason: 'spy', indicators: {} }),
            }),
          };
          const run = new BacktestRun(cfg({ candles: c, strategy: spy.create({}) }));
          while (!run.advance(slice));
          const o = run.outcome();
          const each = [...c.time].map((time, i) => [time, c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i]]);
          expect(seen).toEqual(each);
          expect([...o.times]).toEqual([...c.time]);
          expect([...o.closes]).toEqual([...c.close]);
        },
      ),
      { numRuns: 150 },
    );
  });
});

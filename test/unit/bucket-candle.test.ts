/** The strategy's timeframe candle in a backtest: the same OHLCV as aggregating the 1m candles, and a plain-looking object. */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/engine/backtest.ts';
import { BucketCandle } from '../../src/engine/bucket-candle.ts';
import { aggregate, emptyCandles } from '../../src/core/candles.ts';
import { generateCandles } from '../../src/market/generator.ts';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { parseMoney, parseQty, type Ppm, type Price } from '../../src/core/money.ts';
import type { Strategy, StrategyCandle } from '../../src/core/strategy/types.ts';

describe('BucketCandle', () => {
  it('shows the strategy exactly the aggregated candles, gaps included', () => {
    const spec = SEED_INSTRUMENTS[1]!;
    const g = generateCandles({
      seed: 3,
      symbol: spec.symbol,
      stream: 0,
      startPrice: (spec.tickSize * 300_000) as Price,
      tickSize: spec.tickSize,
      dailyVol: 0.05,
      meanVolume: 20,
      startTime: Date.UTC(2025, 5, 1, 0, 7),
      count: 2_000,
    });
    // drop every 7th minute and a whole hour: buckets with missing minutes and a missing bucket
    const keep = [...g.time.keys()].filter((i) => i % 7 !== 3 && !(i >= 600 && i < 660));
    const c = emptyCandles(keep.length);
    keep.forEach((i, k) => {
      for (const col of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) c[col][k] = g[col][i] as number;
    });
    const seen: StrategyCandle[] = [];
    const spy: Strategy = {
      id: 'spy',
      description: '',
      params: [],
      create: () => ({
        warmup: 1,
        onCandle: (x) => {
          seen.push({ ...x });
          return 'hold';
        },
        explain: () => ({ reason: '', indicators: {} }),
      }),
    };
    runBacktest({
      candles: c,
      instrumentId: 'I',
      spec,
      timeframe: '15m',
      strategy: spy.create({}),
      capital: parseMoney('10000'),
      leverage: 1,
      maxLeverage: 1,
      makerFee: 0 as Ppm,
      takerFee: 0 as Ppm,
      sizing: { kind: 'fixed', size: parseQty('1') },
    });
    const a = aggregate(c, '15m');
    // every bucket but the last, which is never followed by a candle of the next bucket
    const expected = Array.from({ length: a.time.length - 1 }, (_, k) => ({
      time: a.time[k],
      open: a.open[k],
      high: a.high[k],
      low: a.low[k],
      close: a.close[k],
      volume: a.volume[k],
    }));
    expect(seen).toEqual(expected);
    expect(seen.length).toBeGreaterThan(100);
  });

  it('spreads, serialises and lists its keys like a plain candle', () => {
    const c = emptyCandles(3);
    c.time.set([0, 60_000, 120_000]);
    c.open.set([10, 11, 12]);
    c.high.set([12, 13, 14]);
    c.low.set([9, 10, 8]);
    c.close.set([11, 12, 13]);
    c.volume.set([1, 2, 4]);
    const b = new BucketCandle(c).set(0, 0, 3);
    const plain = { time: 0, open: 10, high: 14, low: 8, close: 13, volume: 7 };
    expect(Object.keys(b)).toEqual(Object.keys(plain));
    expect({ ...b }).toEqual(plain);
    expect(JSON.parse(JSON.stringify(b))).toEqual(plain);
    b.set(60_000, 1, 2);
    expect({ ...b }).toEqual({ time: 60_000, open: 11, high: 13, low: 10, close: 12, volume: 2 });
    b.high = 99; // writable, like a plain object
    expect({ ...b }).toEqual({ time: 60_000, open: 11, high: 99, low: 10, close: 12, volume: 2 });
    expect({ ...b.set(0, 0, 1) }).toEqual({ time: 0, open: 10, high: 12, low: 9, close: 11, volume: 1 });
  });
});

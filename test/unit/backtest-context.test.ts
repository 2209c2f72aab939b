/**
 * What a 1m strategy sees on 1m candles (the backtest's per-candle loop keeps the position and
 * the quiet band in locals between the engine's steps): the same candles, position and context
 * at every call in one run, in slices and stepping the engine on every candle.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BacktestRun, type BacktestConfig } from '../../src/engine/backtest.ts';
import { BUILTIN_STRATEGIES } from '../../src/core/strategy/builtin.ts';
import { resolveParams } from '../../src/core/strategy/params.ts';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { generateCandles } from '../../src/market/generator.ts';
import { parseMoney, parseQty, type Ppm, type Price } from '../../src/core/money.ts';
import type { StrategyInstance } from '../../src/core/strategy/types.ts';

function seen(seed: number, strategyId: string, leverage: number, sizing: BacktestConfig['sizing'], stepEveryBar: boolean, slice: number) {
  const spec = SEED_INSTRUMENTS[0]!;
  const strategy = BUILTIN_STRATEGIES.find((s) => s.id === strategyId)!;
  const inner = strategy.create(
    resolveParams(strategy, strategyId === 'rsi_reversion' ? { period: 5, mode: 'long_short' } : { fast: 3, slow: 7, mode: 'long_short' }),
  );
  const calls: unknown[] = [];
  const spy: StrategyInstance = {
    warmup: inner.warmup,
    onCandle(c, side, ctx) {
      const p = ctx.position;
      calls.push([
        c.time,
        c.open,
        c.high,
        c.low,
        c.close,
        c.volume,
        side,
        p.side,
        p.size,
        p.entryPrice,
        p.unrealizedPnl,
        ctx.equity,
        ctx.availableMargin,
      ]);
      return inner.onCandle(c, side, ctx);
    },
    reason: () => 'spy',
    explain: () => inner.explain(),
  };
  const run = new BacktestRun({
    candles: generateCandles({
      seed,
      symbol: spec.symbol,
      stream: 0,
      startPrice: (spec.tickSize * 1_000_000) as Price,
      tickSize: spec.tickSize,
      dailyVol: 0.5,
      meanVolume: 50,
      startTime: Date.UTC(2025, 2, 3, 5, 17),
      count: 1_500,
    }),
    instrumentId: 'I',
    spec,
    timeframe: '1m',
    strategy: spy,
    capital: parseMoney('10000'),
    leverage,
    maxLeverage: 50,
    makerFee: 200 as Ppm,
    takerFee: 500 as Ppm,
    sizing,
    stepEveryBar,
  });
  while (!run.advance(slice));
  const o = run.outcome();
  return { calls, equity: [...o.equity], fills: o.sink.fills.length, exposure: o.exposureBars };
}

describe('a 1m backtest on 1m candles', () => {
  it('shows its strategy the same candle, position and context at every call, in one run, in slices and stepping every candle', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.constantFrom('rsi_reversion', 'ema_crossover'),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom<BacktestConfig['sizing']>({ kind: 'all' }, { kind: 'fixed', size: parseQty('0.05') }),
        fc.integer({ min: 1, max: 400 }),
        (seed, strategyId, leverage, sizing, slice) => {
          const whole = seen(seed, strategyId, leverage, sizing, false, Number.MAX_SAFE_INTEGER);
          expect(whole.fills).toBeGreaterThan(0);
          // the position the strategy is told is the context's, and a flat account's margin is all its equity
          for (const c of whole.calls as number[][]) {
            expect(c[7]).toBe(c[6]);
            if (c[6] === 0) expect([c[8], c[9], c[10], c[12]]).toEqual([0, null, 0, c[11]]);
          }
          expect(seen(seed, strategyId, leverage, sizing, false, slice)).toEqual(whole);
          expect(seen(seed, strategyId, leverage, sizing, true, slice)).toEqual(whole);
        },
      ),
      { numRuns: 40 },
    );
  });
});

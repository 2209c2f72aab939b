/**
 * The engine's quiet band: bars inside it change nothing but the clock, so a backtest that skips
 * them gives exactly the results of one that steps the engine on every 1m candle.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BacktestRun, runBacktest, type BacktestConfig } from '../../src/engine/backtest.ts';
import { BUILTIN_STRATEGIES } from '../../src/core/strategy/builtin.ts';
import { resolveParams } from '../../src/core/strategy/params.ts';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { generateCandles } from '../../src/market/generator.ts';
import { parseMoney, parsePrice, parseQty, type Ppm, type Price } from '../../src/core/money.ts';
import type { QuietBand } from '../../src/engine/engine.ts';
import type { Timeframe } from '../../src/core/time.ts';
import { flat, makeEngine, MIN, T0 } from '../helpers/engine.ts';

const strategyParams: Record<string, Record<string, number | string>> = {
  ema_crossover: { fast: 3, slow: 8, mode: 'long_short' },
  sma_crossover: { fast: 4, slow: 10 },
  rsi_reversion: { period: 6, mode: 'long_short' },
  macd: { fast: 4, slow: 9, signal: 3 },
  bollinger_breakout: {},
  buy_and_hold: {},
};

function config(
  seed: number,
  strategyId: string,
  timeframe: Timeframe,
  leverage: number,
  sizing: BacktestConfig['sizing'],
  dailyVol: number,
  symbol: number,
): BacktestConfig {
  const spec = SEED_INSTRUMENTS[symbol]!;
  const strategy = BUILTIN_STRATEGIES.find((s) => s.id === strategyId)!;
  return {
    candles: generateCandles({
      seed,
      symbol: spec.symbol,
      stream: 0,
      startPrice: (spec.tickSize * 1_000_000) as Price,
      tickSize: spec.tickSize,
      dailyVol,
      meanVolume: 50,
      startTime: Date.UTC(2025, 2, 3, 5, 17),
      count: 3_000,
    }),
    instrumentId: 'I',
    spec,
    timeframe,
    strategy: strategy.create(resolveParams(strategy, strategyParams[strategyId]!)),
    capital: parseMoney('10000'),
    leverage,
    maxLeverage: 50,
    makerFee: 200 as Ppm,
    takerFee: 500 as Ppm,
    sizing,
  };
}

/** Everything a backtest reports, as plain data (or the error it failed with, e.g. an amount past the fixed-point range). */
function outcomeOf(cfg: BacktestConfig, stepEveryBar: boolean, slice?: number) {
  try {
    let o;
    if (slice === undefined) o = runBacktest({ ...cfg, stepEveryBar });
    else {
      const run = new BacktestRun({ ...cfg, stepEveryBar });
      while (!run.advance(slice));
      o = run.outcome();
    }
    return {
      fills: o.sink.fills,
      trades: o.sink.trades,
      equity: [...o.equity],
      times: [...o.times],
      final: o.finalEquity,
      peak: o.peakEquity,
      exposure: o.exposureBars,
      fees: o.sink.totalFees,
      funding: o.sink.totalFunding,
    };
  } catch (e) {
    return { error: String(e) };
  }
}

describe('quiet band', () => {
  it('skipping the quiet candles, in one run or in slices, gives the same fills, trades, equity and funding as stepping every candle', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.constantFrom(...Object.keys(strategyParams)),
        fc.constantFrom<Timeframe>('1m', '5m', '15m', '1h'),
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom<BacktestConfig['sizing']>(
          { kind: 'all' },
          { kind: 'fraction', fraction: 0.5 },
          { kind: 'fixed', size: parseQty('0.5') },
        ),
        fc.constantFrom(0.01, 0.2, 1.5),
        fc.integer({ min: 0, max: SEED_INSTRUMENTS.length - 1 }),
        fc.integer({ min: 1, max: 700 }),
        (seed, strategyId, timeframe, leverage, sizing, vol, symbol, slice) => {
          const cfg = () => config(seed, strategyId, timeframe, leverage, sizing, vol, symbol);
          const whole = outcomeOf(cfg(), false);
          expect(whole).toEqual(outcomeOf(cfg(), true));
          // run in slices (as the CLI does, to show progress and honour Ctrl-C): the same result
          expect(outcomeOf(cfg(), false, slice)).toEqual(whole);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('an outcome taken mid-run (a canceled backtest) is marked at the last candle processed', () => {
    const cfg = () => config(11, 'buy_and_hold', '1h', 2, { kind: 'all' }, 0.5, 0);
    const partial = (stepEveryBar: boolean) => {
      const run = new BacktestRun({ ...cfg(), stepEveryBar });
      run.advance(500);
      const o = run.outcome();
      return [o.finalEquity, o.peakEquity, o.candlesProcessed];
    };
    expect(partial(false)).toEqual(partial(true));
  });

  it('holds through funding boundaries and liquidations at high leverage', () => {
    const funded = () => config(7, 'buy_and_hold', '1h', 2, { kind: 'all' }, 0.2, 0);
    const held = outcomeOf(funded(), false);
    expect(held).toEqual(outcomeOf(funded(), true));
    expect('funding' in held && held.funding).not.toBe(0);
    const levered = () => config(7, 'buy_and_hold', '1h', 50, { kind: 'all' }, 1.5, 0);
    const liquidated = outcomeOf(levered(), false);
    expect(liquidated).toEqual(outcomeOf(levered(), true));
    expect((liquidated.fills ?? []).some((f) => f.source === 'liquidation')).toBe(true);
  });

  it('a bar inside the band of a position with stop-loss and take-profit changes nothing', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 1,
          maxLength: 20,
        }),
        (long, bars) => {
          const { engine, sink, state, acct } = makeEngine({ maxLeverage: 20, price: 100 });
          const inst = state.instruments.get('I')!;
          engine.step('I', flat(100), T0 + MIN);
          engine.placeOrder({
            accountId: 'A',
            instrumentId: 'I',
            side: long ? 'buy' : 'sell',
            type: 'market',
            size: parseQty('500'),
            leverage: 10,
            fillNow: true,
            stopLoss: parsePrice(long ? '97' : '103'),
            takeProfit: parsePrice(long ? '104' : '96'),
          });
          engine.step('I', flat(100), T0 + 2 * MIN);
          const band: QuietBand = engine.quietBand(inst, { until: 0, lowAbove: 0, highBelow: 0 });
          expect(band.until).toBeGreaterThan(T0 + 2 * MIN);
          // the stop-loss and the liquidation line bound one side, the take-profit the other
          expect(band.lowAbove).toBeGreaterThanOrEqual(long ? 97 : 96);
          expect(band.highBelow).toBeLessThanOrEqual(long ? 104 : 103);
          const journals = sink.journals.length;
          const balance = acct.balance;
          const pos = { ...acct.positions.get('I')! };
          let t = T0 + 2 * MIN;
          for (const [a, b] of bars) {
            t += MIN;
            if (t >= band.until) break;
            const width = band.highBelow - band.lowAbove;
            const low = band.lowAbove + width * 1e-6 + Math.min(a, b) * width * 0.99;
            const high = band.lowAbove + width * 1e-6 + Math.max(a, b) * width * 0.99;
            engine.step('I', { open: low, high, low, close: high, volume: 1000 }, t);
          }
          expect(sink.journals.length).toBe(journals);
          expect(acct.balance).toBe(balance);
          expect(acct.positions.get('I')).toMatchObject({ size: pos.size, entryPrice: pos.entryPrice, marginUsed: pos.marginUsed });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('is empty while an order is working', () => {
    const { engine, state } = makeEngine({ price: 100 });
    engine.step('I', flat(100), T0 + MIN);
    engine.placeOrder({ accountId: 'A', instrumentId: 'I', side: 'buy', type: 'limit', price: parsePrice('90'), size: parseQty('1') });
    expect(engine.quietBand(state.instruments.get('I')!, { until: 0, lowAbove: 0, highBelow: 0 }).until).toBe(-Infinity);
  });
});

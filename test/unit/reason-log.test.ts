/**
 * A strategy's order reasons kept as numbers (saveReason/reasonAt, engine/reason-log.ts) and
 * formatted when the rows are read give the same fills, trades and issues, text for text, as
 * the reasons built when the orders were placed (the same strategy with its saveReason hidden).
 */
import { describe, expect, it } from 'vitest';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { parseMoney, type Ppm } from '../../src/core/money.ts';
import type { StrategyInstance } from '../../src/core/strategy/types.ts';
import { runBacktest, type BacktestConfig } from '../../src/engine/backtest.ts';
import { ReasonLog, savesReasons } from '../../src/engine/reason-log.ts';
import { generateCandles } from '../../src/market/generator.ts';
import { instance, SHORT_PARAMS, STRATEGY_MODES } from '../helpers/runs.ts';

const spec = SEED_INSTRUMENTS[0]!;
const candles = generateCandles({
  seed: 5,
  symbol: spec.symbol,
  stream: 0,
  startPrice: (spec.tickSize * 5_000_000) as never,
  tickSize: spec.tickSize,
  dailyVol: 0.04,
  meanVolume: 12,
  startTime: Date.UTC(2024, 0, 1),
  count: 6_000,
});

/** The same strategy without saveReason/reasonAt: the runner takes its reason text per order. */
function eager(s: StrategyInstance): StrategyInstance {
  return {
    warmup: s.warmup,
    onCandle: (c, p, ctx) => s.onCandle(c, p, ctx),
    explain: () => s.explain(),
    reason: () => s.reason!(),
  };
}

function run(strategy: StrategyInstance, sizing: BacktestConfig['sizing']) {
  const o = runBacktest({
    candles,
    instrumentId: 'I',
    spec,
    timeframe: '5m',
    strategy,
    capital: parseMoney('3000'),
    leverage: 3,
    maxLeverage: 10,
    makerFee: 200 as Ppm,
    takerFee: 500 as Ppm,
    sizing,
  });
  return { fills: o.sink.fills, trades: o.sink.trades, rejected: o.sink.rejected, resized: o.sink.resized };
}

describe('reasons kept as numbers', () => {
  for (const [id, mode] of STRATEGY_MODES) {
    it(`${id}${mode ? ` (${mode})` : ''}: the same rows as reasons taken as text`, () => {
      const make = () => instance(id, { ...SHORT_PARAMS[id], ...(mode ? { mode } : {}) });
      expect(savesReasons(make())).toBe(true);
      expect(savesReasons(eager(make()))).toBe(false);
      for (const sizing of [{ kind: 'all' }, { kind: 'fraction', fraction: 0.9 }] as const) {
        const lazy = run(make(), sizing);
        const text = run(eager(make()), sizing);
        expect(lazy.fills.length).toBeGreaterThan(1);
        expect(JSON.stringify(lazy)).toBe(JSON.stringify(text));
      }
    });
  }

  it('a throw in saveReason or reasonAt names the strategy', () => {
    const s = instance('ema_crossover');
    const bad = {
      ...s,
      reasonAt: () => {
        throw new Error('boom');
      },
    } as StrategyInstance;
    if (!savesReasons(bad)) throw new Error('expected saveReason/reasonAt');
    const log = new ReasonLog('mine', bad);
    const k = log.save();
    expect(() => log.text(k)).toThrow(/mine.*reasonAt\(\) threw: boom/);
  });
});

/**
 * The oracle: a second, deliberately simple backtester written from the README's rules (the
 * strategy decides at a candle's close; orders fill at the next open; `all` and `P%` are sized
 * at that open on the equity then; a reversal closes, then opens; zero costs; whatever is open
 * at the end closes at the last close). The engine must make the same trades, sizes and final
 * equity for every built-in strategy in both modes, on the S&P 500 fixture and on random walks
 * with gaps up to 10%.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMoney, type Money } from '../../src/core/money.ts';
import type { Decision, DecisionValue, PositionSide, StrategyContext, StrategyInstance } from '../../src/core/strategy/types.ts';
import { runBacktest } from '../../src/engine/backtest.ts';
import type { SizeSpec } from '../../src/core/size-spec.ts';
import type { Candles } from '../../src/core/candles.ts';
import { FREE_SPEC, instance, randomWalk, SHORT_PARAMS, sp500, STRATEGY_MODES, ZERO_FEES } from '../helpers/runs.ts';

interface OracleTrade {
  side: 'long' | 'short';
  entryTime: number;
  entryPrice: number;
  exitTime: number;
  exitPrice: number;
  size: number;
}

const LOT = 0.01;

/** The simple backtester. `sizing`: 'all' or a fraction of equity. */
function oracle(
  c: Candles,
  strategy: StrategyInstance,
  capital: number,
  sizing: 'all' | number,
): { trades: OracleTrade[]; equity: number } {
  let cash = capital;
  let pos = 0; // signed contracts
  let entry = 0;
  let entryTime = 0;
  let pending: Decision = 'hold';
  const trades: OracleTrade[] = [];
  const closeAt = (price: number, time: number) => {
    cash += pos * (price - entry);
    trades.push({ side: pos > 0 ? 'long' : 'short', entryTime, entryPrice: entry, exitTime: time, exitPrice: price, size: Math.abs(pos) });
    pos = 0;
  };
  const n = c.time.length;
  for (let i = 0; i < n; i++) {
    const open = c.open[i]!;
    const t = c.time[i]!;
    // the previous close's decision, at this open: close, then open
    const want = pending === 'buy' ? 1 : pending === 'sell' ? -1 : pending === 'close' ? 0 : null;
    if (want !== null && Math.sign(pos) !== want) {
      if (pos !== 0) closeAt(open, t);
      if (want !== 0) {
        const budget = sizing === 'all' ? cash : cash * sizing;
        const lots = Math.floor(budget / open / LOT + 1e-9);
        if (lots >= 1) {
          pos = want * lots * LOT;
          entry = open;
          entryTime = t;
        }
      }
    }
    const candle = { time: t, open, high: c.high[i]!, low: c.low[i]!, close: c.close[i]! };
    const side = Math.sign(pos) as PositionSide;
    const ctx: StrategyContext = {
      position: { side, size: pos, entryPrice: pos ? entry : null, unrealizedPnl: pos * (candle.close - entry) },
      equity: cash + pos * (candle.close - entry),
      availableMargin: 0,
      warmingUp: false,
    };
    const d: DecisionValue = strategy.onCandle({ ...candle, volume: c.volume[i]! }, side, ctx);
    pending = typeof d === 'string' ? d : d.action;
  }
  if (pos !== 0) closeAt(c.close[n - 1]!, c.time[n - 1]!);
  return { trades, equity: cash };
}

function engineRun(c: Candles, strategy: StrategyInstance, capital: Money, sizing: SizeSpec) {
  const o = runBacktest({
    candles: c,
    instrumentId: 'I',
    spec: FREE_SPEC,
    timeframe: '1d',
    strategy,
    capital,
    leverage: 1,
    maxLeverage: 1,
    ...ZERO_FEES,
    sizing,
    baseMs: 86_400_000,
    until: c.time[c.time.length - 1]!,
  });
  return {
    trades: o.sink.trades.map((t) => ({
      side: t.side,
      entryTime: t.entryTime,
      entryPrice: t.entryPrice / 1e8,
      exitTime: t.exitTime,
      exitPrice: t.exitPrice / 1e8,
      size: t.size / 1e8,
    })),
    equity: o.finalEquity / 1e6,
    rejected: o.sink.rejected.length,
    liquidated: o.sink.fills.some((f) => f.source === 'liquidation'),
  };
}

const paramsFor = (id: string, mode: string | null, short: boolean): Record<string, string | number> => ({
  ...(short ? SHORT_PARAMS[id] : {}),
  ...(mode ? { mode } : {}),
});

function compare(c: Candles, id: string, mode: string | null, sizing: 'all' | number, short: boolean) {
  const params = paramsFor(id, mode, short);
  const capital = 10_000;
  const want = oracle(c, instance(id, params), capital, sizing);
  const got = engineRun(
    c,
    instance(id, params),
    parseMoney(String(capital)),
    sizing === 'all' ? { kind: 'all' } : { kind: 'fraction', fraction: sizing },
  );
  return { want, got };
}

const round = (trades: OracleTrade[]) =>
  trades.map((t) => ({ ...t, entryPrice: +t.entryPrice.toFixed(6), exitPrice: +t.exitPrice.toFixed(6), size: +t.size.toFixed(8) }));

describe('oracle: the engine trades like the simple backtester of the README rules', () => {
  const fixture = sp500();
  it.each(STRATEGY_MODES)('%s (%s) on the S&P 500 fixture, --size all', (id, mode) => {
    const { want, got } = compare(fixture, id, mode, 'all', false);
    expect(got.liquidated).toBe(false);
    expect(got.rejected).toBe(0);
    expect(round(got.trades)).toEqual(round(want.trades));
    expect(got.equity).toBeCloseTo(want.equity, 4);
    expect(want.trades.length).toBeGreaterThan(0);
  });

  it.each(STRATEGY_MODES.filter(([, m]) => m !== 'long'))('%s (%s) on the fixture, --size 40%%', (id, mode) => {
    const { want, got } = compare(fixture, id, mode, 0.4, false);
    expect(round(got.trades)).toEqual(round(want.trades));
    expect(got.equity).toBeCloseTo(want.equity, 4);
  });

  it('on random walks with gaps up to 10%, every strategy and mode', () => {
    const move = fc.tuple(fc.double({ min: -0.1, max: 0.1, noNaN: true }), fc.double({ min: -0.03, max: 0.03, noNaN: true }));
    fc.assert(
      fc.property(
        fc.array(move, { minLength: 30, maxLength: 160 }),
        fc.constantFrom(...STRATEGY_MODES),
        fc.constantFrom<'all' | number>('all', 0.5, 1),
        (moves, [id, mode], sizing) => {
          const { want, got } = compare(randomWalk(moves), id, mode, sizing, true);
          fc.pre(!got.liquidated); // the oracle has no liquidation
          expect(round(got.trades)).toEqual(round(want.trades));
          expect(got.equity).toBeCloseTo(want.equity, 4);
        },
      ),
      { numRuns: 150, seed: 9 },
    );
  });
});

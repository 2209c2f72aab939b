/** Shared inputs for strategy-runner tests: the S&P 500 fixture as candles, specs, random walks with gaps. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InstrumentSpec } from '../../src/core/instruments.ts';
import { parseMoney, parsePrice, parseQty, type Ppm } from '../../src/core/money.ts';
import { BUILTIN_STRATEGIES } from '../../src/core/strategy/builtin.ts';
import { resolveParams } from '../../src/core/strategy/params.ts';
import type { Strategy, StrategyInstance } from '../../src/core/strategy/types.ts';
import { emptyCandles, sliceCandles, type Candles } from '../../src/core/candles.ts';
import { runBacktest } from '../../src/engine/backtest.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
export const DAY = 86_400_000;

/** fixtures/sp500-daily-2015-2020.csv as daily candles (00:00 UTC). */
export function sp500(): Candles {
  const lines = readFileSync(join(ROOT, 'fixtures', 'sp500-daily-2015-2020.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const c = emptyCandles(lines.length);
  lines.forEach((l, i) => {
    const [d, o, h, lo, cl, , v] = l.split(',');
    c.time[i] = Date.parse(`${d}T00:00:00Z`);
    c.open[i] = Number(o);
    c.high[i] = Number(h);
    c.low[i] = Number(lo);
    c.close[i] = Number(cl);
    c.volume[i] = Number(v);
  });
  return c;
}

/** An index CFD without costs: one unit per contract, lots of 0.01, prices to 1e-6 (the fixture's decimals). */
export const FREE_SPEC: InstrumentSpec = {
  symbol: 'SPX500',
  name: 'S&P 500',
  type: 'cfd',
  baseCurrency: 'SPX',
  quoteCurrency: 'USD',
  tickSize: parsePrice('0.000001'),
  contractSize: parseQty('1'),
  baseSpread: 0,
  fundingRate: 0,
  slippageFactor: 0,
  minSize: parseQty('0.01'),
  maxSize: parseQty('1000000'),
  isActive: true,
  isTradeable: true,
};

export const ZERO_FEES = { makerFee: 0 as Ppm, takerFee: 0 as Ppm };

export const strategyOf = (id: string): Strategy => BUILTIN_STRATEGIES.find((s) => s.id === id)!;

export function instance(id: string, params: Record<string, string | number> = {}): StrategyInstance {
  const s = strategyOf(id);
  return s.create(resolveParams(s, params));
}

/**
 * The golden settings on the S&P 500 fixture (golden.test.ts): a built-in strategy in one mode,
 * `--size all` of 10,000, a 0.02% spread, 0.02%/0.05% maker/taker fees, on daily candles.
 */
export function sp500Run(candles: Candles, id: string, mode: Mode, leverage = 1) {
  return runBacktest({
    candles,
    instrumentId: 'I',
    spec: { ...FREE_SPEC, baseSpread: 0.0002 },
    timeframe: '1d',
    strategy: instance(id, mode ? { mode } : {}),
    capital: parseMoney('10000'),
    leverage,
    maxLeverage: leverage,
    makerFee: 200 as Ppm,
    takerFee: 500 as Ppm,
    sizing: { kind: 'all' },
    baseMs: DAY,
    until: candles.time[candles.time.length - 1]!,
  });
}

/** Every built-in strategy with its modes (buy_and_hold has none). */
type Mode = 'long' | 'long_short' | null;
export const STRATEGY_MODES: ReadonlyArray<readonly [string, Mode]> = BUILTIN_STRATEGIES.flatMap((s): Array<readonly [string, Mode]> =>
  s.params.some((p) => p.name === 'mode')
    ? [
        [s.id, 'long'],
        [s.id, 'long_short'],
      ]
    : [[s.id, null]],
);

/** Short periods for short series. */
export const SHORT_PARAMS: Record<string, Record<string, number>> = {
  ema_crossover: { fast: 3, slow: 8 },
  sma_crossover: { fast: 4, slow: 10 },
  rsi_reversion: { period: 6 },
  macd: { fast: 4, slow: 9, signal: 3 },
  bollinger_breakout: { period: 10 },
  buy_and_hold: {},
};

/**
 * A daily random walk: each open gaps from the previous close by up to `gap` (either way), then
 * moves by up to 3% to the close; prices on a 1e-6 grid.
 */
export function randomWalk(moves: ReadonlyArray<readonly [number, number]>, start = 100): Candles {
  const c = emptyCandles(moves.length);
  let prev = start;
  const r6 = (x: number) => Math.max(0.01, Math.round(x * 1e6) / 1e6);
  moves.forEach(([g, m], i) => {
    const o = r6(prev * (1 + g));
    const cl = r6(o * (1 + m));
    c.time[i] = Date.UTC(2020, 0, 1) + i * DAY;
    c.open[i] = o;
    c.close[i] = cl;
    c.high[i] = Math.max(o, cl);
    c.low[i] = Math.min(o, cl);
    c.volume[i] = 1e6;
    prev = cl;
  });
  return c;
}

export { sliceCandles };

/**
 * The strategy runner: each item of issue 9's "What was seen" as a regression test, warm-up,
 * the decision contract, and bot == backtest parity with missing minutes and random slicing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StrategyError } from '../../src/core/errors.ts';
import { SEED_INSTRUMENTS, type InstrumentSpec } from '../../src/core/instruments.ts';
import { parseMoney, parseQty, type Money, type Ppm, type Price } from '../../src/core/money.ts';
import { checkDecision, checkWarmup } from '../../src/core/strategy/decision.ts';
import type { DecisionValue, StrategyContext, StrategyInstance } from '../../src/core/strategy/types.ts';
import { runMessages } from '../../src/app/backtest.ts';
import { runBacktest, type BacktestConfig } from '../../src/engine/backtest.ts';
import { BacktestSink } from '../../src/engine/backtest-sink.ts';
import { BotRunner } from '../../src/engine/bot-runner.ts';
import { Engine } from '../../src/engine/engine.ts';
import { replay } from '../../src/engine/replay.ts';
import { emptyState } from '../../src/engine/state.ts';
import { aggregate, emptyCandles, sliceCandles, type Candles } from '../../src/core/candles.ts';
import { generateCandles } from '../../src/market/generator.ts';
import { TIMEFRAME_MS, type Timeframe } from '../../src/core/time.ts';
import { DAY, FREE_SPEC, instance, SHORT_PARAMS, sp500, STRATEGY_MODES, ZERO_FEES } from '../helpers/runs.ts';

const BTC = SEED_INSTRUMENTS.find((s) => s.symbol === 'BTC-USD')!;
const SPX = SEED_INSTRUMENTS.find((s) => s.symbol === 'SPX-FUT')!;

/** A strategy that returns decisions from a script, by candle number (0-based); 'hold' elsewhere. */
function scripted(script: Record<number, DecisionValue>, warmup = 1): StrategyInstance {
  let k = -1;
  return { warmup, onCandle: () => script[++k] ?? 'hold', explain: () => ({ reason: `candle ${k}`, indicators: {} }) };
}

function daily(rows: ReadonlyArray<readonly [number, number]>): Candles {
  const c = emptyCandles(rows.length);
  rows.forEach(([o, cl], i) => {
    c.time[i] = Date.UTC(2024, 0, 1) + i * DAY;
    c.open[i] = o;
    c.close[i] = cl;
    c.high[i] = Math.max(o, cl);
    c.low[i] = Math.min(o, cl);
    c.volume[i] = 1e9;
  });
  return c;
}

const base = (over: Partial<BacktestConfig>): BacktestConfig => ({
  candles: daily([
    [100, 100],
    [100, 100],
  ]),
  instrumentId: 'I',
  spec: { ...FREE_SPEC, baseSpread: 0.0004 },
  timeframe: '1d',
  strategy: scripted({}),
  capital: parseMoney('10000'),
  leverage: 1,
  maxLeverage: 10,
  makerFee: 200 as Ppm,
  takerFee: 500 as Ppm,
  sizing: { kind: 'all' },
  baseMs: DAY,
  ...over,
});

function minutes(spec: InstrumentSpec, seed: number, count: number, price: number, dailyVol = 0.02): Candles {
  return generateCandles({
    seed,
    symbol: spec.symbol,
    stream: 0,
    startPrice: (Math.round((price * 1e8) / spec.tickSize) * spec.tickSize) as Price,
    tickSize: spec.tickSize,
    dailyVol,
    meanVolume: 50,
    startTime: Date.UTC(2025, 2, 3),
    count,
  });
}

describe('what was seen, fixed', () => {
  it('1. a reversal keeps its exit: the close leg fills at a gap against it, the open leg is sized there', () => {
    // long from candle 1's open; the reversal decided at candle 4's close meets a 20% gap down at candle 5's open
    const c = daily([
      [100, 100],
      [100, 100],
      [100, 101],
      [101, 102],
      [102, 100],
      [80, 81],
      [81, 82],
      [82, 82],
    ]);
    const o = runBacktest(base({ candles: c, strategy: scripted({ 0: 'buy', 4: 'sell' }) }));
    expect(o.sink.rejected).toEqual([]);
    const [long, short] = o.sink.trades;
    expect(long).toMatchObject({ side: 'long', exitTime: c.time[5] });
    expect(long!.exitPrice / 1e8).toBeCloseTo(80, 1);
    expect(short).toMatchObject({ side: 'short', entryTime: c.time[5] });
    // sized at the gap's open on the equity left after the close (~8,000): about 99 contracts, not the ~100 of the decision's close
    expect(short!.size / 1e8).toBeGreaterThan(95);
    expect(short!.size / 1e8).toBeLessThan(100);
    // fixed sizes stay fixed: a short of 99 reversed into a 20% gap up no longer fits; the close still fills
    const up = daily([
      [100, 100],
      [100, 100],
      [100, 99],
      [99, 98],
      [98, 100],
      [120, 121],
      [121, 122],
    ]);
    const fixed = runBacktest(
      base({ candles: up, strategy: scripted({ 0: 'sell', 4: 'buy' }), sizing: { kind: 'fixed', size: parseQty('99') } }),
    );
    expect(fixed.sink.trades).toHaveLength(1);
    expect(fixed.sink.trades[0]).toMatchObject({ side: 'short', exitTime: up.time[5] });
    expect(fixed.sink.rejected).toHaveLength(1);
    expect(fixed.sink.rejected[0]!.reason).toMatch(/insufficient margin/);
  });

  it('2. rejections are counted and explained: one SPX-FUT contract is more than the capital', () => {
    const c = minutes(SPX, 5, 3 * 24 * 60, 4500, 0.01);
    const cfg = base({ candles: c, spec: SPX, timeframe: '1h', baseMs: 60_000, strategy: instance('buy_and_hold') });
    const o = runBacktest(cfg);
    expect(o.sink.fills).toHaveLength(0);
    expect(o.sink.rejected.length).toBeGreaterThanOrEqual(1);
    const m = runMessages(o, 'SPX-FUT', '1h', undefined);
    expect(m.warnings.join('\n')).toMatch(
      /every order was rejected: one SPX-FUT lot \(1\) needs \$22,[0-9]{3}\.[0-9]{2} margin at .*; available margin is \$10,000\.00/,
    );
    expect(m.warnings[0]).toMatch(/^\d+ orders? rejected, 0 resized; first at /);
    // with 3x leverage the same contract fits: taken, nothing rejected
    const lev = runBacktest({ ...cfg, strategy: instance('buy_and_hold'), leverage: 3 });
    expect(lev.sink.rejected).toEqual([]);
    expect(lev.sink.trades).toHaveLength(1);
  });

  it('2b. --leverage 3 takes the entries 1x takes (all of the margin, sized at the fill)', () => {
    const c = minutes(BTC, 11, 6 * 24 * 60, 60_000);
    for (const leverage of [1, 3]) {
      const o = runBacktest(
        base({
          candles: c,
          spec: BTC,
          timeframe: '1h',
          baseMs: 60_000,
          leverage,
          strategy: instance('ema_crossover', { fast: 3, slow: 8 }),
        }),
      );
      expect(o.sink.rejected, `leverage ${leverage}`).toEqual([]);
      expect(o.sink.trades.length).toBeGreaterThan(3);
    }
  });

  it('3. warm-up: a run from D is fed the stored candles before D, and says so', () => {
    const c = minutes(BTC, 2, 15 * 24 * 60, 60_000);
    const d = c.time.findIndex((t) => t >= Date.UTC(2025, 2, 16));
    const seen: number[] = [];
    const spy = (): StrategyInstance => {
      const inner = instance('ema_crossover');
      return {
        warmup: inner.warmup,
        explain: () => inner.explain(),
        onCandle: (x, p, ctx) => {
          seen.push(ctx.warmingUp ? 1 : 0);
          return inner.onCandle(x, p, ctx);
        },
      };
    };
    const run = sliceCandles(c, d, c.time.length);
    const cold = runBacktest(base({ candles: run, spec: BTC, timeframe: '1h', baseMs: 60_000, strategy: spy() }));
    expect(cold.warmup).toEqual({ wanted: 260, candles: 0, from: NaN });
    expect(seen.every((w) => w === 0)).toBe(true);
    seen.length = 0;
    const warm = runBacktest(
      base({ candles: run, spec: BTC, timeframe: '1h', baseMs: 60_000, strategy: spy(), history: sliceCandles(c, 0, d) }),
    );
    expect(warm.warmup).toEqual({ wanted: 260, candles: 260, from: Date.UTC(2025, 2, 16) - 260 * 3_600_000 });
    expect(seen.slice(0, 260).every((w) => w === 1) && seen.slice(260).every((w) => w === 0)).toBe(true);
    expect(runMessages(warm, 'BTC-USD', '1h', Date.UTC(2025, 2, 16)).notes).toEqual([
      'warm-up: 260 1h candles from 2025-03-05T04:00:00.000Z',
    ]);
    const short = runBacktest(
      base({
        candles: run,
        spec: BTC,
        timeframe: '1h',
        baseMs: 60_000,
        strategy: instance('ema_crossover'),
        history: sliceCandles(c, d - 600, d),
      }),
    );
    expect(runMessages(short, 'BTC-USD', '1h', Date.UTC(2025, 2, 16)).warnings).toEqual([
      'warm-up: only 10 of 260 1h candles stored before 2025-03-16T00:00:00.000Z; the strategy starts cold',
    ]);
  });

  it('6. an invalid decision fails the run with the strategy and the value', () => {
    const moon: StrategyInstance = { warmup: 1, onCandle: () => 'moon' as never, explain: () => ({ reason: '', indicators: {} }) };
    expect(() =>
      runBacktest(
        base({
          candles: daily([
            [1, 1],
            [1, 1],
            [1, 1],
          ]),
          strategy: moon,
          strategyId: 'lunatic',
        }),
      ),
    ).toThrow(/^strategy lunatic: returned "moon"; a decision is 'buy', 'sell', 'hold', 'close'/);
    expect(() => runBacktest(base({ strategy: moon }))).toThrow(StrategyError);
  });
});

describe('warm-up from D equals the tail of the full run', () => {
  const fixture = sp500();
  it.each(STRATEGY_MODES.filter(([, m]) => m !== 'long_short'))('%s on the S&P 500 fixture', (id) => {
    const cfg = (candles: Candles, history?: Candles) =>
      base({ candles, spec: FREE_SPEC, ...ZERO_FEES, sizing: { kind: 'fixed', size: parseQty('1') }, strategy: instance(id), history });
    const full = runBacktest(cfg(fixture)).sink.trades;
    const start = fixture.time[400]!;
    // D: an exit after the first 400 candles with no entry at the same open (flat from D on)
    const exit = full.find(
      (t) => t.exitTime >= start && !full.some((u) => u.entryTime === t.exitTime) && t.exitTime < fixture.time[fixture.time.length - 50]!,
    );
    if (id === 'buy_and_hold') {
      expect(exit).toBeUndefined(); // held from the first open to the end: its run from D buys at D's first open instead
      const k = 400;
      const tail = runBacktest(cfg(sliceCandles(fixture, k, fixture.time.length), sliceCandles(fixture, 0, k))).sink.trades;
      expect(tail.map((t) => t.entryTime)).toEqual([fixture.time[k + 1]]);
      return;
    }
    expect(exit, 'a flat moment after candle 400').toBeDefined();
    const d = fixture.time.indexOf(exit!.exitTime);
    const tail = runBacktest(cfg(sliceCandles(fixture, d, fixture.time.length), sliceCandles(fixture, 0, d)));
    expect(tail.warmup.candles).toBe(tail.warmup.wanted);
    const after = full.filter((t) => t.entryTime >= exit!.exitTime);
    expect(after.length).toBeGreaterThan(0);
    expect(tail.sink.trades).toEqual(after);
  });
});

describe('the decision contract', () => {
  it('warm-up must be a positive integer', () => {
    for (const bad of [0, -1, 2.5, '26', null, Number.NaN, undefined])
      expect(() => checkWarmup('s', bad)).toThrow(/^strategy s: warmup must be a positive integer/);
    expect(checkWarmup('s', 26)).toBe(26);
    const zero: StrategyInstance = { warmup: 0, onCandle: () => 'hold', explain: () => ({ reason: '', indicators: {} }) };
    expect(() => runBacktest(base({ strategy: zero, strategyId: 'z' }))).toThrow(
      /strategy z: warmup must be a positive integer \(candles\), got 0/,
    );
  });

  it.each([
    ['moon', /returned "moon"/],
    [{ action: 'buy', stopLoss: 105 }, /stopLoss 105 is on the wrong side of the entry: a buy at 100 needs it below/],
    [{ action: 'sell', takeProfit: 101 }, /takeProfit 101 is on the wrong side of the entry: a sell at 100 needs it below/],
    [{ action: 'buy', size: 1.5 }, /size 1.5 must be a fraction of equity above 0 and at most 1/],
    [{ action: 'buy', size: 0 }, /size 0 must be a fraction/],
    [{ action: 'buy', leverage: 5 }, /unknown field "leverage"/],
    [{ action: 'close', stopLoss: 90 }, /only go with 'buy' or 'sell'/],
    [{ action: 'up' }, /returned action "up"/],
    [{ action: 'buy', stopLoss: -1 }, /stopLoss must be a positive price, got -1/],
    [42, /returned 42/],
    [null, /returned null/],
  ])('%j is refused', (value, message) => {
    expect(() => checkDecision('s', value, 100)).toThrow(message);
  });

  it('a plain decision is checked to one shared, frozen object per action; names off the list are refused', () => {
    for (const a of ['buy', 'sell', 'hold', 'close'] as const) {
      const d = checkDecision('s', a, 100);
      expect(d).toEqual({ action: a, stopLoss: null, takeProfit: null, size: null });
      expect(Object.isFrozen(d)).toBe(true);
      expect(checkDecision('s', a, 50)).toBe(d);
    }
    for (const v of ['__proto__', 'constructor', 'toString', 'BUY'])
      expect(() => checkDecision('s', v, 100)).toThrow(/a decision is 'buy', 'sell', 'hold', 'close'/);
  });

  it('levels and a size override go through to the order', () => {
    const c = daily([
      [100, 100],
      [100, 100],
      [100, 101],
      [101, 98],
      [98, 99],
    ]);
    const o = runBacktest(
      base({
        candles: c,
        strategy: scripted({ 0: { action: 'buy', stopLoss: 98.5, takeProfit: 120, size: 0.25 } }),
        makerFee: 0 as Ppm,
        takerFee: 0 as Ppm,
      }),
    );
    const [t] = o.sink.trades;
    expect(t!.size / 1e8).toBe(25); // 25% of 10,000 at the open of 100
    expect(t).toMatchObject({ exitTime: c.time[3], exitReason: 'stop-loss hit' }); // candle 3 reaches 98
    const tp = runBacktest(
      base({
        candles: daily([
          [100, 100],
          [100, 100],
          [100, 121],
          [121, 121],
        ]),
        strategy: scripted({ 0: { action: 'buy', takeProfit: 120 } }),
      }),
    );
    expect(tp.sink.trades[0]).toMatchObject({ exitReason: 'take-profit hit' });
  });

  it('the context shows the position, equity and available margin at the close', () => {
    const ctxs: StrategyContext[] = [];
    const s: StrategyInstance = {
      warmup: 1,
      onCandle: (_c, _p, ctx) => {
        ctxs.push(structuredClone(ctx));
        return ctxs.length === 1 ? 'buy' : 'hold';
      },
      explain: () => ({ reason: '', indicators: {} }),
    };
    const c = daily([
      [100, 100],
      [100, 110],
      [110, 120],
    ]);
    runBacktest(
      base({
        candles: c,
        strategy: s,
        makerFee: 0 as Ppm,
        takerFee: 0 as Ppm,
        spec: FREE_SPEC,
        sizing: { kind: 'fixed', size: parseQty('10') },
      }),
    );
    expect(ctxs[0]).toEqual({
      position: { side: 0, size: 0, entryPrice: null, unrealizedPnl: 0 },
      equity: 10_000,
      availableMargin: 10_000,
      warmingUp: false,
    });
    expect(ctxs[1]).toEqual({
      position: { side: 1, size: 10, entryPrice: 100, unrealizedPnl: 100 },
      equity: 10_100,
      availableMargin: 9_100,
      warmingUp: false,
    });
  });
});

/** A bot on an in-memory engine over `c`, advanced in slices ending at the given clocks. */
function botFills(
  c: Candles,
  tf: Timeframe,
  make: () => StrategyInstance,
  cfg: Pick<BacktestConfig, 'spec' | 'capital' | 'leverage' | 'sizing' | 'makerFee' | 'takerFee'>,
  clocks: number[],
) {
  const state = emptyState((c.time[0] as number) - 60_000);
  const spec = cfg.spec;
  state.instruments.set('I', {
    id: 'I',
    spec,
    bar: null,
    barTime: 0,
    holders: [],
    nextFundingAt: NaN,
    params: { spread: spec.baseSpread, tick: spec.tickSize, slippageFactor: spec.slippageFactor, minSize: spec.minSize },
  });
  state.accounts.set('A', {
    id: 'A',
    balance: cfg.capital,
    maxLeverage: 50,
    makerFee: cfg.makerFee,
    takerFee: cfg.takerFee,
    maxDailyLoss: null,
    isActive: true,
    positions: new Map(),
    dayKey: 0,
    dayPnl: 0 as Money,
  });
  const sink = new BacktestSink();
  let ids = 0;
  const engine = new Engine(state, sink, () => `b-${++ids}`);
  const bot = new BotRunner(
    {
      id: 'bot',
      name: 'bot',
      accountId: 'A',
      instrumentId: 'I',
      timeframe: tf,
      sizing: cfg.sizing,
      leverage: cfg.leverage,
      maxPositionSize: null,
      maxDailyLoss: null,
      maxDrawdownPct: null,
      startAt: 0,
    },
    make(),
    { dayResult: () => 0 as Money, peakEquity: null },
  );
  let i = 0;
  for (const clock of clocks) {
    let j = i;
    while (j < c.time.length && (c.time[j] as number) <= clock) j++;
    replay(engine, [{ instrumentId: 'I', candles: sliceCandles(c, i, j) }], {
      beforeMinute: (t) => bot.beforeBar(engine, t),
      onMinute: (t) => bot.onBar(engine, state.instruments.get('I')!.bar!, t),
    });
    state.clock = clock;
    bot.onClock(engine, clock);
    i = j;
  }
  return { fills: sink.fills, candles: bot.decisions.map((d) => d.candleTime) };
}

describe('bot == backtest', () => {
  it('the same fills with random missing 1m candles and random advance slices', () => {
    const full = minutes(BTC, 21, 1_500, 60_000, 0.05);
    let traded = 0;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_499 }), { maxLength: 300 }),
        fc.array(fc.integer({ min: 1, max: 1_600 * 60_000 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom<Timeframe>('5m', '15m', '1h'),
        fc.constantFrom(...STRATEGY_MODES),
        fc.constantFrom<BacktestConfig['sizing']>(
          { kind: 'all' },
          { kind: 'fraction', fraction: 0.5 },
          { kind: 'fixed', size: parseQty('0.05') },
        ),
        (drop, cuts, tf, [id, mode], sizing) => {
          const gone = new Set(drop);
          const keep = [...full.time.keys()].filter((k) => !gone.has(k));
          const c = emptyCandles(keep.length);
          keep.forEach((k, n) => {
            for (const col of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) c[col][n] = full[col][k] as number;
          });
          const end = (full.time[1_499] as number) + 60_000;
          const clocks = [...new Set(cuts.map((x) => (full.time[0] as number) + x))]
            .filter((t) => t < end)
            .sort((a, b) => a - b)
            .concat(end);
          const make = () => instance(id, { ...SHORT_PARAMS[id], ...(mode ? { mode } : {}) });
          const cfg = { spec: BTC, capital: parseMoney('100000'), leverage: 2, sizing, makerFee: 200 as Ppm, takerFee: 500 as Ppm };
          const bot = botFills(c, tf, make, cfg, clocks);
          const bt = runBacktest({ ...cfg, candles: c, instrumentId: 'I', timeframe: tf, strategy: make(), maxLeverage: 50, until: end });
          const strip = (f: typeof bt.sink.fills) =>
            f.filter((x) => x.source !== 'close').map(({ time, side, size, price, fee }) => ({ time, side, size, price, fee }));
          expect(strip(bot.fills)).toEqual(strip(bt.sink.fills));
          if (bot.fills.length > 0) traded++;
          // every bucket the backtest closed, the bot closed too (the closed candles it was shown)
          expect(bot.candles).toEqual(Array.from(aggregate(c, tf).time).filter((t) => t + TIMEFRAME_MS[tf] <= end));
        },
      ),
      { numRuns: 40, seed: 4 },
    );
    expect(traded).toBeGreaterThan(20); // most runs trade: the property is not vacuous
  });
});

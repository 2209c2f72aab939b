/**
 * A worker of `optimize` (dist/sweep-worker.js, run by piscina). First each worker reads its
 * share of the candles from SQLite straight into shared memory (the threads load in parallel),
 * then one `sweep` task per worker: it claims the next parameter set from a shared counter
 * (Atomics, no round trip through the parent thread between backtests), runs it and claims
 * again until none is left, then answers every (grid index, metrics) pair it ran. The backtest
 * is the same engine run as `tunicoin backtest`.
 *
 * Every task carries its sweep's settings (not workerData): the pool starts with the command,
 * before the candles are counted, and serves each sweep of the command (walk-forward windows).
 */
import type { InstrumentSpec } from '../core/instruments.ts';
import type { Money, Ppm } from '../core/money.ts';
import type { BacktestMetrics } from '../core/metrics.ts';
import type { Params, Strategy } from '../core/strategy/types.ts';
import type { Timeframe } from '../core/time.ts';
import type { Candles } from '../core/candles.ts';
import { loadStrategy } from './strategy-loader.ts';
import { DONE, NEXT } from './sweep-counters.ts';
import { openForReading } from '../store/db.ts';
import { loadCandles, loadCandlesInto } from '../store/candles.ts';
import { TIMEFRAME_MS } from '../core/time.ts';
import { warmupWindow } from '../engine/candle-buckets.ts';
import { runBacktest } from '../engine/backtest.ts';
import { metricsOf } from '../engine/backtest-metrics.ts';
import type { SizeSpec } from '../core/size-spec.ts';

type Columns = Record<keyof Candles, SharedArrayBuffer>;

export interface SweepShared {
  /** Tells one sweep from the next on the same pool: what a worker keeps is per sweep. */
  readonly sweep: number;
  readonly columns: Columns;
  readonly dbPath: string;
  readonly baseTimeframe: Timeframe;
  readonly instrumentId: string;
  readonly spec: InstrumentSpec;
  readonly timeframe: Timeframe;
  readonly strategyRef: string;
  readonly capital: Money;
  readonly leverage: number;
  readonly makerFee: Ppm;
  readonly takerFee: Ppm;
  readonly sizing: SizeSpec;
  /** The requested start (--from): the strategy warms up on the candles stored before it. */
  readonly warmupBefore?: number;
  /** The clock at the end of the range. */
  readonly until?: number;
  readonly periodsPerYear?: number;
}

export type SweepTask =
  | {
      readonly kind: 'load';
      readonly shared: SweepShared;
      readonly from: number;
      readonly to: number;
      readonly offset: number;
      readonly count: number;
    }
  | { readonly kind: 'sweep'; readonly shared: SweepShared; readonly combos: readonly Params[]; readonly counters: SharedArrayBuffer };

/** What a `sweep` task answers: the grid index of each combination this worker ran, and its metrics. */
export type SweepPart = Array<readonly [number, BacktestMetrics]>;

const view = (c: Columns): Candles => ({
  time: new Float64Array(c.time),
  open: new Float64Array(c.open),
  high: new Float64Array(c.high),
  low: new Float64Array(c.low),
  close: new Float64Array(c.close),
  volume: new Float64Array(c.volume),
});
/** Strategies by reference (a user file is imported once per worker). */
const strategies = new Map<string, ReturnType<typeof loadStrategy>>();

/** What a worker keeps for the sweep it is running: its settings, candle views and warm-up histories. */
interface Current {
  readonly shared: SweepShared;
  candles: Candles | null;
  /** Warm-up history by the number of candles wanted (few distinct values in a grid). */
  readonly histories: Map<number, Candles>;
}
let current: Current | null = null;
function currentFor(shared: SweepShared): Current {
  if (current?.shared.sweep !== shared.sweep) current = { shared, candles: null, histories: new Map() };
  return current;
}

async function historyFor(c: Current, warmup: number): Promise<Candles | undefined> {
  const { shared } = c;
  const before = shared.warmupBefore;
  if (before === undefined || !Number.isSafeInteger(warmup) || warmup < 1) return undefined;
  let h = c.histories.get(warmup);
  if (!h) {
    const store = await openForReading(shared.dbPath);
    try {
      h = loadCandles(store, shared.instrumentId, warmupWindow(before, TIMEFRAME_MS[shared.timeframe], warmup), shared.baseTimeframe);
    } finally {
      store.close();
    }
    c.histories.set(warmup, h);
  }
  return h;
}

export default async function task(t: SweepTask): Promise<number | SweepPart> {
  const { shared } = t;
  let strategy = strategies.get(shared.strategyRef);
  if (!strategy) {
    // started with the first task, so a user file compiles while this worker loads its candles
    strategies.set(shared.strategyRef, (strategy = loadStrategy(shared.strategyRef)));
    strategy.catch(() => undefined); // a failure is thrown by the sweep task, which awaits it
  }
  if (t.kind === 'load') {
    const store = await openForReading(shared.dbPath);
    try {
      return loadCandlesInto(
        store,
        shared.instrumentId,
        { from: t.from, to: t.to },
        shared.baseTimeframe,
        view(shared.columns),
        t.offset,
        t.count,
      );
    } finally {
      store.close();
    }
  }
  const c = currentFor(shared);
  const s = await strategy;
  const counters = new Int32Array(t.counters);
  const part: SweepPart = [];
  for (let i = Atomics.add(counters, NEXT, 1); i < t.combos.length; i = Atomics.add(counters, NEXT, 1)) {
    part.push([i, await backtest(c, s, t.combos[i] as Params)]);
    Atomics.add(counters, DONE, 1);
    Atomics.notify(counters, DONE); // the parent's progress
  }
  return part;
}

async function backtest(c: Current, s: Strategy, params: Params): Promise<BacktestMetrics> {
  const { shared } = c;
  // The workers read the shared candles directly (read-only once loaded): the backtest touches
  // few of them (Engine.quietBand), and a private copy cost more than it saved.
  c.candles ??= view(shared.columns);
  const instance = s.create(params);
  const o = runBacktest({
    candles: c.candles,
    instrumentId: shared.instrumentId,
    spec: shared.spec,
    timeframe: shared.timeframe,
    strategy: instance,
    strategyId: s.id,
    capital: shared.capital,
    leverage: shared.leverage,
    maxLeverage: Math.max(1, shared.leverage),
    makerFee: shared.makerFee,
    takerFee: shared.takerFee,
    sizing: shared.sizing,
    baseMs: TIMEFRAME_MS[shared.baseTimeframe],
    until: shared.until,
    history: await historyFor(c, instance.warmup),
  });
  return metricsOf(o, shared.capital, shared.timeframe, {
    spec: shared.spec,
    takerFee: shared.takerFee,
    periodsPerYear: shared.periodsPerYear,
  });
}

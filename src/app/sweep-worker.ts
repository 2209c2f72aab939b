/**
 * A worker of `optimize` (dist/sweep-worker.js, run by piscina). First each worker reads its
 * share of the candles from SQLite straight into shared memory (the threads load in parallel),
 * then each task is one parameter set, answered with its metrics. The backtest is the same
 * engine run as `tunicoin backtest`.
 */
import { workerData } from 'node:worker_threads';
import type { InstrumentSpec } from '../core/instruments.ts';
import type { Money, Ppm } from '../core/money.ts';
import type { Params } from '../core/strategy/types.ts';
import type { Timeframe } from '../core/time.ts';
import type { Candles } from '../core/candles.ts';
import { loadStrategy } from './strategy-loader.ts';
import { openForReading } from '../store/db.ts';
import { loadCandles, loadCandlesInto } from '../store/candles.ts';
import { TIMEFRAME_MS } from '../core/time.ts';
import { warmupWindow } from '../engine/candle-buckets.ts';
import { runBacktest } from '../engine/backtest.ts';
import { metricsOf } from '../engine/backtest-metrics.ts';
import type { SizeSpec } from '../core/size-spec.ts';

type Columns = Record<keyof Candles, SharedArrayBuffer>;

export interface SweepShared {
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
  | { readonly kind: 'load'; readonly from: number; readonly to: number; readonly offset: number; readonly count: number }
  | { readonly kind: 'run'; readonly params: Params };

const shared = workerData as SweepShared;
const view = (c: Columns): Candles => ({
  time: new Float64Array(c.time),
  open: new Float64Array(c.open),
  high: new Float64Array(c.high),
  low: new Float64Array(c.low),
  close: new Float64Array(c.close),
  volume: new Float64Array(c.volume),
});
const strategy = loadStrategy(shared.strategyRef);
let candles: Candles | null = null;
/** Warm-up history by the number of candles wanted (few distinct values in a grid). */
const histories = new Map<number, Candles>();

async function historyFor(warmup: number): Promise<Candles | undefined> {
  const before = shared.warmupBefore;
  if (before === undefined || !Number.isSafeInteger(warmup) || warmup < 1) return undefined;
  let h = histories.get(warmup);
  if (!h) {
    const store = await openForReading(shared.dbPath);
    try {
      h = loadCandles(store, shared.instrumentId, warmupWindow(before, TIMEFRAME_MS[shared.timeframe], warmup), shared.baseTimeframe);
    } finally {
      store.close();
    }
    histories.set(warmup, h);
  }
  return h;
}

export default async function task(t: SweepTask) {
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
  // The workers read the shared candles directly (read-only once loaded): the backtest touches
  // few of them (Engine.quietBand), and a private copy cost more than it saved.
  candles ??= view(shared.columns);
  const s = await strategy;
  const instance = s.create(t.params);
  const o = runBacktest({
    candles,
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
    history: await historyFor(instance.warmup),
  });
  return metricsOf(o, shared.capital, shared.timeframe, {
    spec: shared.spec,
    takerFee: shared.takerFee,
    periodsPerYear: shared.periodsPerYear,
  });
}

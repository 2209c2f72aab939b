/**
 * A worker of `optimize` (dist/sweep-worker.js, run by piscina). The candles arrive once, in
 * shared memory, with the worker's data; each task is one parameter set, answered with its
 * metrics. The backtest is the same engine run as `tunicoin backtest`.
 */
import { workerData } from 'node:worker_threads';
import type { InstrumentSpec } from '../core/instruments.ts';
import type { Money, Ppm } from '../core/money.ts';
import type { Params } from '../core/strategy/types.ts';
import type { Timeframe } from '../core/time.ts';
import { loadStrategy } from '../app/strategy-loader.ts';
import { runBacktest } from './backtest.ts';
import { metricsOf } from './backtest-metrics.ts';
import type { SizeSpec } from './executor.ts';

export interface SweepShared {
  readonly columns: { time: SharedArrayBuffer; open: SharedArrayBuffer; high: SharedArrayBuffer; low: SharedArrayBuffer; close: SharedArrayBuffer; volume: SharedArrayBuffer };
  readonly instrumentId: string;
  readonly spec: InstrumentSpec;
  readonly timeframe: Timeframe;
  readonly strategyRef: string;
  readonly capital: Money;
  readonly leverage: number;
  readonly makerFee: Ppm;
  readonly takerFee: Ppm;
  readonly sizing: SizeSpec;
}

const shared = workerData as SweepShared;
const c = shared.columns;
// A private copy per worker: the backtest reads every column of every bar, and plain memory
// keeps two workers from contending on the shared buffers.
const copy = (b: SharedArrayBuffer): Float64Array => new Float64Array(new Float64Array(b));
const candles = { time: copy(c.time), open: copy(c.open), high: copy(c.high), low: copy(c.low), close: copy(c.close), volume: copy(c.volume) };
const strategy = loadStrategy(shared.strategyRef);

export default async function runOne(params: Params) {
  const s = await strategy;
  const o = runBacktest({
    candles, instrumentId: shared.instrumentId, spec: shared.spec, timeframe: shared.timeframe, strategy: s.create(params),
    capital: shared.capital, leverage: shared.leverage, maxLeverage: Math.max(1, shared.leverage), makerFee: shared.makerFee,
    takerFee: shared.takerFee, sizing: shared.sizing,
  });
  return metricsOf(o, shared.capital, shared.timeframe);
}

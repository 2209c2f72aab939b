/**
 * `tunicoin optimize`: a parameter sweep of backtests on worker threads (piscina). Candles are
 * loaded once into shared memory; workers run the same engine as `backtest`. Results are ranked
 * by the chosen metric, ties broken by the grid order, so the output does not depend on the
 * number of workers or on which finished first.
 */
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { UsageError } from '../core/errors.ts';
import type { BacktestMetrics } from '../core/metrics.ts';
import { expandGrid, type GridAxis } from '../core/strategy/grid.ts';
import { checkParam, resolveParams } from '../core/strategy/params.ts';
import type { Params, Strategy } from '../core/strategy/types.ts';
import { toIso } from '../core/time.ts';
import type { SweepShared } from '../engine/sweep-worker.ts';
import { candleRange, type RunSettings } from './backtest.ts';
import type { Store } from '../store/db.ts';
import { findInstrument } from '../store/instruments.ts';
import { packageRoot } from './package-root.ts';

export type RankMetric = 'sharpe' | 'sortino' | 'calmar' | 'returnPct' | 'cagrPct' | 'profitFactor' | 'maxDrawdownPct' | 'winRatePct' | 'sqn' | 'expectancy';
export const RANK_METRICS: readonly RankMetric[] = ['sharpe', 'sortino', 'calmar', 'returnPct', 'cagrPct', 'profitFactor', 'maxDrawdownPct', 'winRatePct', 'sqn', 'expectancy'];

export interface SweepRequest extends RunSettings {
  readonly strategy: Strategy;
  readonly strategyRef: string;
  readonly baseParams: Record<string, string>;
  readonly grid: readonly GridAxis[];
  readonly metric: RankMetric;
  readonly workers: number;
}

export interface SweepRow { readonly rank: number; readonly params: Params; readonly metrics: BacktestMetrics }
export interface SweepResult { readonly sweepMs: number; readonly rows: SweepRow[]; readonly skipped: Array<{ params: Record<string, unknown>; reason: string }>; readonly combos: number; readonly candles: number; readonly from: string; readonly to: string }

function share(a: Float64Array): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(a.byteLength);
  new Float64Array(sab).set(a);
  return sab;
}

export async function runSweep(store: Store, req: SweepRequest, onProgress?: (done: number, total: number) => void): Promise<SweepResult> {
  // A bad value in the grid fails before any work starts; combinations that only break a
  // cross-parameter rule (fast >= slow) are skipped and reported.
  for (const axis of req.grid) for (const v of axis.values) checkParam(req.strategy, axis.name, v);
  const combos: Params[] = [];
  const skipped: SweepResult['skipped'] = [];
  for (const g of expandGrid(req.grid)) {
    try {
      combos.push(resolveParams(req.strategy, { ...req.baseParams, ...g as Record<string, string | number> }));
    } catch (e) {
      skipped.push({ params: g, reason: (e as Error).message });
    }
  }
  if (!combos.length) throw new UsageError('no valid parameter combination in the grid', skipped[0]?.reason);
  const inst = findInstrument(store, req.symbol);
  const { candles } = candleRange(store, inst, req.timeframe, req.from, req.to);
  if (candles.time.length < 2) throw new UsageError(`no ${inst.symbol} candles in that range`);
  const shared: SweepShared = {
    columns: { time: share(candles.time), open: share(candles.open), high: share(candles.high), low: share(candles.low), close: share(candles.close), volume: share(candles.volume) },
    instrumentId: inst.id, spec: inst, timeframe: req.timeframe, strategyRef: req.strategyRef, capital: req.capital, leverage: req.leverage,
    makerFee: req.makerFee, takerFee: req.takerFee, sizing: req.sizing,
  };
  const pool = new Piscina({ filename: join(packageRoot(), 'dist', 'sweep-worker.js'), workerData: shared, minThreads: req.workers, maxThreads: req.workers, idleTimeout: 1000 });
  let done = 0;
  const started = performance.now();
  try {
    const metrics = await Promise.all(combos.map((p) => pool.run(p).then((m: BacktestMetrics) => { onProgress?.(++done, combos.length); return m; })));
    const key = (m: BacktestMetrics): number => {
      const v = m[req.metric] as number | null;
      return v === null ? Number.POSITIVE_INFINITY : v; // profit factor null = no losing trade
    };
    const order = combos.map((params, index) => ({ params, index, metrics: metrics[index] as BacktestMetrics }));
    order.sort((a, b) => (key(b.metrics) - key(a.metrics)) || (a.index - b.index));
    return {
      sweepMs: Math.round(performance.now() - started),
      rows: order.map((o, k) => ({ rank: k + 1, params: o.params, metrics: o.metrics })), skipped, combos: combos.length,
      candles: candles.time.length, from: toIso(candles.time[0] as number), to: toIso(candles.time[candles.time.length - 1] as number),
    };
  } finally {
    await pool.destroy();
  }
}

/**
 * `tunicoin optimize`: a parameter sweep of backtests on worker threads (piscina). The workers
 * load the candles into shared memory in parallel, a share each, then run the same engine as
 * `backtest`, each claiming the next combination from a shared counter as it gets free (no
 * message through this thread between two backtests). Results are ranked
 * by the chosen metric, ties broken by the grid order, so the output does not depend on the
 * number of workers or on which finished first.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Piscina } from 'piscina';
import { ConflictError, UsageError } from '../core/errors.ts';
import type { BacktestMetrics } from '../core/metrics.ts';
import { expandGrid, type GridAxis } from '../core/strategy/grid.ts';
import { checkParam, resolveParams } from '../core/strategy/params.ts';
import type { Params, Strategy } from '../core/strategy/types.ts';
import { toIso } from '../core/time.ts';
import type { SweepPart, SweepShared, SweepTask } from './sweep-worker.ts';
import { COUNTERS_BYTES, DONE, NEXT } from './sweep-counters.ts';
import { candleWindow, type RunSettings } from './backtest.ts';
import { countCandles, splitCandles } from '../store/candles.ts';
import type { Store } from '../store/db.ts';
import { findInstrument } from '../store/instruments.ts';
import { packageRoot } from './package-root.ts';

export type RankMetric =
  'sharpe' | 'sortino' | 'calmar' | 'returnPct' | 'cagrPct' | 'profitFactor' | 'maxDrawdownPct' | 'winRatePct' | 'sqn' | 'expectancy';
export const RANK_METRICS: readonly RankMetric[] = [
  'sharpe',
  'sortino',
  'calmar',
  'returnPct',
  'cagrPct',
  'profitFactor',
  'maxDrawdownPct',
  'winRatePct',
  'sqn',
  'expectancy',
];

export interface SweepRequest extends RunSettings {
  readonly strategy: Strategy;
  readonly strategyRef: string;
  readonly baseParams: Record<string, string>;
  readonly grid: readonly GridAxis[];
  readonly metric: RankMetric;
  readonly workers: number;
  /** The command's pool, started early (startSweepPool) and kept for each sweep; else one of its own. */
  readonly pool?: SweepPool;
  /** Aborting it stops the sweep (a queued job handed back): the tasks reject, nothing is stored. */
  readonly signal?: AbortSignal;
}

export interface SweepRow {
  readonly rank: number;
  readonly params: Params;
  readonly metrics: BacktestMetrics;
}
export interface SweepResult {
  readonly sweepMs: number;
  readonly loadMs: number;
  readonly rows: SweepRow[];
  readonly skipped: Array<{ params: Record<string, unknown>; reason: string }>;
  readonly combos: number;
  readonly candles: number;
  readonly from: string;
  readonly to: string;
}

/** Numbers the sweeps of this process (a pool's threads tell one from the next by it). */
let sweepCount = 0;

export async function runSweep(store: Store, req: SweepRequest, onProgress?: (done: number, total: number) => void): Promise<SweepResult> {
  // A bad value in the grid fails before any work starts; combinations that only break a
  // cross-parameter rule (fast >= slow) are skipped and reported.
  for (const axis of req.grid) for (const v of axis.values) checkParam(req.strategy, axis.name, v);
  const combos: Params[] = [];
  const skipped: SweepResult['skipped'] = [];
  for (const g of expandGrid(req.grid)) {
    try {
      combos.push(resolveParams(req.strategy, { ...req.baseParams, ...(g as Record<string, string | number>) }));
    } catch (e) {
      skipped.push({ params: g, reason: (e as Error).message });
    }
  }
  if (!combos.length) throw new UsageError('no valid parameter combination in the grid', skipped[0]?.reason);
  const inst = findInstrument(store, req.symbol);
  const w = candleWindow(store, inst, req.timeframe, req.from, req.to);
  const range = { from: w.from, to: w.to };
  const n = countCandles(store, inst.id, range, w.base);
  if (n < 2) throw new UsageError(`no ${inst.symbol} candles in that range`);
  // The workers read the candles into shared memory themselves, a share each, in parallel.
  const buf = () => new SharedArrayBuffer(n * 8);
  const columns = { time: buf(), open: buf(), high: buf(), low: buf(), close: buf(), volume: buf() };
  const shared: SweepShared = {
    sweep: ++sweepCount,
    columns,
    dbPath: store.dialect === 'postgres' ? store.url : store.path, // the URL with its password: the threads connect too
    baseTimeframe: w.base,
    instrumentId: inst.id,
    spec: inst,
    timeframe: req.timeframe,
    strategyRef: req.strategyRef,
    capital: req.capital,
    leverage: req.leverage,
    makerFee: req.makerFee,
    takerFee: req.takerFee,
    sizing: req.sizing,
    periodsPerYear: req.periodsPerYear,
    warmupBefore: req.from,
    until: w.to,
  };
  const own = req.pool && req.pool.threads >= req.workers ? null : startSweepPool(req.workers);
  const pool = own ?? (req.pool as SweepPool);
  const started = performance.now();
  try {
    const shares = splitCandles(store, inst.id, range, w.base, Math.min(req.workers, n));
    const loads: SweepTask[] = shares.map((s) => ({ kind: 'load', shared, ...s }));
    const opts = req.signal ? { signal: req.signal } : {};
    const loaded = (await Promise.all(loads.map((t) => pool.run(t, opts) as Promise<number>))).reduce((a, b) => a + b, 0);
    const loadMs = Math.round(performance.now() - started);
    if (loaded !== n) throw new ConflictError(`the candles changed while they were read (${loaded} of ${n}); run it again`);
    const time = new Float64Array(columns.time);
    const from = time[0] as number;
    const to = time[n - 1] as number;
    const counters = new Int32Array(new SharedArrayBuffer(COUNTERS_BYTES));
    const task: SweepTask = { kind: 'sweep', shared, combos, counters: counters.buffer };
    const sweeps = Array.from({ length: Math.min(req.workers, combos.length) }, () => pool.run(task, opts) as Promise<SweepPart>);
    const progress = reportProgress(counters, combos.length, onProgress);
    let answers: SweepPart[];
    try {
      answers = await Promise.all(sweeps);
    } catch (e) {
      Atomics.store(counters, NEXT, combos.length); // a failed sweep: the other workers claim no more
      throw e;
    } finally {
      progress.stop();
    }
    progress.flush();
    const metrics = new Array<BacktestMetrics>(combos.length);
    let got = 0;
    for (const part of answers)
      for (const [index, m] of part) {
        metrics[index] = m;
        got++;
      }
    if (got !== combos.length) throw new Error(`the sweep answered ${got} of ${combos.length} combinations`);
    const key = (m: BacktestMetrics): number => {
      const v = m[req.metric];
      return v === null ? Number.POSITIVE_INFINITY : v; // profit factor null = no losing trade
    };
    const order = combos.map((params, index) => ({ params, index, metrics: metrics[index] as BacktestMetrics }));
    order.sort((a, b) => key(b.metrics) - key(a.metrics) || a.index - b.index);
    return {
      sweepMs: Math.round(performance.now() - started),
      loadMs,
      rows: order.map((o, k) => ({ rank: k + 1, params: o.params, metrics: o.metrics })),
      skipped,
      combos: combos.length,
      candles: n,
      from: toIso(from),
      to: toIso(to),
    };
  } finally {
    await own?.close();
  }
}

/** A pool of sweep threads: start it as the command starts, so the threads boot while it plans. */
export interface SweepPool {
  readonly threads: number;
  run(task: SweepTask, opts: { signal?: AbortSignal }): Promise<unknown>;
  close(): Promise<void>;
}

export function startSweepPool(threads: number): SweepPool {
  // the CommonJS bundle (scripts/build.mjs): a thread loads it in a third of the ESM worker's time
  const cjs = join(packageRoot(), 'dist', 'sweep-worker.cjs');
  // With a thread on every core, V8's helper threads only compete with them: each thread
  // compiles on its own thread (read as an isolate starts; 8-10% less CPU on a 2-thread sweep
  // here) and scavenges its young generation alone (read at each scavenge: the parallel
  // scavenger's tasks took 1.0-1.2 s of helper-thread CPU per 2-thread 1m sweep, 0.3 s left,
  // 2-8% less CPU in all). 1 thread keeps both: its helpers run on the free core. Not
  // concurrent marking: switching that off under a running isolate fails a V8 check at exit.
  if (threads >= availableParallelism()) setFlagsFromString('--no-concurrent-recompilation --no-parallel-scavenge');
  const pool = new Piscina({
    filename: existsSync(cjs) ? cjs : join(packageRoot(), 'dist', 'sweep-worker.js'),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 1000,
  });
  return { threads, run: (task, opts) => pool.run(task, opts) as Promise<unknown>, close: () => pool.destroy() };
}

/** Atomics.waitAsync (Node >= 16; not yet in TypeScript's ES2022 lib). */
type WaitAsync = (a: Int32Array, index: number, value: number) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/**
 * Calls onProgress(1..total) as the workers count finished combinations (Atomics.waitAsync: no
 * polling). stop() ends it (nothing more is reported); flush() reports what is counted now.
 */
function reportProgress(
  counters: Int32Array,
  total: number,
  onProgress?: (done: number, total: number) => void,
): { stop: () => void; flush: () => void } {
  let stopped = false;
  let seen = 0;
  const flush = () => {
    const now = Math.min(Atomics.load(counters, DONE), total);
    if (!onProgress) seen = now;
    else while (seen < now) onProgress(++seen, total);
  };
  void (async () => {
    while (!stopped && seen < total) {
      const w = waitAsync(counters, DONE, seen);
      if (w.async) await w.value;
      if (!stopped) flush();
    }
  })();
  return {
    stop: () => {
      stopped = true;
      Atomics.notify(counters, DONE); // wakes the wait above
    },
    flush,
  };
}

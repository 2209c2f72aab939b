/**
 * `optimize` as research (issue 15): the sweep of app/optimize.ts, ranked only among combinations
 * with enough trades, optionally trained on one part of the range and tested on the rest, or
 * walked forward over rolling windows (see core/walk-forward.ts). Every run is stored: a `sweeps`
 * row and one `sweep_results` row per combination and window with its metrics (and, for the
 * chosen one, its out-of-sample metrics); `optimize show ID` reads them back.
 */
import { UsageError } from '../core/errors.ts';
import type { BacktestMetrics } from '../core/metrics.ts';
import type { GridAxis } from '../core/strategy/grid.ts';
import type { Params } from '../core/strategy/types.ts';
import { toIso } from '../core/time.ts';
import { minTradesFilter, trainTestSplit, walkForwardWindows, type Span } from '../core/walk-forward.ts';
import { candleSpan } from '../store/market-data.ts';
import type { Store } from '../store/db.ts';
import { findInstrument } from '../store/instruments.ts';
import { insertSweep, type NewSweepResult } from '../store/sweeps.ts';
import { ensureOwner } from '../store/accounts.ts';
import { candleWindow } from './backtest.ts';
import { runSweep, type SweepRequest, type SweepResult } from './optimize.ts';

export interface ResearchRequest extends SweepRequest {
  /** Combinations with fewer closed trades are not ranked (default 5). */
  readonly minTrades: number;
  /** Percentage of each range (or window) to rank on; the rest tests the best. */
  readonly trainPct?: number;
  readonly walkForward?: number;
  readonly windowMs?: number;
  /** Store the sweep under this id (a queued job's); one already stored under it is kept. */
  readonly sweepId?: string;
}

export interface RankedRow {
  readonly rank: number | null;
  readonly params: Params;
  readonly metrics: BacktestMetrics;
  readonly excluded: string | null;
}

export interface ResearchWindow {
  readonly index: number;
  readonly train: { readonly from: string; readonly to: string };
  readonly test: { readonly from: string; readonly to: string } | null;
  readonly rows: RankedRow[];
  /** The best eligible combination's metrics on the test part (null: no test part, or nothing eligible). */
  readonly test_metrics: BacktestMetrics | null;
}

export interface ResearchResult {
  readonly sweepId: string;
  readonly combos: number;
  readonly skipped: SweepResult['skipped'];
  readonly candles: number;
  readonly sweepMs: number;
  readonly loadMs: number;
  readonly windows: ResearchWindow[];
}

/** Rank a sweep among the rows with enough trades; the rest keep their metrics, unranked. */
export function rankWithMinTrades(result: SweepResult, minTrades: number): RankedRow[] {
  const rows = result.rows.map((r) => ({ ...r, trades: r.metrics.trades }));
  const { eligible, excluded } = minTradesFilter(rows, minTrades);
  return [
    ...eligible.map((r, k) => ({ rank: k + 1, params: r.params, metrics: r.metrics, excluded: null })),
    ...excluded.map((e) => ({ rank: null, params: e.row.params, metrics: e.row.metrics, excluded: e.reason })),
  ];
}

/** The data range a sweep would run over (requested bounds, the stored candles, the clock). */
function dataRange(store: Store, req: ResearchRequest): Span {
  const inst = findInstrument(store, req.symbol);
  const w = candleWindow(store, inst, req.timeframe, req.from, req.to);
  // first and last by the index (two look-ups), not candleBounds' COUNT over every row: the
  // whole sweep waited 0.75 s for it on a million candles
  const b = candleSpan(store, inst.id, w.base);
  if (!b) throw new UsageError(`${inst.symbol} has no candles`);
  const from = Math.max(w.from, b.first);
  const to = Math.min(w.to, b.last);
  if (from >= to) throw new UsageError(`no ${inst.symbol} candles in that range`);
  return { from, to };
}

export async function runResearch(
  store: Store,
  req: ResearchRequest,
  nowIso: string,
  onProgress?: (done: number, total: number) => void,
): Promise<ResearchResult> {
  const range = dataRange(store, req);
  let splits: Array<{ train: Span; test: Span | null }>;
  if (req.walkForward !== undefined) {
    if (req.windowMs === undefined) throw new UsageError('--walk-forward needs --window, e.g. --window 90d');
    const wf = walkForwardWindows(range, req.walkForward, req.windowMs, req.trainPct ?? 70);
    if (!wf.splits.length) {
      throw new UsageError(
        `${req.walkForward} windows of ${Math.round(req.windowMs / 86_400_000)}d need ${(wf.needed / 86_400_000).toFixed(1)} days of candles; the range has ${((range.to - range.from) / 86_400_000).toFixed(1)}`,
        'use fewer or shorter windows, or more history',
      );
    }
    splits = wf.splits;
  } else if (req.trainPct !== undefined) {
    splits = [trainTestSplit(range, req.trainPct)];
  } else {
    splits = [{ train: range, test: null }];
  }
  const windows: ResearchWindow[] = [];
  let combos = 0;
  let candles = 0;
  let sweepMs = 0;
  let loadMs = 0;
  let skipped: SweepResult['skipped'] = [];
  const total = splits.length;
  for (const [k, split] of splits.entries()) {
    const sweep = await runSweep(
      store,
      { ...req, from: split.train.from, to: split.train.to },
      onProgress ? (d, t) => onProgress(k * t + d, total * t) : undefined,
    );
    combos = sweep.combos;
    skipped = sweep.skipped;
    candles += sweep.candles;
    sweepMs += sweep.sweepMs;
    loadMs += sweep.loadMs;
    const rows = rankWithMinTrades(sweep, req.minTrades);
    const best = rows.find((r) => r.rank === 1);
    let testMetrics: BacktestMetrics | null = null;
    if (split.test && best) {
      const grid: GridAxis[] = Object.entries(best.params).map(([name, v]) => ({ name, values: [v] }));
      const test = await runSweep(store, { ...req, grid, baseParams: {}, workers: 1, from: split.test.from, to: split.test.to });
      testMetrics = test.rows[0]?.metrics ?? null;
      candles += test.candles;
    }
    windows.push({
      index: k + 1,
      train: { from: toIso(split.train.from), to: toIso(split.train.to) },
      test: split.test ? { from: toIso(split.test.from), to: toIso(split.test.to) } : null,
      rows,
      test_metrics: testMetrics,
    });
  }
  const inst = findInstrument(store, req.symbol);
  const results: NewSweepResult[] = windows.flatMap((w) =>
    w.rows.map((r) => ({
      window: w.index,
      rank: r.rank,
      params: r.params,
      trades: r.metrics.trades,
      metrics: r.metrics,
      testMetrics: r.rank === 1 ? w.test_metrics : null,
      excluded: r.excluded,
    })),
  );
  const sweepId = insertSweep(
    store,
    {
      strategyId: req.strategy.id,
      instrumentId: inst.id,
      userId: ensureOwner(store, nowIso),
      timeframe: req.timeframe,
      metric: req.metric,
      combinations: combos,
      createdAt: nowIso,
      ...(req.sweepId !== undefined ? { id: req.sweepId } : {}),
      config: {
        strategyRef: req.strategyRef,
        grid: req.grid,
        baseParams: req.baseParams,
        minTrades: req.minTrades,
        trainPct: req.trainPct ?? null,
        walkForward: req.walkForward ?? null,
        windowMs: req.windowMs ?? null,
        from: toIso(range.from),
        to: toIso(range.to),
        windows: windows.map((w) => ({ index: w.index, train: w.train, test: w.test })),
      },
    },
    results,
  );
  return { sweepId, combos, skipped, candles, sweepMs, loadMs, windows };
}

/** `optimize STRATEGY`: a parameter sweep (optionally walked forward), its ranking and its HTML report. */
import { StrategyError, TunicoinError, UsageError } from '../../core/errors.ts';
import { parseParamPairs } from '../../core/strategy/params.ts';
import { toIso } from '../../core/time.ts';
import { isStrategyPath, loadStrategy } from '../../app/strategy-loader.ts';
import { assertPlanAllows } from '../../app/plans.ts';
import { parsePositiveInt } from '../args.ts';
import type { Context } from '../context.ts';
import { makeProgress } from '../render/progress.ts';
import { shortId } from '../render/trading.ts';
import { parseCommon, type BacktestFlags } from './backtest.ts';
import { parseResearchFlags, printResearch } from './research.ts';
import type { RankMetric, SweepPool } from '../../app/optimize.ts';
import type { GridAxis } from '../../core/strategy/grid.ts';
import type { Strategy } from '../../core/strategy/types.ts';

export interface OptimizeFlags extends BacktestFlags {
  grid?: string[];
  metric?: string;
  workers?: string;
  top?: string;
  train?: string;
  walkForward?: string;
  window?: string;
  minTrades?: string;
  queue?: boolean;
  detach?: boolean;
}

/** `optimize --report FILE.html`: the sweep's heat map, top 5 curves and every result. */
async function writeSweepReport(
  ctx: Context,
  out: import('../../app/report-file.ts').OutputCheck,
  input: import('../../app/report-optimize.ts').SweepForReport,
): Promise<void> {
  const { emitReport } = await import('./report.ts');
  const { optimizeReport } = await import('../../app/report-optimize.ts');
  await emitReport(ctx, out, await optimizeReport(await ctx.store(), input, toIso(ctx.now())), false, true);
}

export async function optimize(
  ctx: Context,
  strategyRef: string,
  flags: OptimizeFlags,
  onInterrupt: (fn: () => void) => void = () => undefined,
): Promise<void> {
  if (flags.queue) (await import('../../app/queue-jobs.ts')).assertQueueDatabase(ctx.dbPath.path);
  else if (flags.detach) throw new UsageError('--detach goes with --queue');
  const { parseGrid } = await import('../../core/strategy/grid.ts');
  const { RANK_METRICS, startSweepPool } = await import('../../app/optimize.ts');
  const strategy = await loadStrategy(strategyRef);
  if (!flags.grid?.length)
    throw new UsageError('give at least one --grid NAME=START:END:STEP', 'e.g. --grid fast=5:20:5 --grid slow=20:60:10');
  const grid = flags.grid.map(parseGrid);
  const metric = (flags.metric ?? 'sharpe') as (typeof RANK_METRICS)[number];
  if (!RANK_METRICS.includes(metric)) throw new UsageError(`unknown --metric "${flags.metric}"`, `use one of ${RANK_METRICS.join(', ')}`);
  const cpus = (await import('node:os')).availableParallelism();
  let workers = flags.workers === undefined ? Math.max(1, cpus) : parsePositiveInt(flags.workers, '--workers', { max: 64 });
  if (workers > cpus) {
    ctx.note(`warning: --workers ${workers} is more than the ${cpus} CPU(s) of this machine; using ${cpus}`);
    workers = Math.max(1, cpus);
  }
  // the threads start now and boot while this thread opens the database and plans the sweep
  const pool = flags.queue ? undefined : startSweepPool(workers);
  try {
    await sweep(ctx, strategyRef, flags, onInterrupt, { strategy, grid, metric, workers, pool });
  } finally {
    await pool?.close();
  }
}

async function sweep(
  ctx: Context,
  strategyRef: string,
  flags: OptimizeFlags,
  onInterrupt: (fn: () => void) => void,
  plan: { strategy: Strategy; grid: GridAxis[]; metric: RankMetric; workers: number; pool: SweepPool | undefined },
): Promise<void> {
  const { strategy, grid, metric, pool } = plan;
  let { workers } = plan;
  const research = parseResearchFlags(flags);
  const top = flags.top === undefined ? 10 : parsePositiveInt(flags.top, '--top');
  const base = parseParamPairs(flags.param ?? []);
  const common = parseCommon(flags);
  const reportOut =
    flags.report === undefined ? null : await (await import('./report.ts')).prepareOutput(ctx, flags.report, flags.yes === true);
  const store = await ctx.store();
  assertPlanAllows(
    store,
    'max_sweep',
    grid.reduce((n, axis) => n * axis.values.length, 1),
  );
  let result: import('../../app/research.ts').ResearchResult;
  if (flags.queue) {
    const q = await import('./queued.ts');
    const { actingUserId, absoluteStrategyRef, checkSweepGrid } = await import('../../app/queue-jobs.ts');
    const { id } = q.newJob(store, undefined, ctx.env);
    const data = {
      kind: 'sweep' as const,
      userId: actingUserId(store),
      strategyRef: absoluteStrategyRef(strategyRef),
      settings: { symbol: flags.symbol ?? 'BTC-USD', ...common },
      baseParams: base,
      grid,
      metric,
      ...research,
    };
    await checkSweepGrid(data);
    const out = await q.sendAndFollow(ctx, q.pgStore(store), id, data, flags, onInterrupt); // Ctrl-C cancels the job
    if (!out?.ok || out.kind !== 'sweep') return; // detached
    result = out.result;
    workers = out.workers;
  } else {
    const progress = makeProgress(ctx.err, `optimize ${strategy.id}`, !ctx.json);
    const { runResearch } = await import('../../app/research.ts');
    result = await runResearch(
      store,
      { strategy, strategyRef, baseParams: base, grid, metric, workers, pool, symbol: flags.symbol ?? 'BTC-USD', ...common, ...research },
      toIso(ctx.now()),
      (d, t) => progress.update(d, t),
    ).catch((e: unknown) => {
      // A user strategy's failure crosses the worker pool as a plain Error: it is the strategy's (exit 9), not a bug.
      if (isStrategyPath(strategyRef) && !(e instanceof TunicoinError))
        throw new StrategyError(`optimize ${strategy.id}: ${(e as Error).message ?? String(e)}`);
      throw e;
    });
    progress.done();
  }
  ctx.note(
    `swept ${result.combos} combinations${result.windows.length > 1 ? ` x ${result.windows.length} windows` : ''} on ${workers} worker(s) in ${result.sweepMs} ms (${result.loadMs} ms of it loading ${result.candles.toLocaleString('en-US')} candles); stored as sweep ${shortId(store, 'sweeps', result.sweepId)} (\`tunicoin optimize show ${shortId(store, 'sweeps', result.sweepId)}\`)`,
  );
  printResearch(ctx, {
    sweepId: result.sweepId,
    strategy: strategy.id,
    metric,
    minTrades: research.minTrades,
    gridNames: grid.map((g) => g.name),
    windows: result.windows,
    combinations: result.combos,
    skipped: result.skipped,
    top,
  });
  if (reportOut) {
    // the report shows the sweep that chose the parameters: the only window, or the latest one walked forward
    const shown = result.windows[result.windows.length - 1];
    const rows = (shown?.rows ?? []).flatMap((r) => (r.rank === null ? [] : [{ rank: r.rank, params: r.params, metrics: r.metrics }]));
    await writeSweepReport(ctx, reportOut, {
      strategyRef,
      settings: { symbol: flags.symbol ?? 'BTC-USD', ...common },
      sizeText: flags.size ?? 'all',
      metric,
      axes: grid,
      rows,
      skipped: result.skipped.length,
    });
  }
}

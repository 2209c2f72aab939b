/** `backtest STRATEGY`, `backtests`, `backtests show ID`, `strategies`. */
import { StrategyError, TunicoinError, UsageError } from '../../core/errors.ts';
import { PPM_SCALE, type Ppm } from '../../core/money.ts';
import { parseParamPairs, resolveParams } from '../../core/strategy/params.ts';
import { toIso } from '../../core/time.ts';
import { BUILTIN_STRATEGIES } from '../../core/strategy/builtin.ts';
import { orderIssues, runBacktestJob, tradeRows, type BacktestReport } from '../../app/backtest.ts';
import { isStrategyPath, loadStrategy } from '../../app/strategy-loader.ts';
import { assertPlanAllows } from '../../app/plans.ts';
import { parseSizeSpec } from '../../core/size-spec.ts';
import { findBacktest, listUserBacktests, type BacktestView } from '../../store/backtests.ts';
import { runSpecOf } from '../../app/report-backtest.ts';
import {
  parseLeverageArg,
  parseMoneyArg,
  parsePositiveInt,
  parseRateArg,
  parseStrategyTimeout,
  parseTime,
  parseTimeframe,
} from '../args.ts';
import type { Context } from '../context.ts';
import { renderEquityChart } from '../render/equity-chart.ts';
import { renderJson } from '../render/json.ts';
import { dollars } from '../../core/number-text.ts';
import { makeProgress } from '../render/progress.ts';
import { renderKeyValue, renderTable } from '../render/table.ts';
import { moneyJson, shortId } from '../render/trading.ts';
import type { Store } from '../../store/db.ts';
import { ConflictError } from '../../core/errors.ts';
import type { MonthlyReturn } from '../../core/metrics.ts';
import { monthlyTable, MONTH_NAMES } from '../render/monthly.ts';

export interface BacktestFlags {
  symbol?: string;
  timeframe?: string;
  from?: string;
  to?: string;
  capital?: string;
  leverage?: string;
  param?: string[];
  size?: string;
  feeTaker?: string;
  feeMaker?: string;
  trades?: string;
  report?: string;
  yes?: boolean;
  strategyTimeout?: string;
  periodsPerYear?: string;
}

function parseRate(v: string | undefined, def: number, flag: string): Ppm {
  return v === undefined ? (def as Ppm) : parseRateArg(v, flag, { max: 0.1, maxExclusive: true });
}

/** Flags shared by `backtest` and `optimize`, validated before anything runs. */
function parseCommon(flags: BacktestFlags) {
  const timeframe = parseTimeframe(flags.timeframe ?? '1h');
  const from = flags.from === undefined ? undefined : parseTime(flags.from, '--from');
  const to = flags.to === undefined ? undefined : parseTime(flags.to, '--to');
  if (from !== undefined && to !== undefined && from > to) throw new UsageError(`--from (${flags.from}) is after --to (${flags.to})`);
  const capital = parseMoneyArg(flags.capital ?? '10000', '--capital');
  const leverage = parseLeverageArg(flags.leverage ?? '1', '--leverage');
  const periodsPerYear =
    flags.periodsPerYear === undefined ? undefined : parsePositiveInt(flags.periodsPerYear, '--periods-per-year', { max: 366 });
  return {
    timeframe,
    from,
    to,
    capital,
    leverage,
    sizing: parseSizeSpec(flags.size),
    makerFee: parseRate(flags.feeMaker, 200, '--fee-maker'),
    takerFee: parseRate(flags.feeTaker, 500, '--fee-taker'),
    ...(periodsPerYear !== undefined ? { periodsPerYear } : {}),
  };
}

export async function backtest(
  ctx: Context,
  strategyRef: string,
  flags: BacktestFlags,
  onInterrupt: (fn: () => void) => void,
): Promise<void> {
  const timeoutMs = parseStrategyTimeout(flags.strategyTimeout);
  const common = parseCommon(flags);
  if (flags.trades !== undefined) await confirmTradesPath(ctx, flags.trades, flags.yes === true);
  const strategy = await loadStrategy(strategyRef, { timeoutMs });
  const params = resolveParams(strategy, parseParamPairs(flags.param ?? []));

  // the report's path is checked (and asked about) before the run, so a bad one costs nothing
  const reportOut =
    flags.report === undefined ? null : await (await import('./report.ts')).prepareOutput(ctx, flags.report, flags.yes === true);
  const store = await ctx.store();
  let cancel = false;
  onInterrupt(() => {
    cancel = true;
  });
  const progress = makeProgress(ctx.err, `backtest ${strategy.id}`, !ctx.json);
  const report = await runBacktestJob(
    store,
    {
      strategy,
      strategyRef,
      params,
      symbol: flags.symbol ?? 'BTC-USD',
      ...common,
      tradesPath: flags.trades,
    },
    { onProgress: (f) => progress.update(f, 1), shouldCancel: () => cancel, nowIso: () => toIso(ctx.now()) },
  );
  progress.done();
  if (report.status === 'canceled')
    throw new TunicoinError(
      'interrupted',
      `backtest ${shortId(store, 'backtests', report.id)} canceled; nothing was written but its status`,
    );
  printReport(ctx, store, report, strategy.id, params);
  if (reportOut) {
    const { emitReport } = await import('./report.ts');
    const { backtestReport } = await import('../../app/report-backtest.ts');
    await emitReport(ctx, reportOut, await backtestReport(store, report.id, toIso(ctx.now())), false, true);
  }
}

/** --trades is checked before the run: unwritable is exit 2; an existing file is overwritten only when confirmed or with --yes. */
async function confirmTradesPath(ctx: Context, path: string, yes: boolean): Promise<void> {
  const { checkTradesPath } = await import('../../app/trade-log.ts');
  if (!checkTradesPath(path).exists || yes) return;
  if (ctx.interactive && (await (await import('../prompts.ts')).confirm(`${path} exists. Overwrite it?`))) return;
  throw new UsageError(
    `--trades ${path} already exists`,
    ctx.interactive ? 'not overwritten' : 'pass --yes to overwrite it, or name another file',
  );
}

function printReport(ctx: Context, store: Store, r: BacktestReport, strategyId: string, params: object): void {
  const m = r.metrics!;
  if (ctx.json) {
    ctx.print(
      renderJson({
        id: r.id,
        strategy: strategyId,
        symbol: r.instrument.symbol,
        params,
        status: r.status,
        metrics: m,
        tradeLog: r.tradesPath,
        trades: tradeRows(r.outcome),
        ...orderIssues(r.outcome),
        notes: r.notes,
        warnings: r.warnings,
      }),
    );
    return;
  }
  for (const n of r.notes) ctx.note(n);
  const st = ctx.style;
  const pct = (x: number) => st.signed(x, `${x >= 0 ? '+' : ''}${x.toFixed(2)}%`);
  ctx.print(
    `${st.bold(`backtest ${shortId(store, 'backtests', r.id)}`)}  ${strategyId} on ${r.instrument.symbol}  ${JSON.stringify(params)}`,
  );
  ctx.print(
    renderKeyValue(
      [
        ['period', `${m.start} .. ${m.end} (${m.durationDays.toFixed(1)} days)`],
        ['final / peak equity', `${dollars(m.finalEquity)} / ${dollars(m.peakEquity)}`],
        ['return', pct(m.returnPct)],
        [
          'buy & hold gross / net',
          `${pct(m.buyAndHoldReturnPct)} / ${pct(m.buyAndHoldNetReturnPct)} (net: spread and taker fee in and out)`,
        ],
        ['CAGR', pct(m.cagrPct)],
        ['volatility (ann.)', `${m.volatilityAnnPct.toFixed(2)}% (${m.periodsPerYear} days a year)`],
        ['Sharpe / Sortino / Calmar', `${m.sharpe.toFixed(2)} / ${m.sortino.toFixed(2)} / ${m.calmar.toFixed(2)}`],
        [
          'max drawdown',
          `${m.maxDrawdownPct.toFixed(2)}% over ${m.maxDrawdownDurationDays.toFixed(1)} days (avg ${m.avgDrawdownPct.toFixed(2)}%)`,
        ],
        ['exposure', `${m.exposurePct.toFixed(1)}%`],
        ['trades / win rate', `${m.trades} / ${m.winRatePct.toFixed(1)}%`],
        ['best / worst / avg trade', `${m.bestTradePct.toFixed(2)}% / ${m.worstTradePct.toFixed(2)}% / ${m.avgTradePct.toFixed(2)}%`],
        [
          'profit factor / expectancy / SQN',
          `${m.profitFactor === null ? 'n/a' : m.profitFactor.toFixed(2)} / ${dollars(m.expectancy)} / ${m.sqn.toFixed(2)}`,
        ],
        ['fees / funding', `${dollars(m.totalFees)} / ${dollars(m.totalFunding)}`],
        ['orders rejected / resized', `${m.rejectedOrders} / ${m.resizedOrders}`],
        ['trade log', r.tradesPath ?? ''],
      ],
      st,
    ),
  );
  for (const w of r.warnings) ctx.print(st.enabled ? st.chalk.yellow(`warning: ${w}`) : `warning: ${w}`);
  const eq = Array.from(r.outcome.equity);
  if (eq.length >= 2) {
    const step = Math.max(1, Math.ceil(eq.length / 100));
    const { closes, firstOpen } = r.outcome;
    const capital = m.finalEquity / (1 + m.returnPct / 100);
    const sampled: number[] = [];
    const hold: number[] = [];
    for (let i = 0; i < eq.length; i += step) {
      sampled.push(eq[i] as number);
      hold.push((capital * (closes[i] as number)) / firstOpen); // the same capital bought at the first open
    }
    ctx.print('equity: strategy vs buy & hold');
    ctx.print(renderEquityChart(sampled, hold, { height: 12, style: st }));
  }
}

export async function listBacktests(ctx: Context, flags: { limit?: string }): Promise<void> {
  const limit = flags.limit === undefined ? 20 : parsePositiveInt(flags.limit, '--limit');
  const store = await ctx.store();
  const rows = listUserBacktests(store, limit);
  const data = rows.map((r) => {
    const m = r.metrics ? (JSON.parse(r.metrics) as Record<string, number>) : null;
    return {
      id: r.id,
      strategy: r.strategy_id,
      symbol: r.symbol,
      timeframe: r.timeframe,
      status: r.status,
      progress: r.progress,
      returnPct: m?.returnPct ?? null,
      sharpe: m?.sharpe ?? null,
      trades: m?.trades ?? null,
      createdAt: r.created_at,
    };
  });
  if (ctx.json) {
    ctx.print(renderJson(data));
    return;
  }
  if (!data.length) {
    ctx.note('no backtests yet: tunicoin backtest ema_crossover');
    return;
  }
  ctx.print(
    renderTable(
      ['id', 'created', 'strategy', 'symbol', 'tf', 'status', 'return %', 'sharpe', 'trades'].map((h) => ({ header: h })),
      data.map((d) => [
        shortId(store, 'backtests', d.id),
        d.createdAt.slice(0, 16).replace('T', ' '),
        d.strategy,
        d.symbol,
        d.timeframe,
        d.status,
        d.returnPct === null ? '' : d.returnPct.toFixed(2),
        d.sharpe === null ? '' : d.sharpe.toFixed(2),
        d.trades === null ? '' : String(d.trades),
      ]),
      ctx.style,
    ),
  );
}

export async function showBacktest(ctx: Context, idPrefix: string, flags: { monthly?: boolean } = {}): Promise<void> {
  const store = await ctx.store();
  const data = backtestView(findBacktest(store, idPrefix));
  if (flags.monthly) {
    printMonthly(ctx, data.metrics);
    return;
  }
  if (ctx.json) {
    ctx.print(renderJson(data));
    return;
  }
  const { metrics, ...rest } = data;
  ctx.print(
    renderKeyValue(
      Object.entries(rest).map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '')]),
      ctx.style,
    ),
  );
  if (metrics)
    ctx.print(
      renderKeyValue(
        Object.entries(metrics).map(([k, v]) => [k, String(v)]),
        ctx.style,
      ),
    );
}

/** A stored backtest as `backtests show` gives it: camelCase, money as decimal strings, the run's settings apart from the strategy's parameters. */
function backtestView(r: BacktestView) {
  const spec = runSpecOf(r);
  return {
    id: r.id,
    strategy: spec.strategyRef,
    symbol: r.symbol,
    timeframe: r.timeframe,
    status: r.status,
    progress: r.progress,
    params: spec.params,
    size: spec.sizeText,
    leverage: spec.leverage,
    makerFee: spec.makerFee / PPM_SCALE,
    takerFee: spec.takerFee / PPM_SCALE,
    initialCapital: moneyJson(r.initial_capital),
    start: r.start_date,
    end: r.end_date,
    error: r.error_message,
    createdAt: r.created_at,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    metrics: r.metrics ? (JSON.parse(r.metrics) as Record<string, unknown>) : null,
  };
}

/** `backtests show ID --monthly`: the strategy's return of each calendar month, a row per year. */
function printMonthly(ctx: Context, metrics: { monthlyReturns?: MonthlyReturn[] } | null): void {
  const months = metrics?.monthlyReturns;
  if (!months)
    throw new ConflictError(
      'this backtest has no monthly returns stored (it did not complete, or ran before they were recorded): run it again',
    );
  if (ctx.json) {
    ctx.print(renderJson(months));
    return;
  }
  const table = monthlyTable(months);
  ctx.print(
    renderTable(
      ['year', ...MONTH_NAMES, 'year %'].map((h, k) => ({ header: h, align: k ? ('right' as const) : ('left' as const) })),
      table.map((y) => [
        y.year,
        ...y.months.map((m) => (m === null ? '' : ctx.style.signed(m, m.toFixed(2)))),
        ctx.style.signed(y.total, y.total.toFixed(2)),
      ]),
      ctx.style,
    ),
  );
}

export function listStrategies(ctx: Context): void {
  const data = BUILTIN_STRATEGIES.map((s) => ({ id: s.id, description: s.description, params: s.params }));
  if (ctx.json) {
    ctx.print(renderJson(data));
    return;
  }
  ctx.print(
    renderTable(
      [{ header: 'strategy' }, { header: 'description' }, { header: 'parameters (default, range)' }],
      data.map((s) => [
        s.id,
        s.description,
        s.params
          .map(
            (p) =>
              `${p.name}=${p.default}${p.kind === 'enum' ? ` (${p.choices?.join('|')})` : p.min !== undefined ? ` (${p.min}..${p.max ?? ''})` : ''}`,
          )
          .join('\n'),
      ]),
      ctx.style,
    ),
  );
  ctx.note('your own: tunicoin backtest ./my-strategy.js (see fixtures/example-strategy.js)');
}

export interface OptimizeFlags extends BacktestFlags {
  grid?: string[];
  metric?: string;
  workers?: string;
  top?: string;
  train?: string;
  walkForward?: string;
  window?: string;
  minTrades?: string;
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

export async function optimize(ctx: Context, strategyRef: string, flags: OptimizeFlags): Promise<void> {
  const { parseGrid } = await import('../../core/strategy/grid.ts');
  const { RANK_METRICS } = await import('../../app/optimize.ts');
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
  const progress = makeProgress(ctx.err, `optimize ${strategy.id}`, !ctx.json);
  const { runResearch } = await import('../../app/research.ts');
  const result = await runResearch(
    store,
    { strategy, strategyRef, baseParams: base, grid, metric, workers, symbol: flags.symbol ?? 'BTC-USD', ...common, ...research },
    toIso(ctx.now()),
    (d, t) => progress.update(d, t),
  ).catch((e: unknown) => {
    // A user strategy's failure crosses the worker pool as a plain Error: it is the strategy's (exit 9), not a bug.
    if (isStrategyPath(strategyRef) && !(e instanceof TunicoinError))
      throw new StrategyError(`optimize ${strategy.id}: ${(e as Error).message ?? String(e)}`);
    throw e;
  });
  progress.done();
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

import { parseResearchFlags, printResearch } from './research.ts';

/** `optimize` research output (ranking with --min-trades, train/test, walk-forward) and `optimize show ID`. */
import { UsageError } from '../../core/errors.ts';
import type { BacktestMetrics } from '../../core/metrics.ts';
import type { Params } from '../../core/strategy/types.ts';
import type { ResearchWindow } from '../../app/research.ts';
import { findSweep, sweepResults } from '../../store/sweeps.ts';
import { parseDurationArg, parsePercentArg, parsePositiveInt } from '../args.ts';
import type { Context } from '../context.ts';
import { renderJson } from '../render/json.ts';
import { renderTable } from '../render/table.ts';
import { shortId } from '../render/trading.ts';

export interface ResearchFlags {
  train?: string;
  walkForward?: string;
  window?: string;
  minTrades?: string;
}

export function parseResearchFlags(f: ResearchFlags): { minTrades: number; trainPct?: number; walkForward?: number; windowMs?: number } {
  const minTrades = f.minTrades === undefined ? 5 : f.minTrades.trim() === '0' ? 0 : parsePositiveInt(f.minTrades, '--min-trades');
  let trainPct: number | undefined;
  if (f.train !== undefined) {
    trainPct = parsePercentArg(f.train, '--train');
  }
  if (f.window !== undefined && f.walkForward === undefined) throw new UsageError('--window goes with --walk-forward N');
  let walkForward: number | undefined;
  let windowMs: number | undefined;
  if (f.walkForward !== undefined) {
    walkForward = parsePositiveInt(f.walkForward, '--walk-forward', { max: 100 });
    if (f.window === undefined) throw new UsageError('--walk-forward needs --window, e.g. --window 90d');
    windowMs = parseDurationArg(f.window, '--window');
  }
  return { minTrades, ...(trainPct !== undefined ? { trainPct } : {}), ...(walkForward !== undefined ? { walkForward, windowMs } : {}) };
}

export interface ResearchView {
  readonly sweepId: string;
  readonly strategy: string;
  readonly metric: string;
  readonly minTrades: number;
  readonly gridNames: readonly string[];
  readonly windows: readonly ResearchWindow[];
  readonly combinations: number;
  readonly skipped: ReadonlyArray<{ params: Record<string, unknown>; reason: string }>;
  readonly top: number;
}

const fmt = (v: number | string | null | undefined): string =>
  v === null || v === undefined ? 'n/a' : typeof v === 'number' ? v.toFixed(4) : v;

export function printResearch(ctx: Context, v: ResearchView): void {
  const plain = v.windows.length === 1 && v.windows[0]?.test === null;
  if (ctx.json) {
    const w0 = v.windows[0] as ResearchWindow;
    const ranked = (w: ResearchWindow) => w.rows.filter((r) => r.rank !== null);
    const excluded = (w: ResearchWindow) =>
      w.rows.filter((r) => r.rank === null).map((r) => ({ params: r.params, trades: r.metrics.trades, reason: r.excluded }));
    ctx.print(
      renderJson({
        sweepId: v.sweepId,
        strategy: v.strategy,
        metric: v.metric,
        minTrades: v.minTrades,
        combinations: v.combinations,
        skipped: v.skipped,
        ...(plain
          ? { best: ranked(w0)[0]?.params ?? null, results: ranked(w0), excluded: excluded(w0) }
          : {
              windows: v.windows.map((w) => ({
                index: w.index,
                train: w.train,
                test: w.test,
                best: ranked(w)[0]?.params ?? null,
                trainMetrics: ranked(w)[0]?.metrics ?? null,
                testMetrics: w.test_metrics,
                results: ranked(w),
                excluded: excluded(w),
              })),
            }),
      }),
    );
    return;
  }
  const metric = v.metric as keyof BacktestMetrics;
  if (plain || v.windows.length === 1) {
    const w = v.windows[0] as ResearchWindow;
    const ranked = w.rows.filter((r) => r.rank !== null);
    if (w.test)
      ctx.print(
        `train ${w.train.from.slice(0, 10)} .. ${w.train.to.slice(0, 10)}, test ${w.test.from.slice(0, 10)} .. ${w.test.to.slice(0, 10)}`,
      );
    ctx.print(
      renderTable(
        ['#', ...v.gridNames, v.metric, 'return %', 'max DD %', 'trades', 'win %'].map((h, k) => ({
          header: h,
          align: k ? ('right' as const) : ('left' as const),
        })),
        ranked
          .slice(0, v.top)
          .map((r) => [
            String(r.rank),
            ...v.gridNames.map((g) => String(r.params[g])),
            fmt(r.metrics[metric] as number | null),
            r.metrics.returnPct.toFixed(2),
            r.metrics.maxDrawdownPct.toFixed(2),
            String(r.metrics.trades),
            r.metrics.winRatePct.toFixed(1),
          ]),
        ctx.style,
      ),
    );
    const best = ranked[0];
    if (best)
      ctx.print(
        `best by ${v.metric}${w.test ? ' on the train part' : ''}: ${Object.entries(best.params)
          .map(([k, x]) => `--param ${k}=${x}`)
          .join(' ')}`,
      );
    else ctx.print(`no combination has ${v.minTrades} trades or more: nothing ranked (lower --min-trades, or a longer range)`);
    if (w.test_metrics) {
      const t = w.test_metrics;
      ctx.print(
        `out of sample (test part): return ${t.returnPct.toFixed(2)}%, ${v.metric} ${fmt(t[metric] as number | null)}, max DD ${t.maxDrawdownPct.toFixed(2)}%, trades ${t.trades}, buy & hold net ${t.buyAndHoldNetReturnPct.toFixed(2)}%`,
      );
    }
    const excluded = w.rows.length - ranked.length;
    if (excluded) ctx.note(`${excluded} combination(s) with fewer than ${v.minTrades} trades not ranked (--min-trades)`);
  } else {
    ctx.print(
      renderTable(
        ['window', 'train', 'test', 'best', `train ${v.metric}`, 'test return %', `test ${v.metric}`, 'test trades'].map((h, k) => ({
          header: h,
          align: k > 3 ? ('right' as const) : ('left' as const),
        })),
        v.windows.map((w) => {
          const best = w.rows.find((r) => r.rank === 1);
          return [
            String(w.index),
            `${w.train.from.slice(0, 10)} .. ${w.train.to.slice(0, 10)}`,
            w.test ? `${w.test.from.slice(0, 10)} .. ${w.test.to.slice(0, 10)}` : '',
            best ? v.gridNames.map((g) => `${g}=${best.params[g]}`).join(' ') : '(none ranked)',
            fmt(best ? (best.metrics[metric] as number | null) : null),
            w.test_metrics ? w.test_metrics.returnPct.toFixed(2) : '',
            fmt(w.test_metrics ? (w.test_metrics[metric] as number | null) : null),
            w.test_metrics ? String(w.test_metrics.trades) : '',
          ];
        }),
        ctx.style,
      ),
    );
    const tested = v.windows.map((w) => w.test_metrics).filter((m): m is BacktestMetrics => m !== null);
    if (tested.length) {
      const compounded = (tested.reduce((acc, m) => acc * (1 + m.returnPct / 100), 1) - 1) * 100;
      ctx.print(
        `walk-forward, out of sample: ${tested.length} test part(s), compounded return ${compounded.toFixed(2)}%, mean ${(tested.reduce((s, m) => s + m.returnPct, 0) / tested.length).toFixed(2)}% per part`,
      );
    }
  }
  if (v.skipped.length) ctx.note(`${v.skipped.length} combination(s) skipped as invalid (${v.skipped[0]?.reason})`);
}

/** `optimize show ID`: a stored sweep, as it was printed. */
export async function optimizeShow(ctx: Context, id: string, flags: { top?: string }): Promise<void> {
  const top = flags.top === undefined ? 10 : parsePositiveInt(flags.top, '--top');
  const store = await ctx.store();
  const s = findSweep(store, id);
  const config = JSON.parse(s.config) as {
    grid: Array<{ name: string }>;
    minTrades: number;
    windows: Array<Pick<ResearchWindow, 'index' | 'train' | 'test'>>;
  };
  const rows = sweepResults(store, s.id);
  const windows: ResearchWindow[] = config.windows.map((w) => {
    const mine = rows.filter((r) => r.window === w.index);
    const chosen = mine.find((r) => r.rank === 1);
    return {
      ...w,
      test_metrics: chosen?.test_metrics ? (JSON.parse(chosen.test_metrics) as BacktestMetrics) : null,
      rows: mine.map((r) => ({
        rank: r.rank,
        params: JSON.parse(r.params) as Params,
        metrics: JSON.parse(r.metrics) as BacktestMetrics,
        excluded: r.excluded,
      })),
    };
  });
  if (!ctx.json)
    ctx.print(
      `sweep ${shortId(store, 'sweeps', s.id)}: ${s.strategy_id} on ${s.symbol} ${s.timeframe}, ranked by ${s.metric}, ${s.combinations} combination(s), ${s.created_at}`,
    );
  printResearch(ctx, {
    sweepId: s.id,
    strategy: s.strategy_id,
    metric: s.metric,
    minTrades: config.minTrades,
    gridNames: config.grid.map((g) => g.name),
    windows,
    combinations: s.combinations,
    skipped: [],
    top,
  });
}

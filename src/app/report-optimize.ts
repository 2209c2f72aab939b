/**
 * `optimize --report FILE.html`: the sweep as a picture. A heat map of the ranking metric over
 * the first two grid parameters that vary (the best value where other parameters vary too),
 * the equity curves of the top 5 (re-run in this process over the same candles, see
 * report-backtest.ts), their metrics side by side, and every result in a sortable table.
 */
import type { BacktestMetrics } from '../core/metrics.ts';
import type { Params } from '../core/strategy/types.ts';
import { toIso } from '../core/time.ts';
import { aggregate } from '../core/candles.ts';
import type { Store } from '../store/db.ts';
import { findInstrument } from '../store/instruments.ts';
import type { Banner, Cell, HeatmapSection, ReportModel, Section } from '../report/model.ts';
import { metricRows } from '../report/metrics.ts';
import { candleRange, type RunSettings } from './backtest.ts';
import { rerunBacktest } from './report-backtest.ts';
import { returnCurves, type CurveInput } from './report-compare.ts';
import { loadStrategy } from './strategy-loader.ts';

export const TOP_CURVES = 5;

export interface SweepForReport {
  readonly strategyRef: string;
  readonly settings: RunSettings;
  readonly sizeText: string;
  readonly metric: string;
  readonly axes: ReadonlyArray<{ readonly name: string; readonly values: ReadonlyArray<number | string> }>;
  readonly rows: ReadonlyArray<{ readonly rank: number; readonly params: Params; readonly metrics: BacktestMetrics }>;
  readonly skipped: number;
}

const metricOf = (m: BacktestMetrics, key: string): number | null => {
  const v = (m as unknown as Record<string, unknown>)[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

export function heatmap(s: SweepForReport): HeatmapSection | null {
  const varying = s.axes.filter((a) => a.values.length > 1);
  const x = varying[0] ?? s.axes[0];
  if (!x) return null;
  const y = varying[1];
  const values = (y ? y.values : ['all']).map(() => x.values.map((): number | null => null));
  for (const r of s.rows) {
    // best first: the first value seen for a cell is its best
    const i = x.values.indexOf(r.params[x.name] as never);
    const j = y ? y.values.indexOf(r.params[y.name] as never) : 0;
    const row = values[j];
    if (i < 0 || !row || row[i] !== null) continue;
    row[i] = metricOf(r.metrics, s.metric);
  }
  return {
    kind: 'heatmap',
    id: 'heatmap',
    title: `${s.metric} over the grid`,
    metric: s.metric,
    xName: x.name,
    yName: y?.name ?? '',
    xs: x.values,
    ys: y ? y.values : ['all'],
    values,
    note:
      varying.length > 2
        ? `the best over ${varying
            .slice(2)
            .map((a) => a.name)
            .join(', ')}`
        : undefined,
  };
}

export async function optimizeReport(store: Store, s: SweepForReport, generatedAt: string): Promise<ReportModel> {
  const banners: Banner[] = [];
  const inst = findInstrument(store, s.settings.symbol);
  const { candles: raw } = candleRange(store, inst, s.settings.timeframe, s.settings.from, s.settings.to);
  const price = { raw, candles: aggregate(raw, s.settings.timeframe) };
  const strategy = await loadStrategy(s.strategyRef);
  const top = s.rows.slice(0, TOP_CURVES);
  const curves: CurveInput[] = [];
  const label = (p: Params): string => s.axes.map((a) => `${a.name}=${p[a.name]}`).join(' ');
  for (const r of top) {
    const run = rerunBacktest(strategy, { ...s.settings, strategyRef: s.strategyRef, params: r.params, sizeText: s.sizeText }, inst, price);
    curves.push({ name: `#${r.rank} ${label(r.params)}`, times: run.outcome.times, equity: run.outcome.equity });
  }
  if (s.skipped) banners.push({ level: 'info', text: `${s.skipped} combination(s) of the grid were skipped as invalid.` });
  const hm = heatmap(s);
  const sections: Section[] = [];
  if (hm) sections.push(hm);
  sections.push(returnCurves(curves, `Equity of the top ${top.length} (% return)`));
  sections.push({
    kind: 'metrics',
    id: 'metrics',
    title: `Top ${top.length} side by side`,
    columns: top.map((r) => `#${r.rank} ${label(r.params)}`),
    rows: metricRows(top.map((r) => r.metrics as unknown as Record<string, unknown>)),
    empty: 'No result.',
  });
  sections.push({
    kind: 'table',
    id: 'results',
    title: `All ${s.rows.length} results`,
    sortable: true,
    filter: {},
    empty: 'No result.',
    columns: [
      { key: 'rank', label: '#', type: 'number' },
      ...s.axes.map((a) => ({
        key: `p_${a.name}`,
        label: a.name,
        type: typeof a.values[0] === 'number' ? ('number' as const) : ('text' as const),
      })),
      { key: 'metric', label: s.metric, type: 'number', decimals: 4 },
      { key: 'ret', label: 'return %', type: 'number', pnl: true, decimals: 2 },
      { key: 'dd', label: 'max DD %', type: 'number', decimals: 2 },
      { key: 'trades', label: 'trades', type: 'number' },
      { key: 'win', label: 'win %', type: 'number', decimals: 1 },
    ],
    rows: s.rows.map((r): Cell[] => [
      r.rank,
      ...s.axes.map((a) => r.params[a.name] ?? null),
      metricOf(r.metrics, s.metric),
      r.metrics.returnPct,
      r.metrics.maxDrawdownPct,
      r.metrics.trades,
      r.metrics.winRatePct,
    ]),
  });
  const best = s.rows[0];
  return {
    kind: 'optimize',
    title: `Sweep: ${s.strategyRef} on ${inst.symbol} ${s.settings.timeframe}, ranked by ${s.metric}`,
    subtitle: best
      ? `best: ${label(best.params)} (${s.metric} ${metricOf(best.metrics, s.metric)?.toFixed(4) ?? 'n/a'}, return ${best.metrics.returnPct.toFixed(2)}%)`
      : 'no result',
    generatedAt,
    banners,
    facts: [
      { label: 'strategy', value: s.strategyRef },
      { label: 'symbol', value: inst.symbol },
      { label: 'timeframe', value: s.settings.timeframe },
      {
        label: 'period',
        value: raw.time.length ? `${toIso(raw.time[0] as number)} .. ${toIso(raw.time[raw.time.length - 1] as number)}` : 'none',
      },
      { label: 'grid', value: s.axes.map((a) => `${a.name}: ${a.values.join(', ')}`).join('; ') },
      { label: 'combinations', value: String(s.rows.length) },
      { label: 'size / leverage', value: `${s.sizeText} / ${s.settings.leverage}x` },
    ],
    sections,
  };
}

/**
 * `tunicoin report compare ID ID...`: equity curves (as % return, so different capitals
 * compare) and the stored metrics of several backtests side by side. Curves come from
 * re-running each completed backtest (see report-backtest.ts); a run that cannot be re-run
 * keeps its metrics column and is named in a banner.
 */
import type { Store } from '../store/db.ts';
import { instrumentById, type Instrument } from '../store/instruments.ts';
import { findBacktest } from '../store/reports.ts';
import type { Banner, LinesSection, ReportModel } from '../report/model.ts';
import { metricRows } from '../report/metrics.ts';
import { priceData } from './report-common.ts';
import { rerunBacktest, runSpecOf } from './report-backtest.ts';
import { loadStrategy } from './strategy-loader.ts';

export interface CurveInput {
  readonly name: string;
  readonly times: ArrayLike<number>;
  readonly equity: ArrayLike<number>;
}

/** Equity curves as % return over their first value. */
export function returnCurves(curves: readonly CurveInput[], title: string): LinesSection {
  return {
    kind: 'lines',
    id: 'equity',
    title,
    unit: '%',
    empty: 'No equity curve to draw.',
    series: curves.map((c) => {
      const first = c.equity[0] as number;
      return { name: c.name, times: c.times, values: Float64Array.from(c.equity, (e) => (first > 0 ? (e / first - 1) * 100 : NaN)) };
    }),
  };
}

export async function compareReport(store: Store, ids: readonly string[], generatedAt: string): Promise<ReportModel> {
  const banners: Banner[] = [];
  const curves: CurveInput[] = [];
  const columns: string[] = [];
  const metrics: Array<Record<string, unknown> | null> = [];
  for (const id of ids) {
    const row = findBacktest(store, id);
    const spec = runSpecOf(row);
    const inst = instrumentById(store, row.instrument_id) as Instrument;
    const name = `${row.id.slice(0, 8)} ${spec.strategyRef} ${Object.entries(spec.params)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`.trim();
    columns.push(name);
    metrics.push(row.metrics ? (JSON.parse(row.metrics) as Record<string, unknown>) : null);
    if (row.status !== 'completed') {
      banners.push({
        level: 'warning',
        text: `${row.id.slice(0, 8)} is ${row.status}${row.error_message ? ` (${row.error_message})` : ''}: no curve or metrics for it.`,
      });
      continue;
    }
    const price =
      row.start_date && row.end_date ? priceData(store, inst, spec.timeframe, Date.parse(row.start_date), Date.parse(row.end_date)) : null;
    if (!price || price.raw.time.length < 2) {
      banners.push({ level: 'warning', text: `${row.id.slice(0, 8)}: its candles are no longer stored, no curve.` });
      continue;
    }
    try {
      const r = rerunBacktest(await loadStrategy(spec.strategyRef), spec, inst, price);
      curves.push({ name, times: r.outcome.times, equity: r.outcome.equity });
    } catch (e) {
      banners.push({ level: 'warning', text: `${row.id.slice(0, 8)} could not be run again (${(e as Error).message}): no curve.` });
    }
  }
  return {
    kind: 'compare',
    title: `Comparing ${ids.length} backtests`,
    subtitle: columns.join(' · '),
    generatedAt,
    banners,
    facts: [],
    sections: [
      returnCurves(curves, 'Equity (% return)'),
      {
        kind: 'metrics',
        id: 'metrics',
        title: 'Metrics side by side',
        columns,
        rows: metricRows(metrics),
        empty: 'None of these runs has metrics.',
      },
    ],
  };
}

/**
 * What `tunicoin backtest` prints, as plain data: built from a run's report in the process that
 * ran it, so a queued run (a worker's) and a local one print the same text and the same --json.
 */
import type { RunMetrics } from '../engine/backtest-metrics.ts';
import { orderIssues, tradeRows, type BacktestReport } from './backtest.ts';
import { writeTradeLog, type RowsText } from './trade-log.ts';
import { outcomeTradesText, tradeRowsText, type TradeRow } from './trade-text.ts';

export interface BacktestPrint {
  readonly id: string;
  readonly strategy: string;
  readonly symbol: string;
  readonly params: object;
  readonly status: 'completed' | 'canceled';
  readonly metrics: RunMetrics;
  readonly tradeLog: string | null;
  readonly trades: ReturnType<typeof tradeRows>;
  readonly rejections: ReturnType<typeof orderIssues>['rejections'];
  readonly resizes: ReturnType<typeof orderIssues>['resizes'];
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
  /** The equity chart's two series, sampled to about 100 points (null: too few bars to draw). */
  readonly chart: { readonly strategy: number[]; readonly hold: number[] } | null;
}

/** The printable result of a completed run. */
export function backtestPrint(r: BacktestReport, strategyId: string, params: object): BacktestPrint {
  const m = r.metrics as RunMetrics;
  const eq = r.outcome.equity;
  let chart: BacktestPrint['chart'] = null;
  if (eq.length >= 2) {
    const step = Math.max(1, Math.ceil(eq.length / 100));
    const { closes, firstOpen } = r.outcome;
    const capital = m.finalEquity / (1 + m.returnPct / 100);
    const strategy: number[] = [];
    const hold: number[] = [];
    for (let i = 0; i < eq.length; i += step) {
      strategy.push(eq[i] as number);
      hold.push((capital * (closes[i] as number)) / firstOpen); // the same capital bought at the first open
    }
    chart = { strategy, hold };
  }
  const print: BacktestPrint = {
    id: r.id,
    strategy: strategyId,
    symbol: r.instrument.symbol,
    params,
    status: r.status,
    metrics: m,
    tradeLog: r.tradesPath,
    // built only when asked for (a queued run's result sent to its follower); printing walks `source`
    get trades() {
      return tradeRows(r.outcome);
    },
    ...orderIssues(r.outcome),
    notes: r.notes,
    warnings: r.warnings,
    chart,
  };
  lazyTrades.set(print, r.outcome);
  if (r.tradesJson) madeJson.set(print, r.tradesJson);
  return print;
}

/** A local run's outcome, whose trades are written from its sink a row at a time (a 1m run has tens of thousands). */
const lazyTrades = new WeakMap<BacktestPrint, BacktestReport['outcome']>();
/** A local run's trade list as --json text, made with its CSV log (BacktestReport.tradesJson). */
const madeJson = new WeakMap<BacktestPrint, readonly Buffer[]>();

/**
 * The --json text of a print's trade list after its opening "[\n", when the run made it with its
 * trade log (BacktestReport.tradesJson): bytes that print as they are. Null otherwise.
 */
export function tradesJsonOf(p: BacktestPrint): readonly Buffer[] | null {
  return madeJson.get(p) ?? null;
}

/** The trades of a print as text, a row at a time. */
export function tradesOf(p: BacktestPrint): RowsText<TradeRow> {
  const o = lazyTrades.get(p);
  return o ? outcomeTradesText(o) : tradeRowsText(p.trades);
}

/** A queued run's trade log, written by the command that followed it (at the path the row names). */
export function writeTradeLogOf(r: BacktestPrint): void {
  if (r.tradeLog === null) return;
  writeTradeLog(r.tradeLog, tradesOf(r));
}

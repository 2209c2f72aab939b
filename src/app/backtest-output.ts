/**
 * What `tunicoin backtest` prints, as plain data: built from a run's report in the process that
 * ran it, so a queued run (a worker's) and a local one print the same text and the same --json.
 */
import type { RunMetrics } from '../engine/backtest-metrics.ts';
import { orderIssues, TRADE_COLUMNS, tradeRowOf, tradeRows, type BacktestReport } from './backtest.ts';
import { writeTradeLog } from './trade-log.ts';

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
  const source: TradeSource = { count: r.outcome.sink.trades.length, at: (k) => tradeRowOf(r.outcome, k) };
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
  lazyTrades.set(print, source);
  return print;
}

/** The trades of a print as a count and the row at k. */
export interface TradeSource {
  readonly count: number;
  readonly at: (k: number) => TradeRow;
}

type TradeRow = ReturnType<typeof tradeRows>[number];

/** A local run's trades, made a row at a time (a 1m run has tens of thousands). */
const lazyTrades = new WeakMap<BacktestPrint, TradeSource>();

export function tradesOf(p: BacktestPrint): TradeSource {
  return lazyTrades.get(p) ?? { count: p.trades.length, at: (k) => p.trades[k] as TradeRow };
}

/** A queued run's trade log, written by the command that followed it (at the path the row names). */
export function writeTradeLogOf(r: BacktestPrint): void {
  if (r.tradeLog === null) return;
  const trades = tradesOf(r);
  writeTradeLog(r.tradeLog, trades.count, trades.at, TRADE_COLUMNS);
}

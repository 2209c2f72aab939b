/** Metrics of a finished backtest run (shared by `backtest` and the `optimize` workers). */
import { computeMetrics, periodsPerYearFor, type BacktestMetrics, type ClosedTrade, type TradeColumns } from '../core/metrics.ts';
import type { InstrumentSpec } from '../core/instruments.ts';
import { moneyToFloat, PPM_SCALE, priceToFloat, qtyToFloat, type Money, type Ppm } from '../core/money.ts';
import { TIMEFRAME_MS, type Timeframe } from '../core/time.ts';
import type { BacktestOutcome } from './backtest.ts';

/** The closed trades of a run, as the metrics (core/metrics.ts) describe them. */
export function closedTrades(o: BacktestOutcome): ClosedTrade[] {
  return o.sink.trades.map((t) => ({
    entryTime: t.entryTime,
    exitTime: t.exitTime,
    side: t.side,
    entryPrice: priceToFloat(t.entryPrice),
    exitPrice: priceToFloat(t.exitPrice),
    size: qtyToFloat(t.size),
    pnl: moneyToFloat(t.pnl),
    returnPct: t.margin > 0 ? (t.pnl / t.margin) * 100 : 0,
    fees: moneyToFloat(t.fees),
    funding: moneyToFloat(t.funding),
  }));
}

/**
 * What computeMetrics reads of closedTrades(o), as two columns: no object per trade (a 1m run
 * has tens of thousands), and no trade row built nor reason formatted (a sweep never reads them).
 */
function tradeColumns(o: BacktestOutcome): TradeColumns {
  const n = o.sink.tradeCount;
  const pnl = new Float64Array(n);
  const returnPct = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const p = o.sink.tradePnl(k);
    const margin = o.sink.tradeMargin(k);
    pnl[k] = moneyToFloat(p);
    returnPct[k] = margin > 0 ? (p / margin) * 100 : 0;
  }
  return { pnl, returnPct };
}

/** The metrics of a run, with the strategy orders that were rejected or cut at the fill for want of margin. */
export type RunMetrics = BacktestMetrics & { readonly rejectedOrders: number; readonly resizedOrders: number };

/** How a run is benchmarked and annualised: the instrument (spread, type) and the taker fee; an explicit days-per-year wins. */
export interface MetricsContext {
  readonly spec: InstrumentSpec;
  readonly takerFee: Ppm;
  readonly periodsPerYear?: number;
}

export function metricsOf(o: BacktestOutcome, capital: Money, timeframe: Timeframe, ctx?: MetricsContext): RunMetrics {
  const m = computeMetrics({
    equity: o.equity,
    times: o.times,
    barMs: TIMEFRAME_MS[timeframe],
    initialCapital: moneyToFloat(capital),
    benchmarkFirstClose: o.firstOpen,
    benchmarkLastClose: o.lastClose,
    exposureBars: o.exposureBars,
    trades: tradeColumns(o),
    totalFees: moneyToFloat(o.sink.totalFees),
    totalFunding: moneyToFloat(o.sink.totalFunding),
    ...(ctx
      ? {
          periodsPerYear: ctx.periodsPerYear ?? periodsPerYearFor(ctx.spec.type),
          benchmarkCosts: { spread: ctx.spec.baseSpread, feeRate: ctx.takerFee / PPM_SCALE },
        }
      : {}),
  });
  return { ...m, rejectedOrders: o.sink.rejectedCount, resizedOrders: o.sink.resizedCount };
}

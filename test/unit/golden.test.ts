/**
 * Golden numbers on real data: every built-in strategy in both modes on the S&P 500 fixture
 * (2015-2020, daily), `--size all`, a 0.02% spread and a 0.05% taker fee. The snapshot was
 * reviewed by hand once (trade dates against the crossings, sizes against the equity at each
 * open); a change to it is a change in results and must be explained.
 */
import { describe, expect, it } from 'vitest';
import { parseMoney } from '../../src/core/money.ts';
import { toIso } from '../../src/core/time.ts';
import { metricsOf } from '../../src/engine/backtest-metrics.ts';
import { sp500, sp500Run, STRATEGY_MODES } from '../helpers/runs.ts';

describe('golden: the S&P 500 fixture', () => {
  const candles = sp500();
  it.each(STRATEGY_MODES)('%s (%s)', (id, mode) => {
    const o = sp500Run(candles, id, mode);
    const m = metricsOf(o, parseMoney('10000'), '1d');
    const trades = o.sink.trades.map(
      (t) =>
        `${t.side} ${toIso(t.entryTime).slice(0, 10)} @${t.entryPrice / 1e8} -> ${toIso(t.exitTime).slice(0, 10)} @${t.exitPrice / 1e8} x${t.size / 1e8} pnl ${(t.pnl / 1e6).toFixed(2)}`,
    );
    expect({
      finalEquity: o.finalEquity / 1e6,
      trades: m.trades,
      returnPct: +m.returnPct.toFixed(4),
      maxDrawdownPct: +m.maxDrawdownPct.toFixed(4),
      winRatePct: +m.winRatePct.toFixed(2),
      fees: +m.totalFees.toFixed(2),
      rejectedOrders: m.rejectedOrders,
      resizedOrders: m.resizedOrders,
      first: trades.slice(0, 3),
      last: trades.slice(-3),
    }).toMatchSnapshot();
  });
});

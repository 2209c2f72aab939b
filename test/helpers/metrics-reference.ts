/**
 * The metrics code as it was before core/metrics.ts scanned the equity curve in one pass (one
 * loop each for returns, drawdowns and months): the reference that test/unit/metrics-scan.test.ts
 * holds the one pass to, number for number.
 */
import { round, type BacktestMetrics, type ClosedTrade, type MetricsInput, type MonthlyReturn } from '../../src/core/metrics.ts';

/** The input of computeMetrics with its trades as rows (the form the reference reads). */
export type RowsInput = MetricsInput & { readonly trades: readonly Pick<ClosedTrade, 'pnl' | 'returnPct'>[] };

/** Return of each UTC calendar month from an equity curve (see the conventions above). */
function monthlyReturns(equity: ArrayLike<number>, times: ArrayLike<number>, initialCapital: number): MonthlyReturn[] {
  const out: MonthlyReturn[] = [];
  let prev = initialCapital;
  // The month of each bar is found by comparing its time with the next month's start (numbers,
  // not a date string per bar: a 1m run has a million bars).
  let monthEnd = -Infinity;
  let month = '';
  for (let i = 0; i < equity.length; i++) {
    const t = times[i] as number;
    if (t >= monthEnd) {
      const d = new Date(t);
      month = d.toISOString().slice(0, 7);
      monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    }
    const last = i + 1 >= equity.length || (times[i + 1] as number) >= monthEnd;
    if (!last) continue;
    const e = equity[i] as number;
    out.push({ month, returnPct: round(prev > 0 ? (e / prev - 1) * 100 : 0) });
    prev = e;
  }
  return out;
}

const DAY = 86_400_000;
const YEAR = 365 * DAY;

interface Drawdown {
  maxPct: number;
  maxDurationMs: number;
  avgPct: number;
}

function drawdowns(equity: ArrayLike<number>, times: ArrayLike<number>): Drawdown {
  const n = equity.length;
  let peak = -Infinity;
  let peakTime = 0;
  let maxDd = 0;
  let maxDur = 0;
  let inDd = false;
  let trough = 0;
  let troughSum = 0;
  let periods = 0;
  for (let i = 0; i < n; i++) {
    const e = equity[i] as number;
    const t = times[i] as number;
    if (e >= peak) {
      if (inDd) {
        maxDur = Math.max(maxDur, t - peakTime);
        troughSum += trough;
        periods++;
        inDd = false;
      }
      peak = e;
      peakTime = t;
      continue;
    }
    const dd = peak > 0 ? e / peak - 1 : 0;
    if (!inDd) {
      inDd = true;
      trough = dd;
    } else if (dd < trough) trough = dd;
    if (dd < maxDd) maxDd = dd;
  }
  if (inDd && n > 0) {
    maxDur = Math.max(maxDur, (times[n - 1] as number) - peakTime);
    troughSum += trough;
    periods++;
  }
  return { maxPct: maxDd * 100, maxDurationMs: maxDur, avgPct: periods ? (troughSum / periods) * 100 : 0 };
}

export function referenceMetrics(input: RowsInput): BacktestMetrics {
  const { equity, times, trades } = input;
  const n = equity.length;
  const first = n ? (times[0] as number) : 0;
  const last = n ? (times[n - 1] as number) : 0;
  const elapsed = Math.max(0, last - first + input.barMs);
  const finalEquity = n ? (equity[n - 1] as number) : input.initialCapital;
  let peak = input.initialCapital;
  let mean = 0;
  let m2 = 0;
  let down2 = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const e = equity[i] as number;
    if (e > peak) peak = e;
    if (i === 0) continue;
    const prev = equity[i - 1] as number;
    const r = prev > 0 ? e / prev - 1 : 0;
    count++;
    const delta = r - mean; // Welford: stable one-pass mean and variance
    mean += delta / count;
    m2 += delta * (r - mean);
    if (r < 0) down2 += r * r;
  }
  const periodsPerYear = input.periodsPerYear ?? 365;
  const barsPerYear = (periodsPerYear * DAY) / input.barMs;
  const sd = count > 1 ? Math.sqrt(m2 / (count - 1)) : 0;
  const downside = count > 0 ? Math.sqrt(down2 / count) : 0;
  const totalReturn = input.initialCapital > 0 ? finalEquity / input.initialCapital - 1 : 0;
  const years = elapsed / YEAR;
  const cagr =
    years > 0 && finalEquity > 0 && input.initialCapital > 0 ? (finalEquity / input.initialCapital) ** (1 / years) - 1 : years > 0 ? -1 : 0;
  const dd = drawdowns(equity, times);

  const pnls = trades.map((t) => t.pnl);
  const wins = pnls.filter((p) => p > 0);
  const grossProfit = wins.reduce((s, p) => s + p, 0);
  const grossLoss = -pnls.filter((p) => p < 0).reduce((s, p) => s + p, 0);
  const expectancy = trades.length ? pnls.reduce((s, p) => s + p, 0) / trades.length : 0;
  let pnlVar = 0;
  for (const p of pnls) pnlVar += (p - expectancy) ** 2;
  const pnlSd = trades.length > 1 ? Math.sqrt(pnlVar / (trades.length - 1)) : 0;
  const rets = trades.map((t) => t.returnPct);

  return {
    start: new Date(first).toISOString(),
    end: new Date(last).toISOString(),
    durationDays: round(elapsed / DAY, 4),
    exposurePct: round(n ? (input.exposureBars / n) * 100 : 0),
    finalEquity: round(finalEquity, 2),
    peakEquity: round(Math.max(peak, finalEquity), 2),
    returnPct: round(totalReturn * 100),
    buyAndHoldReturnPct: round(input.benchmarkFirstClose > 0 ? (input.benchmarkLastClose / input.benchmarkFirstClose - 1) * 100 : 0),
    cagrPct: round(cagr * 100),
    volatilityAnnPct: round(sd * Math.sqrt(barsPerYear) * 100),
    sharpe: round(sd > 0 ? (mean / sd) * Math.sqrt(barsPerYear) : 0),
    sortino: round(downside > 0 ? (mean / downside) * Math.sqrt(barsPerYear) : 0),
    calmar: round(dd.maxPct < 0 ? (cagr * 100) / Math.abs(dd.maxPct) : 0),
    maxDrawdownPct: round(dd.maxPct),
    maxDrawdownDurationDays: round(dd.maxDurationMs / DAY, 4),
    avgDrawdownPct: round(dd.avgPct),
    trades: trades.length,
    winRatePct: round(trades.length ? (wins.length / trades.length) * 100 : 0),
    bestTradePct: round(rets.length ? Math.max(...rets) : 0),
    worstTradePct: round(rets.length ? Math.min(...rets) : 0),
    avgTradePct: round(rets.length ? rets.reduce((s, r) => s + r, 0) / rets.length : 0),
    profitFactor: grossLoss > 0 ? round(grossProfit / grossLoss) : null,
    expectancy: round(expectancy, 2),
    sqn: round(pnlSd > 0 ? (Math.sqrt(trades.length) * expectancy) / pnlSd : 0),
    totalFees: round(input.totalFees, 2),
    totalFunding: round(input.totalFunding, 2),
    buyAndHoldNetReturnPct: round(buyAndHoldNet(input) * 100),
    periodsPerYear,
    monthlyReturns: monthlyReturns(equity, times, input.initialCapital),
  };
}

function buyAndHoldNet(input: MetricsInput): number {
  if (!(input.benchmarkFirstClose > 0)) return 0;
  const c = input.benchmarkCosts ?? { spread: 0, feeRate: 0 };
  const paid = input.benchmarkFirstClose * (1 + c.spread / 2) * (1 + c.feeRate);
  const got = input.benchmarkLastClose * (1 - c.spread / 2) * (1 - c.feeRate);
  return got / paid - 1;
}

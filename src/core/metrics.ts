/**
 * Performance statistics of a backtest, from its equity curve (one sample per timeframe candle)
 * and its closed trades. Floats are fine here: these are reports, not money that is booked.
 *
 * Conventions:
 * - returns are simple per-bar returns r_i = e_i / e_{i-1} - 1 (a bar with e_{i-1} <= 0 counts 0);
 * - annualisation follows the data's calendar: bars per year = days per year x 86,400,000 / barMs,
 *   with 365 days for crypto and forex (24/7 data) and 252 trading days for stocks, futures and
 *   index CFDs (`periodsPerYearFor`), or the caller's override (`--periods-per-year`);
 * - buy & hold: gross = last close / first open - 1 (mid to mid); net = the same position paying
 *   what a trade pays at both ends: the half-spread and the taker fee on entry and on exit
 *   (slippage is left out: the benchmark has no order size against the bars' volume);
 * - monthly returns: equity at the last sample of each UTC month over the one before (the first
 *   month over the initial capital);
 * - volatility = sample stdev of r x sqrt(bars per year); Sharpe = mean(r) / stdev(r) x
 *   sqrt(bars per year) with a 0 risk-free rate; Sortino uses the downside deviation
 *   sqrt(mean(min(r, 0)^2)) over all bars; either is 0 when its denominator is 0;
 * - CAGR over elapsed calendar time (365-day years); 0 when no time elapsed;
 * - drawdown = e / running peak - 1; max drawdown is negative (e.g. -12.5); its duration is the
 *   longest time from a peak to the recovery of that peak (or to the end if never recovered);
 *   the average drawdown is the mean trough of each distinct drawdown period;
 * - Calmar = CAGR / |max drawdown|, 0 without a drawdown;
 * - trade returns are given by the caller (PnL over the margin posted); profit factor = gross
 *   profit / gross loss, null when there is no loss (JSON has no Infinity); expectancy = mean
 *   PnL per trade; SQN = sqrt(N) x mean(PnL) / sample stdev(PnL), 0 when N < 2.
 * Every float is rounded (6 decimals for ratios and percentages, 2 for money) so that the JSON
 * is stable and byte-identical for identical input; NaN and Infinity never appear.
 */

export interface ClosedTrade {
  readonly entryTime: number;
  readonly exitTime: number;
  readonly side: 'long' | 'short';
  readonly entryPrice: number;
  readonly exitPrice: number;
  readonly size: number;
  /** Net PnL in quote currency after fees and funding. */
  readonly pnl: number;
  readonly returnPct: number;
  readonly fees: number;
  readonly funding: number;
}

export interface MetricsInput {
  readonly equity: ArrayLike<number>;
  readonly times: ArrayLike<number>;
  readonly barMs: number;
  readonly initialCapital: number;
  readonly benchmarkFirstClose: number;
  readonly benchmarkLastClose: number;
  readonly exposureBars: number;
  /** The closed trades: only their PnL and return are read, from rows or from two columns. */
  readonly trades: readonly Pick<ClosedTrade, 'pnl' | 'returnPct'>[] | TradeColumns;
  readonly totalFees: number;
  readonly totalFunding: number;
  /** Days per year for annualisation (default 365). */
  readonly periodsPerYear?: number;
  /** What a trade pays at each end, for the net buy & hold (default: nothing). */
  readonly benchmarkCosts?: { readonly spread: number; readonly feeRate: number };
}

/** The closed trades' PnL and return, a column each (a 1m run has tens of thousands of trades: no object per trade). */
export interface TradeColumns {
  readonly pnl: ArrayLike<number>;
  readonly returnPct: ArrayLike<number>;
}

/** Days per year the data trades: 365 for crypto and forex (24/7 here), 252 for stocks, futures and CFDs. */
export function periodsPerYearFor(instrumentType: string): number {
  return instrumentType === 'crypto' || instrumentType === 'forex' ? 365 : 252;
}

export interface MonthlyReturn {
  readonly month: string;
  readonly returnPct: number;
}

/** Return of each UTC calendar month from an equity curve (see the conventions above). */
export function monthlyReturns(equity: ArrayLike<number>, times: ArrayLike<number>, initialCapital: number): MonthlyReturn[] {
  return curveStats(equity, times, initialCapital).months;
}

export interface BacktestMetrics {
  start: string;
  end: string;
  durationDays: number;
  exposurePct: number;
  finalEquity: number;
  peakEquity: number;
  returnPct: number;
  buyAndHoldReturnPct: number;
  cagrPct: number;
  volatilityAnnPct: number;
  sharpe: number;
  sortino: number;
  calmar: number;
  maxDrawdownPct: number;
  maxDrawdownDurationDays: number;
  avgDrawdownPct: number;
  trades: number;
  winRatePct: number;
  bestTradePct: number;
  worstTradePct: number;
  avgTradePct: number;
  profitFactor: number | null;
  expectancy: number;
  sqn: number;
  totalFees: number;
  totalFunding: number;
  /** Buy & hold after the spread and taker fee at both ends (buyAndHoldReturnPct is mid to mid). */
  buyAndHoldNetReturnPct: number;
  /** Days per year used to annualise volatility, Sharpe and Sortino. */
  periodsPerYear: number;
  monthlyReturns: MonthlyReturn[];
}

const DAY = 86_400_000;
const YEAR = 365 * DAY;

/** Round to `d` decimals; non-finite becomes 0 so JSON never breaks. */
export function round(x: number, d = 6): number {
  if (!Number.isFinite(x)) return 0;
  const f = 10 ** d;
  const r = Math.round(x * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

interface Drawdown {
  maxPct: number;
  maxDurationMs: number;
  avgPct: number;
}

export function drawdowns(equity: ArrayLike<number>, times: ArrayLike<number>): Drawdown {
  return curveStats(equity, times, 0).drawdown;
}

/** Everything computeMetrics takes from the equity curve. */
interface CurveStats {
  /** Highest equity, the initial capital included. */
  peak: number;
  /** Per-bar returns: count, mean, sum of squared deviations (Welford), sum of squared losses. */
  count: number;
  mean: number;
  m2: number;
  down2: number;
  drawdown: Drawdown;
  months: MonthlyReturn[];
}

/** The running state of the pass over the equity curve (curveStats). */
interface CurveScan {
  peak: number;
  count: number;
  mean: number;
  m2: number;
  down2: number;
  /** The previous sample's equity. */
  prev: number;
  // drawdowns: the running peak (from the first sample) and its time, the current drawdown period
  ddPeak: number;
  peakTime: number;
  maxDd: number;
  maxDur: number;
  inDd: boolean;
  trough: number;
  troughSum: number;
  periods: number;
}

/**
 * One pass over the equity curve for the return statistics, the drawdowns and the monthly
 * returns (a 1m run's curve has a million samples: one loop, not three). Each figure is computed
 * in the same order of operations as on its own. The month of each bar is found by comparing its
 * time with the next month's start (numbers, not a date string per bar); the samples of a month
 * are scanned by scanMonth, whose loop has no month logic (it would be compiled before the first
 * month ends, then thrown away when it does).
 */
function curveStats(equity: ArrayLike<number>, times: ArrayLike<number>, initialCapital: number): CurveStats {
  const n = equity.length;
  const s: CurveScan = {
    peak: initialCapital,
    count: 0,
    mean: 0,
    m2: 0,
    down2: 0,
    prev: 0,
    ddPeak: -Infinity,
    peakTime: 0,
    maxDd: 0,
    maxDur: 0,
    inDd: false,
    trough: 0,
    troughSum: 0,
    periods: 0,
  };
  const months: MonthlyReturn[] = [];
  let prevMonthEquity = initialCapital;
  let monthEnd = -Infinity;
  let month = '';
  for (let i = 0; i < n;) {
    const t = times[i] as number;
    if (t >= monthEnd) {
      const d = new Date(t);
      month = d.toISOString().slice(0, 7);
      monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    }
    // A short first call first (up to sample PRIME_SAMPLES, the same samples in the same order):
    // scanMonth then runs to its end before its loop gets hot, so the code V8 compiles for the
    // loop has seen the state written back after it. Else that code stops there at the end of
    // every month, and every month starts over unoptimized (a 1m run's curve scanned mostly by
    // the interpreter).
    const primeEnd = i === 0 && n > PRIME_SAMPLES ? (times[PRIME_SAMPLES] as number) : NaN;
    if (primeEnd < monthEnd) {
      i = scanMonth(s, equity, times, 0, primeEnd);
      if (i < n && !((times[i] as number) >= monthEnd)) i = scanMonth(s, equity, times, i, monthEnd);
    } else i = scanMonth(s, equity, times, i, monthEnd); // the month's last sample is i - 1
    const e = equity[i - 1] as number;
    months.push({ month, returnPct: round(prevMonthEquity > 0 ? (e / prevMonthEquity - 1) * 100 : 0) });
    prevMonthEquity = e;
  }
  let { maxDur, troughSum, periods } = s;
  if (s.inDd && n > 0) {
    maxDur = Math.max(maxDur, (times[n - 1] as number) - s.peakTime);
    troughSum += s.trough;
    periods++;
  }
  const drawdown = { maxPct: s.maxDd * 100, maxDurationMs: maxDur, avgPct: periods ? (troughSum / periods) * 100 : 0 };
  return { peak: s.peak, count: s.count, mean: s.mean, m2: s.m2, down2: s.down2, drawdown, months };
}

/** Samples of curveStats's first call of scanMonth. */
const PRIME_SAMPLES = 64;

/** Scan sample `from` and the samples after it before `monthEnd` into `s`; returns the index after the last. */
function scanMonth(s: CurveScan, equity: ArrayLike<number>, times: ArrayLike<number>, from: number, monthEnd: number): number {
  const n = equity.length;
  let { peak, count, mean, m2, down2, prev, ddPeak, peakTime, maxDd, maxDur, inDd, trough, troughSum, periods } = s;
  let i = from;
  do {
    const e = equity[i] as number;
    const t = times[i] as number;
    if (e > peak) peak = e;
    if (i > 0) {
      const r = prev > 0 ? e / prev - 1 : 0;
      count++;
      const delta = r - mean; // Welford: stable one-pass mean and variance
      mean += delta / count;
      m2 += delta * (r - mean);
      if (r < 0) down2 += r * r;
    }
    prev = e;
    if (e >= ddPeak) {
      if (inDd) {
        maxDur = Math.max(maxDur, t - peakTime);
        troughSum += trough;
        periods++;
        inDd = false;
      }
      ddPeak = e;
      peakTime = t;
    } else {
      const dd = ddPeak > 0 ? e / ddPeak - 1 : 0;
      if (!inDd) {
        inDd = true;
        trough = dd;
      } else if (dd < trough) trough = dd;
      if (dd < maxDd) maxDd = dd;
    }
    i++;
  } while (i < n && !((times[i] as number) >= monthEnd));
  Object.assign(s, { peak, count, mean, m2, down2, prev, ddPeak, peakTime, maxDd, maxDur, inDd, trough, troughSum, periods });
  return i;
}

export function computeMetrics(input: MetricsInput): BacktestMetrics {
  const { equity, times, trades } = input;
  const n = equity.length;
  const first = n ? (times[0] as number) : 0;
  const last = n ? (times[n - 1] as number) : 0;
  const elapsed = Math.max(0, last - first + input.barMs);
  const finalEquity = n ? (equity[n - 1] as number) : input.initialCapital;
  const { peak, mean, m2, down2, count, drawdown: dd, months } = curveStats(equity, times, input.initialCapital);
  const periodsPerYear = input.periodsPerYear ?? 365;
  const barsPerYear = (periodsPerYear * DAY) / input.barMs;
  const sd = count > 1 ? Math.sqrt(m2 / (count - 1)) : 0;
  const downside = count > 0 ? Math.sqrt(down2 / count) : 0;
  const totalReturn = input.initialCapital > 0 ? finalEquity / input.initialCapital - 1 : 0;
  const years = elapsed / YEAR;
  const cagr =
    years > 0 && finalEquity > 0 && input.initialCapital > 0 ? (finalEquity / input.initialCapital) ** (1 / years) - 1 : years > 0 ? -1 : 0;

  const ts = tradeStats(trades);
  const { grossProfit, grossLoss, expectancy, pnlSd } = ts;

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
    trades: ts.count,
    winRatePct: round(ts.count ? (ts.wins / ts.count) * 100 : 0),
    bestTradePct: round(ts.count ? ts.best : 0),
    worstTradePct: round(ts.count ? ts.worst : 0),
    avgTradePct: round(ts.count ? ts.retSum / ts.count : 0),
    profitFactor: grossLoss > 0 ? round(grossProfit / grossLoss) : null,
    expectancy: round(expectancy, 2),
    sqn: round(pnlSd > 0 ? (Math.sqrt(ts.count) * expectancy) / pnlSd : 0),
    totalFees: round(input.totalFees, 2),
    totalFunding: round(input.totalFunding, 2),
    buyAndHoldNetReturnPct: round(buyAndHoldNet(input) * 100),
    periodsPerYear,
    monthlyReturns: months,
  };
}

/** The trade statistics of computeMetrics: each sum in trade order from 0, as map/filter/reduce would add them. */
function tradeStats(trades: MetricsInput['trades']) {
  let pnl: ArrayLike<number>;
  let ret: ArrayLike<number>;
  if (Array.isArray(trades)) {
    const rows = trades as readonly Pick<ClosedTrade, 'pnl' | 'returnPct'>[];
    pnl = rows.map((t) => t.pnl);
    ret = rows.map((t) => t.returnPct);
  } else ({ pnl, returnPct: ret } = trades as TradeColumns);
  const count = pnl.length;
  let grossProfit = 0;
  let lossSum = 0;
  let pnlSum = 0;
  let wins = 0;
  let retSum = 0;
  let best = -Infinity;
  let worst = Infinity;
  for (let k = 0; k < count; k++) {
    const p = pnl[k] as number;
    if (p > 0) {
      grossProfit += p;
      wins++;
    } else if (p < 0) lossSum += p;
    pnlSum += p;
    const r = ret[k] as number;
    best = Math.max(best, r);
    worst = Math.min(worst, r);
    retSum += r;
  }
  const expectancy = count ? pnlSum / count : 0;
  let pnlVar = 0;
  for (let k = 0; k < count; k++) pnlVar += ((pnl[k] as number) - expectancy) ** 2;
  const pnlSd = count > 1 ? Math.sqrt(pnlVar / (count - 1)) : 0;
  return { count, grossProfit, grossLoss: -lossSum, expectancy, pnlSd, wins, retSum, best, worst };
}

function buyAndHoldNet(input: MetricsInput): number {
  if (!(input.benchmarkFirstClose > 0)) return 0;
  const c = input.benchmarkCosts ?? { spread: 0, feeRate: 0 };
  const paid = input.benchmarkFirstClose * (1 + c.spread / 2) * (1 + c.feeRate);
  const got = input.benchmarkLastClose * (1 - c.spread / 2) * (1 - c.feeRate);
  return got / paid - 1;
}

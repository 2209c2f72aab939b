/**
 * Average True Range, TA-Lib conventions (Wilder smoothing).
 *
 * True range TR[i] = max(high[i] - low[i], |high[i] - close[i-1]|, |low[i] - close[i-1]|). The
 * first bar has no previous close and yields no TR (TA-Lib skips it; StockCharts instead uses
 * high - low there, which changes the seed). The first ATR is the simple mean of TR[1..n], at
 * index n (`lookback`); then atr = (atr_prev x (n-1) + TR) / n. The order of operations is
 * TA-Lib's, so the numbers are bit-identical to TA_ATR. `update` allocates nothing.
 */
import { assertPeriod } from './moving.ts';

/** Average True Range over (high, low, close) bars. */
export class Atr {
  // The numeric fields set in the constructor are `declare`d: a field initialised to undefined
  // first makes V8 store its number tagged (a type check at every read in update).
  declare readonly period: number;
  /** Index of the first output (period). */
  declare readonly lookback: number;
  /** The latest ATR, NaN during warm-up. */
  value = NaN;
  /** The latest true range, NaN on the first bar. */
  trueRange = NaN;
  private prevClose = NaN;
  private count = 0;
  private sum = 0;

  constructor(period = 14) {
    this.period = period;
    assertPeriod('ATR period', period);
    this.lookback = period;
  }

  /** Feeds one bar; returns the ATR, NaN during warm-up. */
  update(high: number, low: number, close: number): number {
    const pc = this.prevClose;
    this.prevClose = close;
    if (!(pc === pc)) return this.value;
    const tr = Math.max(high - low, Math.abs(high - pc), Math.abs(low - pc));
    this.trueRange = tr;
    const n = this.period;
    if (this.count === n) {
      this.value = (this.value * (n - 1) + tr) / n;
      return this.value;
    }
    this.sum += tr;
    if (++this.count === n) this.value = this.sum / n;
    return this.value;
  }
}

/**
 * ATR(period) of a bar series given as three parallel arrays of equal length: NaN at indexes
 * < period. Same numbers as {@link Atr}.
 */
export function atr(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, period = 14): Float64Array {
  const n = close.length;
  if (high.length !== n || low.length !== n)
    throw new RangeError(`high, low and close must have the same length (${high.length}, ${low.length}, ${n})`);
  const ind = new Atr(period);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = ind.update(high[i] as number, low[i] as number, close[i] as number);
  return out;
}

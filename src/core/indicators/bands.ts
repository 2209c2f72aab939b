/**
 * Bollinger Bands(n, k), TA-Lib conventions: middle = SMA(n); upper/lower = middle +/- k x the
 * POPULATION standard deviation of the last n inputs (divide by n, not n-1). First output at
 * index n-1 (`lookback`).
 *
 * Numerics: each update recomputes the window from a ring buffer in two passes (O(n), no
 * allocation): the mean as ref + sum(x - ref)/n with ref = one value of the window, then the
 * deviations around that mean. No running sums, so nothing drifts and nothing cancels: prices
 * like EURUSD 1.08xxx keep full relative precision in the deviation (sum-of-squares formulas,
 * TA-Lib's included, lose digits there), and a flat window gives a deviation of exactly 0.
 * `update(x)` returns the middle band; the bands and the deviation are fields.
 */
import { assertPeriod } from './moving.ts';

/** Bollinger Bands over a ring buffer. */
export class BollingerBands {
  // The numeric fields set in the constructor are `declare`d: a field initialised to undefined
  // first makes V8 store its number tagged (a type check at every read in update).
  declare readonly period: number;
  declare readonly k: number;
  /** Index of the first output (period - 1). */
  declare readonly lookback: number;
  /** SMA of the window, NaN during warm-up. */
  middle = NaN;
  /** middle + k x stdev, NaN during warm-up. */
  upper = NaN;
  /** middle - k x stdev, NaN during warm-up. */
  lower = NaN;
  /** Population standard deviation of the window, NaN during warm-up. */
  stdev = NaN;
  private readonly buf: Float64Array;
  private i = 0;
  private count = 0;

  constructor(period = 20, k = 2) {
    this.period = period;
    this.k = k;
    assertPeriod('Bollinger period', period);
    if (!Number.isFinite(k) || k < 0) throw new RangeError(`Bollinger k must be a finite number >= 0, got ${k}`);
    this.buf = new Float64Array(period);
    this.lookback = period - 1;
  }

  /** Feeds one input; returns the middle band, NaN during warm-up. */
  update(x: number): number {
    const n = this.period;
    const buf = this.buf;
    buf[this.i] = x;
    this.i = this.i + 1 === n ? 0 : this.i + 1;
    if (this.count < n && ++this.count < n) return this.middle;
    const ref = buf[0] as number;
    let s = 0;
    for (let j = 1; j < n; j++) s += (buf[j] as number) - ref;
    const mean = ref + s / n;
    let sq = 0;
    for (let j = 0; j < n; j++) {
      const d = (buf[j] as number) - mean;
      sq += d * d;
    }
    const sd = Math.sqrt(sq / n);
    this.middle = mean;
    this.stdev = sd;
    this.upper = mean + this.k * sd;
    this.lower = mean - this.k * sd;
    return mean;
  }
}

/** The three band series, index-aligned with the input. */
export interface BollingerSeries {
  readonly lower: Float64Array;
  readonly middle: Float64Array;
  readonly upper: Float64Array;
}

/** Bollinger Bands of a series: NaN at indexes < period-1. Same numbers as {@link BollingerBands}. */
export function bollinger(values: ArrayLike<number>, period = 20, k = 2): BollingerSeries {
  const ind = new BollingerBands(period, k);
  const n = values.length;
  const out = { lower: new Float64Array(n), middle: new Float64Array(n), upper: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    out.middle[i] = ind.update(values[i] as number);
    out.lower[i] = ind.lower;
    out.upper[i] = ind.upper;
  }
  return out;
}

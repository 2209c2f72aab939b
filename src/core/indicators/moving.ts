/**
 * Moving averages, TA-Lib conventions.
 *
 * - SMA(n): mean of the last n inputs. First output at index n-1.
 * - EMA(n): k = 2/(n+1), seeded with the SMA of the first n inputs (first output at index
 *   n-1), then ema = (x - ema_prev) x k + ema_prev. The order of operations is TA-Lib's, so the
 *   numbers are bit-identical to TA_EMA.
 *
 * `update(x)` returns the new value, NaN during warm-up, and allocates nothing. `lookback` is
 * the number of inputs consumed before the first output, i.e. the index of the first output.
 * The array forms run the incremental ones, so both give exactly the same numbers. Inputs must
 * be finite: a NaN poisons every later value.
 */

/** Largest period accepted anywhere in the module (TA-Lib's bound). */
export const MAX_PERIOD = 100_000;

/** @internal Throws a RangeError unless `n` is an integer in [1, MAX_PERIOD]. */
export function assertPeriod(what: string, n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PERIOD) throw new RangeError(`${what} must be an integer from 1 to ${MAX_PERIOD}, got ${n}`);
}

/**
 * Simple moving average over a ring buffer. The running sum is compensated (Knuth's TwoSum
 * keeps what each addition rounds away), so a huge value leaving the window (1e10 among
 * values near 1) costs no digits; and it is recomputed from the buffer once per lap (every
 * `period` updates), so nothing drifts.
 */
export class Sma {
  // The numeric fields set in the constructor are `declare`d: a field initialised to undefined
  // first makes V8 store its number tagged (a type check at every read in update).
  declare readonly period: number;
  /** Index of the first output (period - 1). */
  declare readonly lookback: number;
  /** The latest SMA, NaN during warm-up. */
  value = NaN;
  private readonly buf: Float64Array;
  private i = 0;
  private count = 0;
  private sum = 0;
  /** The low-order part of the window sum that `sum` lost to rounding. */
  private comp = 0;

  constructor(period: number) {
    this.period = period;
    assertPeriod('SMA period', period);
    this.buf = new Float64Array(period);
    this.lookback = period - 1;
  }

  /** Feeds one input; returns the SMA, NaN during warm-up. */
  update(x: number): number {
    const n = this.period;
    const i = this.i;
    let s = this.sum;
    let c = this.comp;
    if (this.count < n) {
      this.count++;
    } else {
      const y = -(this.buf[i] as number);
      const t = s + y;
      const b = t - s;
      c += s - (t - b) + (y - b);
      s = t;
    }
    this.buf[i] = x;
    const t = s + x;
    const b = t - s;
    c += s - (t - b) + (x - b);
    s = t;
    if (i + 1 === n) {
      this.i = 0;
      s = 0;
      c = 0;
      for (let j = 0; j < n; j++) {
        const y = this.buf[j] as number;
        const u = s + y;
        const v = u - s;
        c += s - (u - v) + (y - v);
        s = u;
      }
    } else {
      this.i = i + 1;
    }
    this.sum = s;
    this.comp = c;
    if (this.count === n) this.value = (s + c) / n;
    return this.value;
  }
}

/** Exponential moving average, SMA-seeded (TA-Lib's default, and StockCharts'). */
export class Ema {
  // The numeric fields set in the constructor are `declare`d: a field initialised to undefined
  // first makes V8 store its number tagged (a type check at every read in update).
  declare readonly period: number;
  /** Index of the first output (period - 1). */
  declare readonly lookback: number;
  /** Smoothing factor 2/(period+1). */
  declare readonly k: number;
  /** The latest EMA, NaN during warm-up. */
  value = NaN;
  private count = 0;
  private seed = 0;

  constructor(period: number) {
    this.period = period;
    assertPeriod('EMA period', period);
    this.k = 2 / (period + 1);
    this.lookback = period - 1;
  }

  /** Feeds one input; returns the EMA, NaN during warm-up. */
  update(x: number): number {
    if (this.count === this.period) {
      this.value = (x - this.value) * this.k + this.value;
      return this.value;
    }
    this.seed += x;
    if (++this.count === this.period) this.value = this.seed / this.period;
    return this.value;
  }
}

/** SMA(period) of a series: NaN at indexes < period-1. Same numbers as {@link Sma}. */
export function sma(values: ArrayLike<number>, period: number): Float64Array {
  const ind = new Sma(period);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = ind.update(values[i] as number);
  return out;
}

/** EMA(period) of a series: NaN at indexes < period-1. Same numbers as {@link Ema}. */
export function ema(values: ArrayLike<number>, period: number): Float64Array {
  const ind = new Ema(period);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = ind.update(values[i] as number);
  return out;
}

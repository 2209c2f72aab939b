/**
 * RSI and MACD, TA-Lib conventions (default compatibility). `update(x)` returns the main value
 * (NaN during warm-up) and allocates nothing; MACD exposes its three outputs as fields.
 * `lookback` is the index of the first output. The order of operations is TA-Lib's, so the
 * numbers are bit-identical to TA_RSI and TA_MACD.
 *
 * - RSI(n), Wilder smoothing: the change at index i is x[i] - x[i-1]. The first average gain
 *   and loss are the simple means of the first n changes (indexes 1..n), so the first RSI is at
 *   index n; then avg = (avg_prev x (n-1) + current) / n. RSI = 100 x gain / (gain + loss):
 *   100 when there were no losses, 0 when there were no gains, and 50 (neutral) when both
 *   averages are exactly 0 (a flat market). TA-Lib prints 0 there instead.
 * - MACD(fast, slow, signal), fast < slow: macd = EMA_fast - EMA_slow, both SMA-seeded and,
 *   as in TA-Lib, with seed windows ending on the same bar: the slow EMA is seeded with the
 *   SMA of x[0..slow-1], the fast one with the SMA of x[slow-fast..slow-1] (the inputs before
 *   are not part of the fast EMA). So macd starts at index slow-1 (`macdLookback`). signal =
 *   EMA(signal) of the macd line seeded with the SMA of its first `signal` values, first at
 *   index slow+signal-2 (`lookback`, 33 for 12/26/9, where TA-Lib's output starts); hist =
 *   macd - signal, from that same index. From index 33 on, all three equal TA_MACD's output.
 */
import { assertPeriod, Ema } from './moving.ts';

/** Relative Strength Index with Wilder smoothing. */
export class Rsi {
  // The numeric fields set in the constructor are `declare`d: a field initialised to undefined
  // first makes V8 store its number tagged (a type check at every read in update).
  declare readonly period: number;
  /** Index of the first output (period). */
  declare readonly lookback: number;
  /** The latest RSI in [0, 100], NaN during warm-up. */
  value = NaN;
  private prev = NaN;
  /** Inputs seen, counted up to period + 1 only. */
  private count = 0;
  private gain = 0;
  private loss = 0;

  constructor(period = 14) {
    this.period = period;
    assertPeriod('RSI period', period);
    this.lookback = period;
  }

  /** Feeds one input; returns the RSI, NaN during warm-up. */
  update(x: number): number {
    const n = this.period;
    const ch = x - this.prev;
    this.prev = x;
    const g = ch > 0 ? ch : 0;
    const l = ch < 0 ? -ch : 0;
    if (this.count > n) {
      this.gain = (this.gain * (n - 1) + g) / n;
      this.loss = (this.loss * (n - 1) + l) / n;
    } else {
      if (this.count++ === 0) return this.value;
      this.gain += g;
      this.loss += l;
      if (this.count <= n) return this.value;
      this.gain /= n;
      this.loss /= n;
    }
    const total = this.gain + this.loss;
    this.value = total === 0 ? 50 : 100 * (this.gain / total);
    return this.value;
  }
}

/** MACD line, signal line and histogram. */
export class Macd {
  /** Index of the first signal and hist value (slow + signal - 2): all outputs defined. */
  readonly lookback: number;
  /** Index of the first macd value (slow - 1). */
  readonly macdLookback: number;
  /** EMA_fast - EMA_slow, NaN before `macdLookback`. */
  macd = NaN;
  /** EMA(signalPeriod) of the macd line, NaN before `lookback`. */
  signal = NaN;
  /** macd - signal, NaN before `lookback`. */
  hist = NaN;
  private readonly fastEma: Ema;
  private readonly slowEma: Ema;
  private readonly signalEma: Ema;
  /** Inputs still to be withheld from the fast EMA so that both seed windows end together. */
  declare private skip: number;

  constructor(
    readonly fast = 12,
    readonly slow = 26,
    readonly signalPeriod = 9,
  ) {
    assertPeriod('MACD fast period', fast);
    assertPeriod('MACD slow period', slow);
    assertPeriod('MACD signal period', signalPeriod);
    if (fast >= slow) throw new RangeError(`MACD fast period (${fast}) must be below the slow period (${slow})`);
    this.fastEma = new Ema(fast);
    this.slowEma = new Ema(slow);
    this.signalEma = new Ema(signalPeriod);
    this.skip = slow - fast;
    this.macdLookback = slow - 1;
    this.lookback = slow + signalPeriod - 2;
  }

  /** Feeds one input; returns the macd line (`signal` and `hist` are updated alongside). */
  update(x: number): number {
    const s = this.slowEma.update(x);
    if (this.skip > 0) {
      this.skip--;
      return this.macd;
    }
    const f = this.fastEma.update(x);
    if (!(s === s)) return this.macd;
    this.macd = f - s;
    this.signal = this.signalEma.update(this.macd);
    this.hist = this.macd - this.signal;
    return this.macd;
  }
}

/** RSI(period) of a series: NaN at indexes < period. Same numbers as {@link Rsi}. */
export function rsi(values: ArrayLike<number>, period = 14): Float64Array {
  const ind = new Rsi(period);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = ind.update(values[i] as number);
  return out;
}

/** The three MACD series, index-aligned with the input. */
export interface MacdSeries {
  readonly macd: Float64Array;
  readonly signal: Float64Array;
  readonly hist: Float64Array;
}

/**
 * MACD of a series: macd is NaN at indexes < slow-1, signal and hist at indexes
 * < slow+signal-2. Same numbers as {@link Macd}.
 */
export function macd(values: ArrayLike<number>, fast = 12, slow = 26, signal = 9): MacdSeries {
  const ind = new Macd(fast, slow, signal);
  const n = values.length;
  const out = { macd: new Float64Array(n), signal: new Float64Array(n), hist: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    out.macd[i] = ind.update(values[i] as number);
    out.signal[i] = ind.signal;
    out.hist[i] = ind.hist;
  }
  return out;
}

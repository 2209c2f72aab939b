/**
 * Bollinger Bands(n, k), TA-Lib conventions: middle = SMA(n), upper/lower = middle +/- k x the
 * POPULATION standard deviation of the last n values (divide by n). The deviation is computed
 * from a ring buffer around the mean (two-pass), which is exact to float precision even for
 * prices like EURUSD where sum-of-squares formulas cancel badly. First output at index n-1.
 */
export class BollingerBands {
  private readonly buf: Float64Array;
  private i = 0;
  private count = 0;
  middle = NaN;
  upper = NaN;
  lower = NaN;
  constructor(readonly period = 20, readonly k = 2) { this.buf = new Float64Array(period); }
  /** Returns the middle band. */
  update(x: number): number {
    this.buf[this.i] = x;
    this.i = (this.i + 1) % this.period;
    if (this.count < this.period) this.count++;
    if (this.count < this.period) return this.middle;
    const n = this.period;
    let sum = 0;
    for (let j = 0; j < n; j++) sum += this.buf[j] as number;
    const mean = sum / n;
    let sq = 0;
    for (let j = 0; j < n; j++) { const d = (this.buf[j] as number) - mean; sq += d * d; }
    const sd = Math.sqrt(sq / n);
    this.middle = mean;
    this.upper = mean + this.k * sd;
    this.lower = mean - this.k * sd;
    return mean;
  }
}

/**
 * Moving averages, TA-Lib conventions. `update(x)` returns the new value, NaN during warm-up;
 * nothing is allocated per update.
 * - SMA(n): mean of the last n values; first output after n values (index n-1).
 * - EMA(n): k = 2/(n+1), seeded with the SMA of the first n values (first output at index n-1),
 *   then ema = ema_prev + k x (x - ema_prev).
 */

export class Sma {
  private readonly buf: Float64Array;
  private i = 0;
  private count = 0;
  private sum = 0;
  value = NaN;
  constructor(readonly period: number) { this.buf = new Float64Array(period); }
  update(x: number): number {
    if (this.count < this.period) this.count++;
    else this.sum -= this.buf[this.i] as number;
    this.buf[this.i] = x;
    this.sum += x;
    this.i = (this.i + 1) % this.period;
    // Recompute the sum exactly every lap so float drift never accumulates.
    if (this.i === 0) { let s = 0; for (let j = 0; j < this.period; j++) s += this.buf[j] as number; this.sum = s; }
    this.value = this.count === this.period ? this.sum / this.period : NaN;
    return this.value;
  }
}

export class Ema {
  private readonly k: number;
  private count = 0;
  private seed = 0;
  value = NaN;
  constructor(readonly period: number) { this.k = 2 / (period + 1); }
  update(x: number): number {
    if (this.count < this.period) {
      this.count++;
      this.seed += x;
      if (this.count === this.period) this.value = this.seed / this.period;
      return this.value;
    }
    this.value += this.k * (x - this.value);
    return this.value;
  }
}

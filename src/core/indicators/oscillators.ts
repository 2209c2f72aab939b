/**
 * RSI, MACD, ATR (TA-Lib conventions). `update` returns the main value (NaN during warm-up);
 * multi-output indicators expose their outputs as fields. No allocation per update.
 * - RSI(n), Wilder: the first average gain/loss is the simple mean of the first n changes
 *   (first output at index n), then avg = (avg_prev x (n-1) + x) / n. RSI = 100 - 100/(1+RS);
 *   100 when there are no losses, 50 when price did not move at all.
 * - MACD(fast, slow, signal): macd = EMA_fast - EMA_slow, both SMA-seeded on the same input
 *   (the fast EMA starts earlier; TA-Lib instead starts both at the slow one, which only changes
 *   the warm-up); first macd at index slow-1; signal = EMA(signal) of macd seeded with the SMA of
 *   the first `signal` macd values (first at index slow+signal-2); hist = macd - signal.
 * - ATR(n), Wilder: TR = max(h-l, |h-prevClose|, |l-prevClose|); the first bar has no previous
 *   close and yields no TR (as TA-Lib); first ATR = mean of the first n TRs (index n), then
 *   atr = (atr_prev x (n-1) + TR) / n.
 */
import { Ema } from './moving.ts';

export class Rsi {
  private prev = NaN;
  private count = 0;
  private gain = 0;
  private loss = 0;
  value = NaN;
  constructor(readonly period: number) {}
  update(x: number): number {
    const prev = this.prev;
    this.prev = x;
    if (!(prev === prev)) return this.value;
    const ch = x - prev;
    const g = ch > 0 ? ch : 0;
    const l = ch < 0 ? -ch : 0;
    const n = this.period;
    if (this.count < n) {
      this.count++;
      this.gain += g;
      this.loss += l;
      if (this.count < n) return this.value;
      this.gain /= n;
      this.loss /= n;
    } else {
      this.gain = (this.gain * (n - 1) + g) / n;
      this.loss = (this.loss * (n - 1) + l) / n;
    }
    this.value = this.loss === 0 ? (this.gain === 0 ? 50 : 100) : 100 - 100 / (1 + this.gain / this.loss);
    return this.value;
  }
}

export class Macd {
  private readonly fastEma: Ema;
  private readonly slowEma: Ema;
  private readonly signalEma: Ema;
  macd = NaN;
  signal = NaN;
  hist = NaN;
  constructor(readonly fast = 12, readonly slow = 26, readonly signalPeriod = 9) {
    this.fastEma = new Ema(fast);
    this.slowEma = new Ema(slow);
    this.signalEma = new Ema(signalPeriod);
  }
  /** Returns the MACD line; `signal` and `hist` are updated alongside. */
  update(x: number): number {
    const f = this.fastEma.update(x);
    const s = this.slowEma.update(x);
    if (!(s === s)) return this.macd;
    this.macd = f - s;
    this.signal = this.signalEma.update(this.macd);
    this.hist = this.macd - this.signal;
    return this.macd;
  }
}

export class Atr {
  private prevClose = NaN;
  private count = 0;
  private sum = 0;
  value = NaN;
  constructor(readonly period: number) {}
  update(high: number, low: number, close: number): number {
    const pc = this.prevClose;
    this.prevClose = close;
    if (!(pc === pc)) return this.value;
    const tr = Math.max(high - low, Math.abs(high - pc), Math.abs(low - pc));
    const n = this.period;
    if (this.count < n) {
      this.count++;
      this.sum += tr;
      if (this.count === n) this.value = this.sum / n;
      return this.value;
    }
    this.value = (this.value * (n - 1) + tr) / n;
    return this.value;
  }
}

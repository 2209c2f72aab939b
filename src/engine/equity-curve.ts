/**
 * A backtest's equity samples, one per timeframe candle, finished in one pass when read.
 *
 * A sample's equity is (balance + size x (close x PRICE_SCALE - entry) x contract size /
 * PNL_DIVISOR) / MONEY_SCALE with the position it was taken with, or balance / MONEY_SCALE
 * flat. Per candle the loop writes only the product of the position's part (multiplications);
 * the two divisions, which wait on each other, are done by `settle` over all the samples at once,
 * from the balance and whether a position was held, kept per run of samples where they stay
 * the same (they change at fills and fundings only). The same operations on the same numbers in
 * the same order: the same doubles as dividing per candle, and the same peak.
 */
import { moneyToFloat, PNL_DIVISOR } from '../core/money.ts';

export class EquityCurve {
  /** Per sample: its equity once settled; before, a held sample's product (flat: unused). */
  readonly equity: Float64Array;
  /** Highest equity (money units) of the samples settled, from the starting capital. */
  declare peak: number;
  /** Samples [0, settled) hold their equity. */
  private settled = 0;
  // the runs of samples with one balance and one held flag: first sample, balance, held (1/0)
  private readonly starts: number[] = [];
  private readonly balances: number[] = [];
  private readonly held: number[] = [];
  private lastBalance = NaN;
  private lastHeld = -1;

  constructor(size: number, capital: number) {
    this.equity = new Float64Array(size);
    this.peak = capital;
  }

  /** Sample k is taken with `balance` (and a position when `held`): starts a run when either differs from the last. */
  mark(k: number, balance: number, held: number): void {
    if (balance !== this.lastBalance || held !== this.lastHeld) this.begin(k, balance, held);
  }

  private begin(k: number, balance: number, held: number): void {
    this.starts.push(k);
    this.balances.push(balance);
    this.held.push(held);
    this.lastBalance = balance;
    this.lastHeld = held;
  }

  /** Finish the samples [settled, count): their equity, and the peak over them. */
  settle(count: number): void {
    const eqs = this.equity;
    const starts = this.starts;
    let peak = this.peak;
    for (let j = 0; j < starts.length; j++) {
      const from = Math.max(starts[j] as number, this.settled);
      const to = Math.min(j + 1 < starts.length ? (starts[j + 1] as number) : count, count);
      if (from >= to) continue;
      const balance = this.balances[j] as number;
      if (this.held[j] === 1) {
        for (let k = from; k < to; k++) {
          const eq = balance + (eqs[k] as number) / PNL_DIVISOR;
          eqs[k] = moneyToFloat(eq);
          if (eq > peak) peak = eq;
        }
      } else {
        const flat = moneyToFloat(balance);
        for (let k = from; k < to; k++) eqs[k] = flat;
        if (balance > peak) peak = balance;
      }
    }
    this.peak = peak;
    this.settled = Math.max(this.settled, count);
  }

  /** Take back the last sample (count - 1, settled first so the peak keeps it): it is taken again. */
  drop(count: number): void {
    this.settle(count);
    this.settled = count - 1;
  }
}

/** A backtest's equity samples settled in one pass (equity-curve.ts) are the doubles of dividing per sample, with the same peak. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { moneyToFloat, PNL_DIVISOR } from '../../src/core/money.ts';
import { EquityCurve } from '../../src/engine/equity-curve.ts';

interface Sample {
  balance: number;
  /** The position's product (size x (close x PRICE_SCALE - entry) x contract size), or null flat. */
  product: number | null;
  /** Settle (read the outcome) after this sample. */
  read: boolean;
}

const sample: fc.Arbitrary<Sample> = fc.record({
  balance: fc.constantFrom(1_000_000_000_000, 999_123_456_789, 1_000_500_000_001, 5),
  product: fc.option(fc.double({ min: -1e26, max: 1e26, noNaN: true }), { nil: null }),
  read: fc.boolean(),
});

/** The equity and peak as the loop computed them before: dividing per sample. */
function perSample(samples: readonly Sample[], capital: number): { equity: number[]; peak: number } {
  let peak = capital;
  const equity = samples.map((s) => {
    let eq = s.balance;
    if (s.product !== null) eq += s.product / PNL_DIVISOR;
    if (eq > peak) peak = eq;
    return moneyToFloat(eq);
  });
  return { equity, peak };
}

describe('EquityCurve', () => {
  it('settles to the per-sample equity and peak, read at any points and with the last sample taken again', () => {
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 40 }), sample, (samples, again) => {
        const capital = 1_000_000_000_000;
        const curve = new EquityCurve(samples.length, capital);
        samples.forEach((s, k) => {
          curve.mark(k, s.balance, s.product !== null ? 1 : 0);
          if (s.product !== null) curve.equity[k] = s.product;
          if (s.read) curve.settle(k + 1);
        });
        curve.settle(samples.length);
        const want = perSample(samples, capital);
        expect([...curve.equity]).toEqual(want.equity);
        expect(curve.peak).toBe(want.peak);
        // the last sample replaced (the end of a backtest): the peak keeps the one taken back
        const k = samples.length - 1;
        curve.drop(samples.length);
        curve.mark(k, again.balance, again.product !== null ? 1 : 0);
        if (again.product !== null) curve.equity[k] = again.product;
        curve.settle(samples.length);
        const last = perSample([...samples.slice(0, k), again], capital);
        expect([...curve.equity]).toEqual(last.equity);
        expect(curve.peak).toBe(Math.max(want.peak, last.peak));
      }),
      { numRuns: 500 },
    );
  });
});

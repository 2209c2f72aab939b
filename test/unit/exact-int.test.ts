import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { divRoundSmall, mulDiv, mulDivPow10 } from '../../src/core/exact-int.ts';
import { divRound, type Rounding } from '../../src/core/money.ts';

const MODES: Rounding[] = ['half-even', 'half-up', 'down', 'up', 'floor', 'ceil'];
const mode = fc.constantFrom(...MODES);
const LIMIT = 2 ** 52;
/** The BigInt reference: exact, and a plain 0 (never -0) where the result is zero. */
const ref = (n: bigint, d: bigint, m: Rounding): number => Number(divRound(n, d, m));
/** Integers with many trailing zeros (prices on a tick grid, sizes on a lot grid) and plain ones. */
const scaled = (max: number) =>
  fc.oneof(
    fc.integer({ min: -max, max }),
    fc.tuple(fc.integer({ min: -99_999, max: 99_999 }), fc.integer({ min: 0, max: 12 })).map(([m, e]) => m * 10 ** e),
  );

/** Trailing decimal zeros of a non-zero integer. */
const zeros = (x: number): number => {
  let z = 0;
  for (let v = BigInt(x); v % 10n === 0n && v !== 0n; v /= 10n) z++;
  return z;
};
/** |a x b x c| with the powers of ten they share with 10^e cancelled (what mulDivPow10 must fit in 2^52). */
const cancelled = (a: number, b: number, c: number, e: number): bigint => {
  const n = BigInt(a) * BigInt(b) * BigInt(c);
  const k = Math.min(e, zeros(a) + zeros(b) + zeros(c));
  const m = n / 10n ** BigInt(k);
  return m < 0n ? -m : m;
};

describe('exact integer fast paths (same results as the BigInt path)', () => {
  it('divRoundSmall agrees with divRound, near the bounds too', () => {
    const big = fc.oneof(fc.integer({ min: -(LIMIT - 1), max: LIMIT - 1 }), fc.constantFrom(LIMIT - 1, -(LIMIT - 1), 1, -1, 0));
    fc.assert(
      fc.property(big, fc.oneof(fc.integer({ min: 1, max: LIMIT }), fc.integer({ min: 1, max: 1000 })), mode, (n, d, m) => {
        const got = divRoundSmall(n, d, m);
        expect(Object.is(got, -0)).toBe(false);
        expect(got).toBe(ref(BigInt(n), BigInt(d), m));
      }),
      { numRuns: 5000 },
    );
  });

  it('halves round as the mode says', () => {
    expect([5, 15, -5, -15].map((n) => divRoundSmall(n, 10, 'half-even'))).toEqual([0, 2, 0, -2]);
    expect([5, -5].map((n) => divRoundSmall(n, 10, 'half-up'))).toEqual([1, -1]);
    expect([1, -1].map((n) => divRoundSmall(n, 10, 'ceil'))).toEqual([1, 0]);
    expect([1, -1].map((n) => divRoundSmall(n, 10, 'floor'))).toEqual([0, -1]);
  });

  it('mulDivPow10 is exact or declines (null)', () => {
    fc.assert(
      fc.property(scaled(2 ** 53 - 1), scaled(2 ** 53 - 1), scaled(10 ** 9), fc.integer({ min: 0, max: 18 }), mode, (a, b, c, e, m) => {
        const got = mulDivPow10(a, b, c, e, m);
        if (got !== null) expect(got).toBe(ref(BigInt(a) * BigInt(b) * BigInt(c), 10n ** BigInt(e), m));
      }),
      { numRuns: 5000 },
    );
  });

  it('takes the fast path for typical notional products and declines past 2^52', () => {
    // 0.1 BTC x $50,000.12 x 1 contract, divided by 1e18
    expect(mulDivPow10(10_000_000, 5_000_012_000_000, 100_000_000, 18, 'half-even')).toBe(5_000_012_000);
    expect(mulDivPow10(2 ** 40 + 1, 2 ** 20 + 1, 1, 0, 'down')).toBeNull();
    expect(mulDivPow10(1.5, 10, 10, 1, 'down')).toBeNull();
  });

  it('mulDiv is exact or declines (null)', () => {
    fc.assert(
      fc.property(
        scaled(2 ** 53 - 1),
        fc.integer({ min: -(10 ** 7), max: 10 ** 7 }),
        fc.integer({ min: -5, max: 2 ** 40 }),
        mode,
        (a, b, d, m) => {
          const got = mulDiv(a, b, d, m);
          if (d <= 0) expect(got).toBeNull();
          else if (got !== null) expect(got).toBe(ref(BigInt(a) * BigInt(b), BigInt(d), m));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('mulDivPow10 gives the reference in any sequence of calls (its factor memos never leak a stale value)', () => {
    // a small pool of factors, so that consecutive calls repeat some and the memos hit
    const pool = fc.oneof(fc.constantFrom(10_000_000, 100_000_000, 5_000_012_000_000, 1, 7, 0, -10_000_000), scaled(2 ** 53 - 1));
    const call = fc.tuple(pool, pool, pool, fc.constantFrom(0, 1, 6, 10, 18), mode);
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 30 }), (calls) => {
        for (const [a, b, c, e, m] of calls) {
          const got = mulDivPow10(a, b, c, e, m);
          if (![a, b, c].every(Number.isSafeInteger)) {
            expect(got).toBeNull();
            continue;
          }
          const want = ref(BigInt(a) * BigInt(b) * BigInt(c), 10n ** BigInt(e), m);
          if (got !== null) expect(got).toBe(want);
          else expect(cancelled(a, b, c, e)).toBeGreaterThanOrEqual(2n ** 52n); // declines only when the numerator cannot fit
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('mulDiv cancels a factor the multiplier and the divisor share (money x 1e6 / leverage x 1e6), exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 53 - 1), max: 2 ** 53 - 1 }),
        fc.oneof(fc.constantFrom(1, 2, 3, 10, 100, 125), fc.integer({ min: 1, max: 200 })),
        fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 999_999 })),
        mode,
        (a, lev, frac, m) => {
          const d = lev * 1_000_000 + frac; // leverage to 1e-6, as divMoneyByFactor gives it
          const got = mulDiv(a, 1_000_000, d, m);
          if (got !== null) expect(got).toBe(ref(BigInt(a) * 1_000_000n, BigInt(d), m));
          if (frac === 0 && Math.abs(a) < 2 ** 52) expect(got).not.toBeNull(); // a whole leverage: always on numbers
        },
      ),
      { numRuns: 5000 },
    );
    // $5,000.12 of notional at 1x and 3x: past 2^52 before the cancel
    expect(mulDiv(5_000_120_000, 1_000_000, 1_000_000, 'ceil')).toBe(5_000_120_000);
    expect(mulDiv(5_000_120_000, 1_000_000, 3_000_000, 'ceil')).toBe(1_666_706_667);
  });
});

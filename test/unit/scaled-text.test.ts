/** core/scaled-text.ts gives exactly the text String() gives the float of a fixed-point amount. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundedText, scaledText } from '../../src/core/scaled-text.ts';
import { round } from '../../src/core/metrics.ts';

describe('scaledText', () => {
  it('is String(n / 10^k) on examples at the edges', () => {
    const cases: [number, number][] = [
      [0, 8],
      [-0, 8],
      [1, 0],
      [-1, 2],
      [5010287000000, 8], // 50102.87
      [-25633971, 6], // -25.633971
      [10000000, 8], // 0.1
      [100, 8], // 1e-6: still plain notation
      [99, 8], // 9.9e-7: exponent notation, String's
      [-99, 8],
      [1, 7],
      [999999999999999, 8], // 15 digits
      [1e15, 8], // 16 digits: String's
      [2 ** 60, 8],
      [2.5, 2], // not an integer: String's
      [-2.5, 2],
      [NaN, 6],
      [Infinity, 6],
      [-Infinity, 6],
      [700, 2],
      [-700, 2],
      [1234, 15],
      [1234, 16], // k out of the table
      [5, 0],
    ];
    for (const [n, k] of cases) expect(scaledText(n, k), `${n} / 10^${k}`).toBe(String(n / 10 ** k));
  });

  it('is String(n / 10^k) for any integer and scale', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.integer({ min: -1e6, max: 1e6 })),
        fc.integer({ min: 0, max: 15 }),
        (n, k) => {
          expect(scaledText(n, k)).toBe(String(n / 10 ** k));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('is String(n / 10^k) for prices and amounts with trailing zeros', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 8 }), (m, z, k) => {
        const n = m * 10 ** z;
        expect(scaledText(n, k)).toBe(String(n / 10 ** k));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('roundedText', () => {
  it('is String(round(x, k))', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: false }), fc.integer({ min: 0, max: 8 }), (x, k) => {
        expect(roundedText(x, k)).toBe(String(round(x, k)));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.double({ min: -1e4, max: 1e4 }), (x) => {
        expect(roundedText(x, 6)).toBe(String(round(x, 6)));
      }),
      { numRuns: 5000 },
    );
    for (const x of [0, -0, -1e-9, 1e-9, 0.5e-6, -0.5e-6, 1.5e-6, 123.4567895, -0.3997, 1e300, -1e300, NaN, Infinity])
      expect(roundedText(x, 6), String(x)).toBe(String(round(x, 6)));
  });
});

/**
 * formatFixed (and so formatMoney, formatPrice, formatQty, formatCash) rounds on numbers when
 * they hold the value exactly: the same text as the BigInt rendering it replaced, for any safe
 * integer, scale, number of places and trim.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { divRound, formatCash, formatFixed, formatMoney } from '../../src/core/money.ts';

/** The BigInt rendering (the implementation before the number path). */
function reference(value: number, decimals: number, opts: { trim?: boolean; places?: number } = {}): string {
  let v = BigInt(value);
  let d = decimals;
  if (opts.places !== undefined && opts.places < decimals) {
    v = divRound(v, 10n ** BigInt(decimals - opts.places), 'half-even');
    d = opts.places;
  }
  const negative = v < 0n;
  const abs = (negative ? -v : v).toString().padStart(d + 1, '0');
  let intPart = abs.slice(0, abs.length - d);
  let frac = d > 0 ? abs.slice(abs.length - d) : '';
  if (opts.trim) frac = frac.replace(/0+$/, '');
  intPart = intPart || '0';
  const out = frac ? `${intPart}.${frac}` : intPart;
  return negative && /[1-9]/.test(out) ? `-${out}` : out;
}

const safe = fc.oneof(
  fc.integer({ min: -(2 ** 53 - 1), max: 2 ** 53 - 1 }),
  fc.integer({ min: -2_000_000, max: 2_000_000 }),
  fc.tuple(fc.integer({ min: -99_999, max: 99_999 }), fc.integer({ min: 0, max: 10 })).map(([m, e]) => m * 10 ** e),
  fc.constantFrom(0, -0, 5, -5, 15, 25, -25, 2 ** 52 - 1, 2 ** 52, -(2 ** 52), 2 ** 53 - 1, -(2 ** 53 - 1)),
);

describe('formatFixed on numbers', () => {
  it('is the BigInt rendering for any value, scale, places and trim', () => {
    fc.assert(
      fc.property(
        safe,
        fc.integer({ min: 0, max: 12 }),
        fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
        fc.boolean(),
        (value, decimals, places, trim) => {
          const opts = { trim, ...(places === undefined ? {} : { places }) };
          expect(formatFixed(value, decimals, opts)).toBe(reference(value, decimals, opts));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('formatCash groups thousands as the regular expression it replaced', () => {
    const cash = (m: number): string => {
      const s = formatMoney(Math.abs(m));
      const [int, frac] = s.split('.');
      const grouped = (int ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
      return `${m < 0 && s !== '0.00' ? '-' : ''}$${grouped}.${frac}`;
    };
    fc.assert(
      fc.property(safe, (m) => {
        expect(formatCash(m)).toBe(cash(m));
      }),
      { numRuns: 20_000 },
    );
  });

  it('rounds halves to even, signs only non-zero results, groups cash', () => {
    expect([5, 15, 25, 35, -5, -15, 149].map((v) => formatFixed(v, 2, { places: 1 }))).toEqual([
      '0.0',
      '0.2',
      '0.2',
      '0.4',
      '0.0',
      '-0.2',
      '1.5',
    ]);
    expect(formatFixed(-4, 6, { places: 2 })).toBe('0.00');
    expect(formatCash(-1_234_567_891)).toBe('-$1,234.57');
    expect(formatCash(2 ** 53 - 1)).toBe('$9,007,199,254.74');
  });
});

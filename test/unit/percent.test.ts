/** Rates and percentages are parsed and shown exactly: no float multiplication on the way. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DecimalParseError, formatPercent, formatRatePercent, parsePercent, parseQty } from '../../src/core/money.ts';
import { formatSizeSpec, parseSizeSpec } from '../../src/core/size-spec.ts';
import { flat, makeEngine } from '../helpers/engine.ts';

describe('percentages', () => {
  it.each([
    ['7%', 70_000, '7%'],
    ['7', 70_000, '7%'],
    ['0.25%', 2_500, '0.25%'],
    ['100%', 1_000_000, '100%'],
    ['0.0001%', 1, '0.0001%'],
    ['33.3333%', 333_333, '33.3333%'],
  ])('parsePercent(%s) = %d ppm, shown as %s', (text, ppm, shown) => {
    expect(parsePercent(text)).toBe(ppm);
    expect(formatPercent(ppm)).toBe(shown);
  });

  it('refuses more decimals than a ppm holds instead of rounding', () => {
    expect(() => parsePercent('0.00001%')).toThrow(DecimalParseError);
  });

  it.each([
    [0.00007, '0.007%'], // 0.00007 * 100 = 0.006999999999999999 in floats
    [0.07, '7%'], // 0.07 * 100 = 7.000000000000001
    [0.0001, '0.01%'],
    [0.00004, '0.004%'],
    [-0.0003, '-0.03%'],
    [0.001, '0.1%'],
    [0, '0%'],
    [1 / 3, '33.3333333333%'],
    [1e-9, '0.0000001%'],
  ])('formatRatePercent(%d) = %s', (rate, shown) => {
    expect(formatRatePercent(rate)).toBe(shown);
  });
});

describe('--size P%', () => {
  it('7% is stored and shown as 7%, not 7.000000000000001%', () => {
    const s = parseSizeSpec('7%');
    expect(s).toEqual({ kind: 'fraction', fraction: 0.07 });
    expect(formatSizeSpec(s)).toBe('7%');
  });

  it('property: every percentage with up to 4 decimals reads back exactly as typed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (ppm) => {
        const typed = formatPercent(ppm);
        const spec = parseSizeSpec(typed);
        expect(formatSizeSpec(spec)).toBe(typed);
        expect(parseSizeSpec(formatSizeSpec(spec))).toEqual(spec);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a percentage with more decimals than it can hold, and out-of-range ones', () => {
    expect(() => parseSizeSpec('7.00001%')).toThrow(/at most 4 decimals/);
    expect(() => parseSizeSpec('0%')).toThrow(/above 0 and at most 100/);
    expect(() => parseSizeSpec('100.5%')).toThrow(/above 0 and at most 100/);
  });

  it('fixed sizes and all read back as typed', () => {
    expect(formatSizeSpec(parseSizeSpec('0.5'))).toBe('0.5');
    expect(formatSizeSpec({ kind: 'fixed', size: parseQty('0.00000001') })).toBe('0.00000001');
    expect(formatSizeSpec(parseSizeSpec('all'))).toBe('all');
  });
});

describe('funding description', () => {
  it('shows the rate as written: 0.007%, not 0.006999999999999999%', () => {
    const { engine, sink } = makeEngine({ spec: { fundingRate: 0.00007 } });
    engine.placeOrder({ accountId: 'A', instrumentId: 'I', side: 'buy', type: 'market', size: parseQty('10'), fillNow: true });
    engine.step('I', flat(100), Date.UTC(2026, 0, 1, 8, 0)); // the 08:00 UTC boundary after T0 (06:00)
    const funding = sink.journals.filter((j) => j.type === 'funding');
    expect(funding.map((j) => j.description)).toEqual(['TEST funding 0.007% of the notional']);
  });
});

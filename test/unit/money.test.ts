import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  applyPpm,
  averagePrice,
  DecimalParseError,
  divMoneyByFactor,
  divRound,
  FixedPointOverflowError,
  formatFixed,
  formatMoney,
  notional,
  parseMoney,
  parsePrice,
  parseQty,
  pnl,
  priceFromFloat,
  type Money,
  type Ppm,
  type Price,
  type Qty,
} from '../../src/core/money.ts';

describe('parseFixed', () => {
  it.each([
    ['10000', 10_000_000_000],
    ['0.1', 100_000],
    ['-2.5', -2_500_000],
    ['1e3', 1_000_000_000],
    ['1.5e-3', 1_500],
    ['.25', 250_000],
    ['+7', 7_000_000],
  ])('parseMoney(%s) = %d', (text, expected) => {
    expect(parseMoney(text)).toBe(expected);
  });

  it.each(['', 'abc', 'NaN', 'Infinity', '1,000', '1.2.3', '--1', '1e', '0x10'])('rejects %j', (text) => {
    expect(() => parseMoney(text)).toThrow(DecimalParseError);
  });

  it('refuses more decimals than the scale instead of rounding', () => {
    expect(() => parseMoney('0.0000001')).toThrow(/at most 6 decimal places/);
    expect(parseQty('0.00000001')).toBe(1);
  });

  it('fails fast past 2^53', () => {
    expect(() => parseMoney('1e999')).toThrow();
    expect(() => parseMoney('9007199254.740992')).toThrow(FixedPointOverflowError);
    expect(parseMoney('9007199254.740991')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('round-trips through formatFixed', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e15, max: 1e15 }), (n) => {
        expect(parseMoney(formatFixed(n, 6))).toBe(n);
      }),
    );
  });
});

describe('formatting', () => {
  it('formats money with 2 places, half-even', () => {
    expect(formatMoney(10_000_000_000)).toBe('10000.00');
    expect(formatMoney(-1_234_565 as Money)).toBe('-1.23');
    expect(formatMoney(1_235_000)).toBe('1.24');
    expect(formatMoney(-4_000 as Money)).toBe('0.00');
    expect(formatFixed(50, 8, { trim: true })).toBe('0.0000005');
  });
});

describe('divRound', () => {
  it.each([
    [7n, 2n, 'half-even', 4n],
    [5n, 2n, 'half-even', 2n],
    [-5n, 2n, 'half-even', -2n],
    [-7n, 2n, 'half-even', -4n],
    [5n, 2n, 'half-up', 3n],
    [-5n, 2n, 'half-up', -3n],
    [7n, 3n, 'down', 2n],
    [-7n, 3n, 'down', -2n],
    [7n, 3n, 'up', 3n],
    [-7n, 3n, 'up', -3n],
    [-7n, 3n, 'floor', -3n],
    [-7n, 3n, 'ceil', -2n],
    [6n, 3n, 'up', 2n],
  ] as const)('%d / %d (%s) = %d', (a, b, mode, q) => {
    expect(divRound(a, b, mode)).toBe(q);
  });
});

describe('products through BigInt', () => {
  const btc = parsePrice('50000.5');
  const one = parseQty('1');
  it('notional of 0.1 BTC at 50,000.50 is 5,000.05 exactly', () => {
    expect(notional(parseQty('0.1'), btc, one)).toBe(parseMoney('5000.05'));
  });
  it('does not lose precision where float would', () => {
    // 0.1 + 0.2 style error: 3 x 0.1 EURUSD lots at 1.10001 x 100,000
    const n = notional(parseQty('0.3'), parsePrice('1.10001'), parseQty('100000'));
    expect(n).toBe(parseMoney('33000.3'));
  });
  it('pnl is signed by side', () => {
    expect(pnl(parseQty('2'), parsePrice('100'), parsePrice('101.5'), one)).toBe(parseMoney('3'));
    expect(pnl(-parseQty('2') as Qty, parsePrice('100'), parsePrice('101.5'), one)).toBe(parseMoney('-3'));
  });
  it('fails fast on overflow', () => {
    expect(() => notional(parseQty('90000000'), parsePrice('90000000'), parseQty('100000'))).toThrow(FixedPointOverflowError);
  });
  it('fees round up; margin divides by leverage rounding up', () => {
    expect(applyPpm(1_000_001 as Money, 500 as Ppm, 'ceil')).toBe(501);
    expect(divMoneyByFactor(10_000_001 as Money, 10)).toBe(1_000_001);
    expect(divMoneyByFactor(10_000_000 as Money, 2.5)).toBe(4_000_000);
  });
  it('averages entries by size', () => {
    expect(averagePrice(parseQty('1'), parsePrice('100'), parseQty('3'), parsePrice('200'))).toBe(parsePrice('175'));
  });
  it('priceFromFloat snaps float noise', () => {
    expect(priceFromFloat(50000.1)).toBe(5_000_010_000_000 as Price);
    expect(priceFromFloat(1.1)).toBe(110_000_000 as Price);
  });
});

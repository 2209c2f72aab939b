/** The command-line value parsers (src/cli/args.ts): one per kind of value, plain decimals only. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import {
  parseDurationArg,
  parseIntArg,
  parseLeverageArg,
  parseMoneyArg,
  parseNumberArg,
  parsePercentArg,
  parsePositiveInt,
  parsePriceArg,
  parseRateArg,
  parseSizeArg,
  parseStrategyTimeout,
  parseTime,
} from '../../src/cli/args.ts';

/** The UsageError message for `fn`, or fails. */
function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const m = (e as Error).message;
    expect(m).not.toContain('\n');
    return m;
  }
  throw new Error('expected a usage error');
}

/** Refused by every decimal parser, whatever the kind. */
const NEVER = [
  '1e3',
  '1E3',
  '2.5e-1',
  '0x10',
  '0b1',
  'abc',
  '',
  ' ',
  '.',
  '1,000',
  '1..2',
  '--5',
  '+-1',
  'NaN',
  'Infinity',
  '-Infinity',
  '5 5',
  '١٢٣',
  '5%5',
];

describe('decimal kinds: size, price, money, rate, leverage, number', () => {
  const parsers: Array<[string, (v: string) => unknown]> = [
    ['size', (v) => parseSizeArg(v, '--size')],
    ['price', (v) => parsePriceArg(v, '--price')],
    ['money', (v) => parseMoneyArg(v, '--balance')],
    ['rate', (v) => parseRateArg(v, '--fee', { max: 0.1 })],
    ['leverage', (v) => parseLeverageArg(v, '--leverage')],
    ['number', (v) => parseNumberArg(v, '--share', { min: 0, max: 1, decimals: 6 })],
  ];
  for (const [kind, parse] of parsers) {
    it(`${kind}: refuses exponents, hex, words and malformed numbers, naming the flag`, () => {
      for (const v of NEVER) expect(usage(() => parse(v))).toMatch(/^--\w+/);
      expect(usage(() => parse('1e3'))).toContain('no exponent');
      expect(usage(() => parse('0x10'))).toContain('no hex');
    });
    it(`${kind}: refuses signs (-0, -1, +1)`, () => {
      for (const v of ['-0', '-1', '+1']) usage(() => parse(v));
    });
  }

  it('accepts plain decimals, surrounding spaces, "5." and ".5", exactly', () => {
    expect(parseSizeArg(' 5', 'SIZE')).toBe(500_000_000);
    expect(parseSizeArg('5.', 'SIZE')).toBe(500_000_000);
    expect(parseSizeArg('.5', 'SIZE')).toBe(50_000_000);
    expect(parseSizeArg('0.00000001', 'SIZE')).toBe(1);
    expect(parsePriceArg('60000.12345678', '--price')).toBe(6_000_012_345_678);
    expect(parseMoneyArg('2500.25', '--balance')).toBe(2_500_250_000);
    expect(parseMoneyArg('0', '--max-daily-loss', { allowZero: true })).toBe(0);
    expect(parseMoneyArg('1.500000000', '--balance')).toBe(1_500_000); // trailing zeros are not extra decimals
  });
  it('refuses zero where the value must be above it, and too many decimals (never rounded)', () => {
    expect(usage(() => parseSizeArg('0', 'SIZE'))).toMatch(/above 0/);
    expect(usage(() => parsePriceArg('0.0', '--price'))).toMatch(/above 0/);
    expect(usage(() => parseMoneyArg('0', '--balance'))).toMatch(/above 0/);
    expect(usage(() => parseSizeArg('0.000000001', 'SIZE'))).toMatch(/at most 8 decimal places/);
    expect(usage(() => parseMoneyArg('1.0000001', '--balance'))).toMatch(/at most 6 decimal places/);
    expect(usage(() => parseLeverageArg('2.555', '--leverage'))).toMatch(/at most 2 decimal places/);
  });
  it('refuses huge values instead of losing precision', () => {
    expect(usage(() => parseMoneyArg('99999999999999999999999', '--balance'))).toMatch(/too large/);
    expect(usage(() => parseMoneyArg('9007199254.740992', '--balance'))).toMatch(/too large/);
    expect(parseMoneyArg('9007199254.740991', '--balance')).toBe(Number.MAX_SAFE_INTEGER);
    expect(usage(() => parsePriceArg('1' + '0'.repeat(400), '--price'))).toMatch(/too large/);
  });
  it('rates are exact parts per million within their bounds; signed only where allowed', () => {
    expect(parseRateArg('0.0005', '--fee', { max: 0.1 })).toBe(500);
    expect(parseRateArg('0.07', '--fee', { max: 0.1 })).toBe(70_000); // not 70000.00000000001
    expect(usage(() => parseRateArg('0.1', '--fee', { max: 0.1, maxExclusive: true }))).toMatch(/below 0.1/);
    expect(usage(() => parseRateArg('0.0000001', '--fee', { max: 0.1 }))).toMatch(/decimal places/);
    expect(parseNumberArg('-0.005', '--funding-rate', { min: -0.01, max: 0.01, decimals: 6 })).toBe(-0.005);
    expect(parseNumberArg('-0', '--funding-rate', { min: -0.01, max: 0.01, decimals: 6 })).toBe(0);
    expect(Object.is(parseNumberArg('-0', '--funding-rate', { min: -0.01, max: 0.01, decimals: 6 }), -0)).toBe(false);
    usage(() => parseNumberArg('-0.02', '--funding-rate', { min: -0.01, max: 0.01, decimals: 6 }));
  });
  it('leverage takes 5, 2.5 or 5x within its bounds; an order has no upper bound here', () => {
    expect(parseLeverageArg('5x', '--leverage')).toBe(5);
    expect(parseLeverageArg('2.5', '--leverage')).toBe(2.5);
    usage(() => parseLeverageArg('0.5', '--leverage'));
    usage(() => parseLeverageArg('126', '--leverage'));
    expect(parseLeverageArg('126', '--leverage', { min: 0, max: null })).toBe(126);
    expect(parseLeverageArg('0.5', '--leverage', { min: 0, max: null })).toBe(0.5);
    usage(() => parseLeverageArg('0', '--leverage', { min: 0, max: null }));
  });
  it('percentages: 20% or 20, above 0 and below 100', () => {
    expect(parsePercentArg('20%', '--max-drawdown')).toBe(20);
    expect(parsePercentArg('0.5', '--max-drawdown')).toBe(0.5);
    for (const v of ['0', '100', '150%', '-5%', '1e1%', '%', 'abc']) usage(() => parsePercentArg(v, '--max-drawdown'));
  });
});

describe('counts and integers', () => {
  it('whole numbers only, in range', () => {
    expect(parsePositiveInt(' 5', '--limit')).toBe(5);
    for (const v of ['0', '-1', '-0', '1.5', '5.', '.5', '1e3', '0x10', '', 'abc', '99999999999999999999'])
      usage(() => parsePositiveInt(v, '--limit'));
    expect(usage(() => parsePositiveInt('1e3', '--limit'))).toContain('no exponent');
    expect(usage(() => parsePositiveInt('1.5', '--limit'))).toContain('no fraction');
    expect(parsePositiveInt('0', '--speed', { min: 0 })).toBe(0);
    usage(() => parsePositiveInt('101', '--walk-forward', { max: 100 }));
  });
  it('signed integers: -0 is 0', () => {
    expect(parseIntArg('-7', '--seed')).toBe(-7);
    expect(Object.is(parseIntArg('-0', '--seed'), -0)).toBe(false);
    for (const v of ['1.5', '1e3', '0x10', '']) usage(() => parseIntArg(v, '--seed'));
  });
});

describe('durations, timestamps, seconds', () => {
  it('durations', () => {
    expect(parseDurationArg('1d12h', '--for')).toBe(36 * 3_600_000);
    for (const v of ['0m', '1.5h', '1e3m', '-1h', '', '1M']) expect(usage(() => parseDurationArg(v, '--for'))).toMatch(/^--for/);
  });
  it('timestamps', () => {
    expect(parseTime('2026-01-31', '--from')).toBe(Date.UTC(2026, 0, 31));
    for (const v of ['yesterday', '2026-02-30', '1e12']) usage(() => parseTime(v, '--from'));
  });
  it('strategy timeout in seconds, milliseconds precision', () => {
    expect(parseStrategyTimeout('0.25')).toBe(250);
    expect(parseStrategyTimeout(undefined)).toBe(1000);
    for (const v of ['0', '0.001', '3601', '1e1', 'never', '0.0001']) usage(() => parseStrategyTimeout(v));
  });
});

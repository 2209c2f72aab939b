import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { closeMinute, lastKnownStart, maxCandlePrice, staleness } from '../../src/core/market-data.ts';
import { parseQty } from '../../src/core/money.ts';
import { bucketStart, DAY_MS, TIMEFRAME_MS, TIMEFRAMES } from '../../src/core/time.ts';
import { parseCandleTime, sniffDelimiter } from '../../src/market/csv-import.ts';

const D = (iso: string) => Date.parse(iso);

describe('when a candle is known and when it is stale', () => {
  it('a 1m candle is known at its own minute, a 1d candle at 23:59 of its day', () => {
    expect(closeMinute(D('2020-04-17T10:05:00Z'), '1m')).toBe(D('2020-04-17T10:05:00Z'));
    expect(closeMinute(D('2020-04-17T00:00:00Z'), '1d')).toBe(D('2020-04-17T23:59:00Z'));
    expect(lastKnownStart(D('2020-04-17T23:59:00Z'), '1d')).toBe(D('2020-04-17T00:00:00Z'));
    expect(lastKnownStart(D('2020-04-17T23:58:00Z'), '1d')).toBe(D('2020-04-16T23:59:00Z')); // the 17th is not complete yet
  });

  it("the issue's example: last price 2020-04-17, 2,048 days before the clock", () => {
    const s = staleness(D('2020-04-17T00:00:00Z'), '1d', D('2020-04-17T23:59:00Z') + 2048 * DAY_MS);
    expect(s?.text).toBe('last price 2020-04-17, 2,048 days before the clock');
  });

  it('the current and the previous bucket are fresh, older ones stale', () => {
    const clock = D('2020-04-20T12:00:00Z'); // a Monday
    expect(staleness(D('2020-04-20T00:00:00Z'), '1d', clock)).toBeNull();
    expect(staleness(D('2020-04-19T00:00:00Z'), '1d', clock)).toBeNull();
    expect(staleness(D('2020-04-17T00:00:00Z'), '1d', clock)?.text).toBe('last price 2020-04-17, 2 days before the clock');
    expect(staleness(D('2020-04-20T11:58:00Z'), '1m', clock)?.text).toBe('last price 2020-04-20 11:58, 2 minutes before the clock');
    expect(staleness(D('2020-04-20T11:59:00Z'), '1m', clock)).toBeNull();
  });

  it('property: a candle is never stale at the minute its close becomes known', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TIMEFRAMES), fc.integer({ min: 0, max: 4_000_000_000 }), (tf, minutes) => {
        const start = bucketStart(minutes * 60_000, tf);
        expect(staleness(start, tf, closeMinute(start, tf))).toBeNull();
        expect(lastKnownStart(closeMinute(start, tf), tf)).toBe(start);
      }),
    );
  });
});

describe('timeframes', () => {
  it('weeks start on Monday 00:00 UTC; 30m and 2h are on their grid', () => {
    expect(bucketStart(D('2020-04-17T15:00:00Z'), '1w')).toBe(D('2020-04-13T00:00:00Z'));
    expect(bucketStart(D('2020-04-13T00:00:00Z'), '1w')).toBe(D('2020-04-13T00:00:00Z'));
    expect(bucketStart(D('2020-04-12T23:59:00Z'), '1w')).toBe(D('2020-04-06T00:00:00Z'));
    expect(bucketStart(D('2020-04-17T15:45:00Z'), '30m')).toBe(D('2020-04-17T15:30:00Z'));
    expect(bucketStart(D('2020-04-17T15:45:00Z'), '2h')).toBe(D('2020-04-17T14:00:00Z'));
    expect(TIMEFRAME_MS['1w']).toBe(7 * DAY_MS);
  });
});

describe('CSV details', () => {
  it("the largest candle price keeps one contract's notional representable", () => {
    expect(Math.floor(maxCandlePrice(parseQty('1')))).toBe(90_071_992);
    expect(Math.floor(maxCandlePrice(parseQty('100000')))).toBe(90_071);
  });

  it.each([
    ['1577923200', D('2020-01-02T00:00:00Z')],
    ['1577923200.5', D('2020-01-02T00:00:00.500Z')],
    ['1577923200000', D('2020-01-02T00:00:00Z')],
    ['1577923200000000', D('2020-01-02T00:00:00Z')],
    ['1577923200000000000', D('2020-01-02T00:00:00Z')],
    ['2020-01-02 01:00:00+01:00', D('2020-01-02T00:00:00Z')],
    ['0x10', null],
    ['', null],
    ['2020-02-30', null],
  ])('time %j', (text, t) => {
    expect(parseCandleTime(text)).toBe(t);
  });

  it('years before 1900 are never moved to the 1900s', () => {
    expect(parseCandleTime('0099-01-01')).toBeLessThan(D('1900-01-01T00:00:00Z'));
  });

  it.each([
    ['a,b;c', ','],
    ['a;b;c', ';'],
    ['a\tb\tc', '\t'],
    ['Date;Open;Close,x', ';'],
    ['', ','],
  ])('delimiter of %j', (line, d) => {
    expect(sniffDelimiter(line)).toBe(d);
  });
});

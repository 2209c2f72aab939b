import { describe, expect, it } from 'vitest';
import { bucketStart, durationProblem, formatDuration, parseDuration, parseIsoTime } from '../../src/core/time.ts';

describe('parseDuration', () => {
  it.each([
    ['15m', 900_000],
    ['4h', 14_400_000],
    ['2d', 172_800_000],
    ['1w', 604_800_000],
    ['1d12h', 129_600_000],
  ])('%s', (s, ms) => {
    expect(parseDuration(s)).toBe(ms);
  });
  it.each(['', '0m', '5', 'm', '-1h', '1.5h', '2y', 'abc'])('rejects %j', (s) => {
    expect(parseDuration(s)).toBeNull();
  });
  it('refuses an upper-case M (months elsewhere) and says why', () => {
    for (const s of ['1M', '30M', '1d1M']) expect(parseDuration(s)).toBeNull();
    expect(parseDuration('1m')).toBe(60_000);
    expect(durationProblem('1M').message).toMatch(/ambiguous.*minutes are written m.*months are not supported/);
    expect(durationProblem('soon').message).toBe('"soon" is not a duration');
  });
  it('formats back', () => {
    expect(formatDuration(129_600_000)).toBe('1d12h');
    expect(formatDuration(0)).toBe('0m');
  });
});

describe('parseIsoTime', () => {
  it.each([
    ['2026-01-31', Date.UTC(2026, 0, 31)],
    ['2026-01-31T12:30', Date.UTC(2026, 0, 31, 12, 30)],
    ['2026-01-31T12:30:15Z', Date.UTC(2026, 0, 31, 12, 30, 15)],
    ['2026-01-31T12:30:15.250Z', Date.UTC(2026, 0, 31, 12, 30, 15, 250)],
    ['2026-01-31T12:30:00+02:00', Date.UTC(2026, 0, 31, 10, 30)],
  ])('%s', (s, t) => {
    expect(parseIsoTime(s)).toBe(t);
  });
  it.each(['yesterday', '2026-02-30', '2026-13-01', '2026-01-01T25:00', '', '1700000000'])('rejects %j', (s) => {
    expect(parseIsoTime(s)).toBeNull();
  });
});

describe('bucketStart', () => {
  it('aligns to UTC buckets', () => {
    const t = Date.UTC(2026, 4, 5, 7, 59, 30);
    expect(bucketStart(t, '4h')).toBe(Date.UTC(2026, 4, 5, 4));
    expect(bucketStart(t, '15m')).toBe(Date.UTC(2026, 4, 5, 7, 45));
    expect(bucketStart(t, '1d')).toBe(Date.UTC(2026, 4, 5));
  });
});

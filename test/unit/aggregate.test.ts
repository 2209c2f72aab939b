import { describe, expect, it } from 'vitest';
import { aggregate, emptyCandles } from '../../src/core/candles.ts';

const M = 60_000;
const T0 = Date.UTC(2026, 0, 1, 0, 0);

function candles(rows: Array<[number, number, number, number, number, number]>) {
  const c = emptyCandles(rows.length);
  rows.forEach(([t, o, h, l, cl, v], i) => {
    c.time[i] = t;
    c.open[i] = o;
    c.high[i] = h;
    c.low[i] = l;
    c.close[i] = cl;
    c.volume[i] = v;
  });
  return c;
}

describe('aggregate', () => {
  // Seven 1m candles from 00:03 to 00:09 fall into the 5m buckets 00:00 (3 candles) and 00:05 (4 candles).
  const src = candles([
    [T0 + 3 * M, 10, 12, 9, 11, 1],
    [T0 + 4 * M, 11, 15, 10, 14, 2],
    [T0 + 5 * M, 14, 14, 13, 13, 3],
    [T0 + 6 * M, 13, 16, 12, 15, 4],
    [T0 + 7 * M, 15, 15, 8, 9, 5],
    [T0 + 9 * M, 9, 10, 9, 10, 6],
    [T0 + 60 * M, 20, 21, 19, 20, 7],
  ]);

  it('builds 5m candles by hand-computed values', () => {
    const a = aggregate(src, '5m');
    expect(Array.from(a.time)).toEqual([T0, T0 + 5 * M, T0 + 60 * M]);
    expect(Array.from(a.open)).toEqual([10, 14, 20]);
    expect(Array.from(a.high)).toEqual([15, 16, 21]);
    expect(Array.from(a.low)).toEqual([9, 8, 19]);
    expect(Array.from(a.close)).toEqual([14, 10, 20]);
    expect(Array.from(a.volume)).toEqual([3, 18, 7]);
  });

  it('builds 1h candles; a gap hour is absent, not flat', () => {
    const a = aggregate(src, '1h');
    expect(Array.from(a.time)).toEqual([T0, T0 + 60 * M]);
    expect([a.open[0], a.high[0], a.low[0], a.close[0], a.volume[0]]).toEqual([10, 16, 8, 10, 21]);
  });

  it('1m is the identity and empty stays empty', () => {
    expect(aggregate(src, '1m')).toBe(src);
    expect(aggregate(emptyCandles(0), '1d').time.length).toBe(0);
  });
});

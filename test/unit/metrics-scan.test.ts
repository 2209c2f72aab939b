/**
 * computeMetrics scans the equity curve once, a month at a time (core/metrics.ts curveStats):
 * every figure equals the one of the three separate loops it replaced (test/helpers/metrics-reference.ts),
 * on curves with flat runs, new peaks, drawdowns, month ends, gaps, unsorted and NaN times.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/core/metrics.ts';
import { referenceMetrics, type RowsInput } from '../helpers/metrics-reference.ts';

const DAY = 86_400_000;

const curve = fc
  .record({
    start: fc.integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2026, 0, 1) }),
    steps: fc.array(
      fc.record({
        dt: fc.oneof(fc.constant(60_000), fc.constant(DAY), fc.integer({ min: 0, max: 40 * DAY }), fc.constant(-DAY), fc.constant(NaN)),
        r: fc.oneof(fc.constant(0), fc.double({ min: -0.2, max: 0.2, noNaN: true }), fc.constant(-1), fc.constant(NaN)),
      }),
      { maxLength: 300 },
    ),
    capital: fc.oneof(fc.constant(10_000), fc.double({ min: -100, max: 1e7, noNaN: true })),
  })
  .map(({ start, steps, capital }) => {
    const equity: number[] = [];
    const times: number[] = [];
    let e = capital;
    let t = start;
    for (const s of steps) {
      e = s.r === -1 ? 0 : e * (1 + s.r);
      t += s.dt;
      equity.push(e);
      times.push(t);
    }
    return { equity, times, capital };
  });

const inputOf = (c: { equity: number[]; times: number[]; capital: number }, typed: boolean): RowsInput => ({
  equity: typed ? Float64Array.from(c.equity) : c.equity,
  times: typed ? Float64Array.from(c.times) : c.times,
  barMs: 60_000,
  initialCapital: c.capital,
  benchmarkFirstClose: 100,
  benchmarkLastClose: 120,
  exposureBars: 3,
  trades: [],
  totalFees: 1,
  totalFunding: 0,
});

describe('computeMetrics over the equity curve in one pass', () => {
  it('gives every figure of the three separate loops', () => {
    fc.assert(
      fc.property(curve, fc.boolean(), (c, typed) => {
        const input = inputOf(c, typed);
        let want: unknown;
        let failed = false;
        try {
          want = referenceMetrics(input);
        } catch {
          failed = true; // e.g. a NaN first time: toISOString throws, in both
        }
        if (failed) expect(() => computeMetrics(input)).toThrow();
        else expect(computeMetrics(input)).toEqual(want);
      }),
      { numRuns: 3000 },
    );
  });

  it('on a long curve crossing many months', () => {
    const n = 200_000;
    const equity = new Float64Array(n);
    const times = new Float64Array(n);
    let e = 1e6;
    for (let i = 0; i < n; i++) {
      e *= 1 + Math.sin(i / 7) * 1e-3;
      equity[i] = e;
      times[i] = Date.UTC(2024, 0, 1) + i * 5 * 60_000;
    }
    const input = { ...inputOf({ equity: [], times: [], capital: 1e6 }, true), equity, times };
    expect(computeMetrics(input)).toEqual(referenceMetrics(input));
  });
});

describe('computeMetrics over the trades in one pass', () => {
  const pnl = fc.oneof(
    fc.constant(0),
    fc.constant(-0),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.integer({ min: -1e4, max: 1e4 }),
  );
  const ret = fc.oneof(fc.constant(0), fc.constant(-0), fc.double({ min: -100, max: 1e3, noNaN: true }), fc.constant(NaN));
  const trades = fc.array(fc.record({ pnl, returnPct: ret }), { maxLength: 60 });

  it('gives the figures of map, filter and reduce, from rows and from columns', () => {
    fc.assert(
      fc.property(trades, (rows) => {
        const input = { ...inputOf({ equity: [100, 101], times: [0, 60_000], capital: 100 }, false), trades: rows };
        const want = referenceMetrics(input);
        expect(JSON.stringify(computeMetrics(input))).toBe(JSON.stringify(want));
        const columns = { pnl: Float64Array.from(rows, (t) => t.pnl), returnPct: rows.map((t) => t.returnPct) };
        expect(JSON.stringify(computeMetrics({ ...input, trades: columns }))).toBe(JSON.stringify(want));
      }),
      { numRuns: 2000 },
    );
  });
});

/** Research (issue 15): walk-forward windows, the min-trades filter, honest benchmarks, annualisation, monthly returns. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMetrics, monthlyReturns, periodsPerYearFor, type MetricsInput } from '../../src/core/metrics.ts';
import { minTradesFilter, trainTestSplit, walkForwardWindows } from '../../src/core/walk-forward.ts';
import { monthlyTable } from '../../src/cli/render/monthly.ts';

const DAY = 86_400_000;
const H = 3_600_000;

describe('train/test and walk-forward windows', () => {
  it('splits a range at the train share', () => {
    expect(trainTestSplit({ from: 0, to: 100 }, 70)).toEqual({ train: { from: 0, to: 70 }, test: { from: 71, to: 100 } });
  });

  it('rolls N windows that end at the range end, test parts in order and without overlap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 10, max: 90 }),
        fc.integer({ min: 0, max: 400 }),
        (n, days, pct, spare) => {
          const windowMs = days * DAY;
          const { needed } = walkForwardWindows({ from: 0, to: 0 }, n, windowMs, pct);
          const range = { from: 5 * DAY, to: 5 * DAY + needed - 1 + spare * H };
          const { splits } = walkForwardWindows(range, n, windowMs, pct);
          expect(splits).toHaveLength(n);
          expect(splits[n - 1]!.test.to).toBe(range.to);
          expect(splits[0]!.train.from).toBeGreaterThanOrEqual(range.from);
          for (const [k, s] of splits.entries()) {
            expect(s.train.to - s.train.from + 1 + (s.test.to - s.test.from + 1)).toBe(windowMs);
            expect(s.test.from).toBe(s.train.to + 1);
            if (k > 0) expect(s.test.from).toBeGreaterThan(splits[k - 1]!.test.to);
          }
          expect(walkForwardWindows({ from: range.from, to: range.from + needed - 2 }, n, windowMs, pct).splits).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('leaves thin combinations out of the ranking, with the reason', () => {
    const { eligible, excluded } = minTradesFilter([{ trades: 1 }, { trades: 5 }, { trades: 12 }], 5);
    expect(eligible).toEqual([{ trades: 5 }, { trades: 12 }]);
    expect(excluded).toEqual([{ row: { trades: 1 }, reason: '1 trade(s), fewer than --min-trades 5' }]);
  });
});

const input = (over: Partial<MetricsInput> = {}): MetricsInput => ({
  equity: [100, 110, 99, 121],
  times: [0, 1, 2, 3].map((i) => Date.UTC(2026, 0, 31, 22) + i * H),
  barMs: H,
  initialCapital: 100,
  benchmarkFirstClose: 50,
  benchmarkLastClose: 55,
  exposureBars: 2,
  trades: [],
  totalFees: 0,
  totalFunding: 0,
  ...over,
});

describe('honest benchmarks and annualisation', () => {
  it('buy & hold pays the spread and the taker fee at both ends: gross and net', () => {
    const m = computeMetrics(input({ benchmarkCosts: { spread: 0.001, feeRate: 0.0005 } }));
    expect(m.buyAndHoldReturnPct).toBe(10);
    expect(m.buyAndHoldNetReturnPct).toBeCloseTo(((55 * 0.9995 * 0.9995) / (50 * 1.0005 * 1.0005) - 1) * 100, 6);
    expect(computeMetrics(input()).buyAndHoldNetReturnPct).toBe(10); // no costs given: net = gross
  });

  it('annualises over 365 days for crypto and forex, 252 for stocks, futures and CFDs, or the override', () => {
    expect(['crypto', 'forex'].map(periodsPerYearFor)).toEqual([365, 365]);
    expect(['stock', 'futures', 'cfd'].map(periodsPerYearFor)).toEqual([252, 252, 252]);
    const m365 = computeMetrics(input());
    const m252 = computeMetrics(input({ periodsPerYear: 252 }));
    expect(m365.periodsPerYear).toBe(365);
    expect(m252.sharpe).toBeCloseTo(m365.sharpe * Math.sqrt(252 / 365), 5);
    expect(m252.volatilityAnnPct).toBeCloseTo(m365.volatilityAnnPct * Math.sqrt(252 / 365), 4);
    expect(m252.cagrPct).toBe(m365.cagrPct); // CAGR stays on calendar time
  });

  it('monthly returns chain from the initial capital across month ends', () => {
    // samples on Jan 31 22:00, 23:00, Feb 1 00:00, 01:00
    expect(monthlyReturns([100, 110, 99, 121], input().times, 100)).toEqual([
      { month: '2026-01', returnPct: 10 },
      { month: '2026-02', returnPct: 10 },
    ]);
    expect(computeMetrics(input()).monthlyReturns).toHaveLength(2);
    const table = monthlyTable([
      { month: '2025-12', returnPct: -10 },
      { month: '2026-01', returnPct: 10 },
      { month: '2026-02', returnPct: 10 },
    ]);
    expect(table.map((y) => y.year)).toEqual(['2025', '2026']);
    expect(table[1]!.months.slice(0, 3)).toEqual([10, 10, null]);
    expect(table[1]!.total).toBeCloseTo(21, 9);
  });

  it('property: the months compound to the total return', () => {
    // each month's return is rounded to 6 decimals (of a percentage): compare relatively
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 100, max: 10_000, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 3 * DAY }),
        (eq, step) => {
          const times = eq.map((_, i) => Date.UTC(2025, 10, 20) + i * step);
          const months = monthlyReturns(eq, times, 1000);
          const compounded = months.reduce((acc, m) => acc * (1 + m.returnPct / 100), 1);
          expect(compounded / (eq[eq.length - 1]! / 1000)).toBeCloseTo(1, 4);
        },
      ),
      { numRuns: 200 },
    );
  });
});

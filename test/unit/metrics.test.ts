import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeMetrics, drawdowns, type ClosedTrade, type MetricsInput } from '../../src/core/metrics.ts';

const H = 3_600_000;
const base = (equity: number[], trades: ClosedTrade[] = []): MetricsInput => ({
  equity,
  times: equity.map((_, i) => Date.UTC(2026, 0, 1) + i * H),
  barMs: H,
  initialCapital: 100,
  benchmarkFirstClose: 50,
  benchmarkLastClose: 55,
  exposureBars: 2,
  trades,
  totalFees: 1.234,
  totalFunding: 0.5,
});
const trade = (pnl: number, returnPct: number): ClosedTrade => ({
  entryTime: 0,
  exitTime: 1,
  side: 'long',
  entryPrice: 1,
  exitPrice: 1,
  size: 1,
  pnl,
  returnPct,
  fees: 0,
  funding: 0,
});

describe('computeMetrics', () => {
  it('hand-computed series 100, 110, 99, 121', () => {
    const m = computeMetrics(base([100, 110, 99, 121], [trade(10, 10), trade(-11, -10), trade(22, 22.2222)]));
    expect(m.returnPct).toBe(21);
    expect(m.buyAndHoldReturnPct).toBe(10);
    expect(m.maxDrawdownPct).toBe(-10); // 99 / 110 - 1
    expect(m.maxDrawdownDurationDays).toBeCloseTo(2 / 24, 4); // from the 110 peak at 1h to the recovery at 3h
    expect(m.peakEquity).toBe(121);
    expect(m.finalEquity).toBe(121);
    // returns 0.1, -0.1, 0.2222...: mean 0.074074, sample sd 0.1634
    const r = [0.1, -0.1, 121 / 99 - 1];
    const mean = r.reduce((a, b) => a + b) / 3;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / 2);
    expect(m.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(8760), 5);
    expect(m.sortino).toBeCloseTo((mean / Math.sqrt(0.01 / 3)) * Math.sqrt(8760), 5);
    expect(m.trades).toBe(3);
    expect(m.winRatePct).toBeCloseTo(66.666667, 5);
    expect(m.profitFactor).toBeCloseTo(32 / 11, 5);
    expect(m.expectancy).toBe(7);
    expect(m.bestTradePct).toBe(22.2222);
    expect(m.worstTradePct).toBe(-10);
    expect(m.exposurePct).toBe(50);
    expect(m.totalFees).toBe(1.23);
    expect(m.durationDays).toBeCloseTo(4 / 24, 4);
  });

  it('a drawdown never recovered lasts to the end; average of distinct troughs', () => {
    const d = drawdowns([100, 90, 100, 80, 85], [0, 1, 2, 3, 4]);
    expect(d.maxPct).toBeCloseTo(-20, 9);
    expect(d.maxDurationMs).toBe(2);
    expect(d.avgPct).toBeCloseTo(-15, 9);
  });

  it('flat equity and no trades: zeros, never NaN; only winners: profit factor null', () => {
    const flat = computeMetrics(base([100, 100, 100]));
    expect(flat.sharpe).toBe(0);
    expect(flat.volatilityAnnPct).toBe(0);
    expect(flat.maxDrawdownPct).toBe(0);
    expect(flat.trades).toBe(0);
    expect(flat.profitFactor).toBeNull();
    expect(computeMetrics(base([100, 101], [trade(1, 1)])).profitFactor).toBeNull();
    expect(JSON.stringify(computeMetrics(base([0, 0, 0])))).not.toMatch(/NaN|Infinity/);
  });

  it('property: finite, drawdown <= 0, peak >= final, deterministic', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e7, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true }), { maxLength: 20 }),
        (eq, pnls) => {
          const input = base(
            eq,
            pnls.map((p) => trade(p, p / 10)),
          );
          const m = computeMetrics(input);
          const json = JSON.stringify(m);
          expect(json).not.toMatch(/NaN|Infinity/);
          expect(m.maxDrawdownPct).toBeLessThanOrEqual(0);
          expect(m.peakEquity).toBeGreaterThanOrEqual(m.finalEquity);
          expect(JSON.stringify(computeMetrics(input))).toBe(json);
        },
      ),
      { numRuns: 200 },
    );
  });
});

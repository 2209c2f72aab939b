import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { emptyCandles } from '../../src/core/candles.ts';
import { candleChart, sparkline } from '../../src/cli/watch/chart.ts';
import { fitLine, layout, table, wrap } from '../../src/cli/watch/view-layout.ts';
import { titleBar } from '../../src/cli/watch/screen.tsx';

const text = (segs: ReadonlyArray<{ text: string }>) => segs.map((s) => s.text).join('');

describe('watch layout', () => {
  it('fills the terminal but its last row, for every size from 80x24', () => {
    fc.assert(
      fc.property(fc.integer({ min: 80, max: 300 }), fc.integer({ min: 24, max: 120 }), (cols, rows) => {
        const L = layout(cols, rows);
        expect(L.chart.width + L.quotes.width).toBe(cols);
        expect(L.positions.width + L.log.width).toBe(cols);
        expect(L.chart.height).toBe(L.quotes.height);
        expect(L.positions.height + L.orders.height).toBe(L.log.height);
        // header + account strip (2) + top + bottom + footer, one row free
        expect(1 + 2 + L.chart.height + L.log.height + 1).toBe(rows - 1);
        expect(Math.min(L.chart.height, L.positions.height, L.orders.height, L.log.height)).toBeGreaterThanOrEqual(4);
        expect(L.chart.width).toBeGreaterThanOrEqual(30);
      }),
    );
  });

  it('fitLine cuts or pads to the exact width', () => {
    expect(text(fitLine([{ text: 'abc' }, { text: 'def' }], 4))).toBe('abcd');
    expect(text(fitLine([{ text: 'ab' }], 5))).toBe('ab   ');
  });

  it('wrap splits at spaces, and inside a word only when it must', () => {
    expect(wrap('bot trend: buy - EMA12 crossed above EMA26', 16)).toEqual(['bot trend: buy -', 'EMA12 crossed', 'above EMA26']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 2, max: 40 }), (t, w) => {
        for (const l of wrap(t, w)) expect(l.length).toBeLessThanOrEqual(w);
      }),
    );
  });

  it('table drops the least important columns first and keeps the order of the rest', () => {
    const cols = [
      { header: 'a', cells: [{ text: 'xxxxxxxx' }], align: 'left' as const, priority: 0 },
      { header: 'b', cells: [{ text: 'yyyyyyyy' }], align: 'left' as const, priority: 2 },
      { header: 'c', cells: [{ text: 'zz' }], align: 'right' as const, priority: 1 },
    ];
    expect(table(cols, 40).map(text)).toEqual(['a        b         c', 'xxxxxxxx yyyyyyyy zz']);
    expect(table(cols, 12).map(text)).toEqual(['a         c', 'xxxxxxxx zz']);
  });

  it('titleBar draws the top border with the title', () => {
    expect(titleBar('log', 12)).toBe('┌─ log ────┐');
    expect(titleBar('log', 12)).toHaveLength(12);
  });
});

describe('watch chart', () => {
  it('sparkline maps the lowest to ▁ and the highest to █, right-aligned', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([5, 5], 4)).toBe('  ▄▄');
    expect(sparkline([], 4)).toBe('');
  });

  it('draws one column per candle, wicks and bodies, at the asked size', () => {
    const c = emptyCandles(2);
    // a rising candle 10 -> 20 (wick 5..25), then a falling one 20 -> 10
    c.time.set([0, 60_000]);
    c.open.set([10, 20]);
    c.close.set([20, 10]);
    c.high.set([25, 20]);
    c.low.set([5, 10]);
    c.volume.set([1, 1]);
    const rows = candleChart(c, { width: 20, height: 10, color: false, label: (p) => p.toFixed(1) });
    expect(rows).toHaveLength(10);
    for (const r of rows) expect(text(r)).toHaveLength(20);
    const plotW = 20 - 7 - 1; // label width max(4, 6) + 1
    const col = (k: number) => rows.map((r) => text(r)[plotW - 2 + k]).join('');
    // rows of 2.0 from 25 down to 5: wick 25..20, body 20..10 (light when rising, in monochrome), wick 10..5
    expect(col(0)).toBe('││░░░░░░││');
    expect(col(1)).toBe('  ██████  ');
    expect(text(rows[0] as never)).toContain('25.0');
    expect(text(rows[9] as never)).toContain('5.0');
    const colored = candleChart(c, { width: 20, height: 10, color: true, label: (p) => p.toFixed(1) });
    expect(colored.flat().some((s) => s.color === 'green')).toBe(true);
    expect(colored.flat().some((s) => s.color === 'red')).toBe(true);
    expect(rows.flat().some((s) => s.color)).toBe(false);
  });
});

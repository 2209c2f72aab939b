/** The report's pure parts: data encoding, metric rows, HTML escaping, indicator placement, account replay, terminal charts. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BlobWriter, decodeColumn } from '../../src/report/encode.ts';
import { metricRows } from '../../src/report/metrics.ts';
import { renderReportHtml } from '../../src/report/html.ts';
import { classifyIndicators } from '../../src/app/report-indicators.ts';
import { replayAccount } from '../../src/app/report-replay.ts';
import { renderCandles, UP_BODY, DOWN_BODY } from '../../src/cli/render/candles-chart.ts';
import { renderEquityChart, HOLD_DOT } from '../../src/cli/render/equity-chart.ts';
import { makeStyle } from '../../src/cli/render/style.ts';
import { parseMoney, parsePrice, parseQty } from '../../src/core/money.ts';
import type { Instrument } from '../../src/store/instruments.ts';
import type { ReportModel } from '../../src/report/model.ts';
import { TEST_SPEC } from '../helpers/engine.ts';
import { chromiumPath } from '../helpers/browser.ts';

const decode = (w: BlobWriter, b64: string, i: number) => decodeColumn(new Uint8Array(Buffer.from(b64, 'base64')), w.columns[i] as never);

describe('report data blob', () => {
  it('gives prices on the tick grid back exactly, delta-coded as ticks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 2_000_000_000 }), { maxLength: 300 }),
        fc.constantFrom(0.01, 0.5, 0.00001, 1),
        (ticks, tick) => {
          const values = ticks.map((k) => Number((k * tick).toFixed(5)));
          const w = new BlobWriter();
          const i = w.add(values, { scale: tick });
          const back = decode(w, w.finish(), i);
          expect(w.columns[i]?.enc).toBe('i32d');
          back.forEach((v, k) => expect(Math.abs(v - (values[k] as number))).toBeLessThan(tick * 1e-6));
        },
      ),
    );
  });

  it('falls back to exact float64 off the grid; display columns keep 7 digits and NaN', () => {
    const w = new BlobWriter();
    const a = w.add([1.005, 2.123456789], { scale: 0.01 });
    const b = w.add([1, NaN, 3.5, 1234.56789, Infinity]);
    const c = w.add([Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1, 0, 1)], { scale: 1000 });
    const blob = w.finish();
    expect(w.columns.map((x) => x.enc)).toEqual(['f64', 'q32d', 'i32d']);
    expect(Array.from(decode(w, blob, a))).toEqual([1.005, 2.123456789]);
    expect(Array.from(decode(w, blob, b)).map((x) => Math.round(x * 1000) / 1000)).toEqual([1, NaN, 3.5, 1234.568, NaN]);
    expect(Array.from(decode(w, blob, c))).toEqual([Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1, 0, 1)]);
    expect(w.columns.every((x) => x.offset % 8 === 0)).toBe(true);
  });
});

describe('metric rows', () => {
  it('keep the exact values of every scalar metric, in order, with readable texts', () => {
    const rows = metricRows([
      { returnPct: 12.3456, trades: 4, profitFactor: null, finalEquity: 11234.5, maxDrawdownDurationDays: 3.25, monthly: { a: 1 } },
    ]);
    expect(rows.map((r) => [r.key, r.values[0], r.texts[0]])).toEqual([
      ['returnPct', 12.3456, '+12.35%'],
      ['trades', 4, '4'],
      ['profitFactor', null, 'n/a'],
      ['finalEquity', 11234.5, '$11,234.50'],
      ['maxDrawdownDurationDays', 3.25, '3.3 days'],
    ]);
  });
});

describe('the HTML page', () => {
  const model = (text: string): ReportModel => ({
    kind: 'backtest',
    title: text,
    subtitle: text,
    generatedAt: 'now',
    banners: [{ level: 'error', text }],
    facts: [{ label: 'why', value: text }],
    sections: [
      {
        kind: 'table',
        id: 'trades',
        title: 'Trades',
        empty: 'none',
        columns: [{ key: 'r', label: 'reason', type: 'text' }],
        rows: [[text]],
      },
    ],
  });

  it('escapes every text: a reason cannot inject markup or end a script', () => {
    const evil = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
    const html = renderReportHtml(model(evil));
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&#60;/script&#62;');
  });

  it('states the charting library and its licence, and loads nothing from outside', () => {
    const html = renderReportHtml(model('x'));
    expect(html).toMatch(/@license\s+\* TradingView Lightweight Charts™ v5/);
    expect(html).toContain('Apache License');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
  });
});

describe('indicator placement', () => {
  it('puts price-like series over the candles and oscillators in panes, MACD together', () => {
    const closes = Float64Array.from({ length: 50 }, (_x, i) => 100 + i);
    const cols = new Map<string, Float64Array>([
      ['ema_12', Float64Array.from(closes, (c) => c * 1.01)],
      ['rsi_14', closes.map(() => 55)],
      ['macd', closes.map(() => 0.5)],
      ['signal', closes.map(() => 0.4)],
      ['hist', closes.map(() => 0.1)],
    ]);
    const r = classifyIndicators(cols, closes);
    expect(r.overlays.map((s) => s.name)).toEqual(['ema_12']);
    expect(r.panes.map((p) => [p.title, p.series.map((s) => `${s.name}:${s.style ?? 'line'}`)])).toEqual([
      ['MACD', ['macd:line', 'signal:line', 'hist:histogram']],
      ['RSI 14', ['rsi_14:line']],
    ]);
  });
});

describe('account replay', () => {
  it('balance from the ledger plus open PnL from the fills, marked at each close', () => {
    const inst: Instrument = { ...TEST_SPEC, id: 'I', origin: 'synthetic', syntheticFrom: null };
    const H = 3_600_000;
    const t0 = Date.UTC(2026, 0, 1);
    const iso = (t: number) => new Date(t).toISOString();
    const ledger = [
      { created_at: iso(t0), balance_after: parseMoney('10000'), entry_type: 'deposit', amount: parseMoney('10000') },
      { created_at: iso(t0 + 2 * H + 5), balance_after: parseMoney('10020'), entry_type: 'trade_pnl', amount: parseMoney('20') },
    ];
    const fill = (t: number, side: 'buy' | 'sell', price: string) => ({
      id: String(t),
      instrument_id: 'I',
      side,
      filled_size: parseQty('2'),
      fill_price: parsePrice(price),
      leverage: 1,
      commission: 0,
      filled_at: iso(t),
      source: 'bot',
      bot_id: null,
      reason: null,
    });
    const grid = [t0 - H, t0, t0 + H, t0 + 2 * H];
    const closes = [100, 100, 105, 111];
    const c = replayAccount(
      grid,
      H,
      ledger,
      [fill(t0 + 10, 'buy', '100'), fill(t0 + 2 * H + 5, 'sell', '110')],
      new Map([['I', inst]]),
      () => closes,
    );
    expect(Array.from(c.balance)).toEqual([NaN, 10000, 10000, 10020]);
    expect(Array.from(c.equity)).toEqual([NaN, 10000, 10010, 10020]); // long 2 from 100, marked at 100, then 105; closed at 110
    expect(c.margin[1]).toBe(200);
    expect(c.margin[3]).toBe(0);
  });
});

describe('terminal charts', () => {
  const plain = makeStyle(false);

  it('candles: up and down bodies differ without colour, wicks span high to low', () => {
    const out = renderCandles({ open: [10, 20], close: [20, 10], high: [21, 22], low: [9, 8] }, { height: 8, decimals: 0, style: plain });
    const rows = out.split('\n');
    const col = (k: number) => rows.slice(0, 8).map((r) => r.slice(r.indexOf('┤') + 1)[k]);
    expect(col(0).filter((c) => c === UP_BODY).length).toBeGreaterThan(3);
    expect(col(1).filter((c) => c === DOWN_BODY).length).toBeGreaterThan(3);
    expect(col(0)).not.toContain(DOWN_BODY);
    expect(col(1)[0]).toBe('│'); // the highest high is candle 2's wick
    expect(rows[8]).toContain(`${UP_BODY} up`);
    expect(out).not.toContain('\x1b[');
  });

  it('equity: the strategy solid, buy & hold dotted, a legend', () => {
    const out = renderEquityChart([100, 101, 102, 103, 104], [104, 103, 102, 101, 100], { height: 6, style: plain });
    expect(out).toMatch(/[─╭╮╰╯]/);
    expect(out).toContain(HOLD_DOT);
    expect(out.split('\n').at(-1)).toContain('── strategy   ··· buy & hold');
    expect(out).not.toContain('\x1b[');
  });
});

describe('report data blob: narrow deltas', () => {
  it('stores most deltas in 1 or 2 bytes and the rest as exceptions, losslessly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -100, max: 100 }), fc.integer({ min: -3e6, max: 3e6 })), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: -1e9, max: 1e9 }),
        (deltas, start) => {
          let v = start;
          const values = deltas.map((d) => (v += d));
          const w = new BlobWriter();
          const i = w.add(values, { scale: 1 });
          expect(Array.from(decode(w, w.finish(), i))).toEqual(values);
        },
      ),
    );
    const w = new BlobWriter();
    const times = Array.from({ length: 1000 }, (_x, k) => Date.UTC(2026, 0, 1) + k * 60_000 + (k > 500 ? 86_400_000 : 0));
    const i = w.add(times, { scale: 1000 });
    expect(w.columns[i]).toMatchObject({ enc: 'i32d', width: 1 });
    expect(w.columns[i]?.x).toHaveLength(4); // the first time and the day's gap
    expect(Array.from(decode(w, w.finish(), i))).toEqual(times);
  });
});

describe('browser tests without a browser', () => {
  it('fail, saying how to install Chromium (they never skip)', () => {
    expect(() => chromiumPath(['/nonexistent/chromium'])).toThrow(/Chromium not found.*apt-get install -y chromium/);
  });
});

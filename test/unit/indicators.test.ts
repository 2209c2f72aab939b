/**
 * Indicators: published reference vectors (each block names its source and the precision it
 * was printed with), exact hand-computed vectors (1e-9 relative), warm-up positions, array form
 * == incremental form, naive re-implementations, and the CLI spec parser.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Atr,
  atr,
  bollinger,
  BollingerBands,
  computeIndicator,
  Ema,
  ema,
  IndicatorSpecError,
  Macd,
  macd,
  MAX_PERIOD,
  parseIndicatorSpec,
  Rsi,
  rsi,
  Sma,
  sma,
} from '../../src/core/indicators/index.ts';
import type { IndicatorSpec } from '../../src/core/indicators/index.ts';
import { TunicoinError } from '../../src/core/errors.ts';
import { TALIB_CLOSE } from '../data/talib-close.ts';

const feed = (ind: { update(x: number): number }, xs: readonly number[]): number[] => xs.map((x) => ind.update(x));
const at = (xs: ArrayLike<number>, i: number): number => xs[i] as number;
/** |actual - expected| <= tol x |expected| (absolute when expected is 0). */
const expectRel = (actual: number, expected: number, tol = 1e-9): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * (expected === 0 ? 1 : Math.abs(expected)));
};
/** |actual - expected| <= tol; the 1e-12 absorbs the binary representation of decimal references. */
const expectAbs = (actual: number, expected: number, tol: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol + 1e-12);
};
/** Expected values printed with `decimals` digits: allow one unit of the last digit, since
 * TA-Lib's tables are sometimes rounded and sometimes truncated. */
const unit = (decimals: number): number => 10 ** -decimals;

// TA-Lib's regression data: ta-lib/src/tools/ta_regtest/test_data.c, TA_SREF_high/low_daily_ref_0_PRIV,
// first 30 bars (the close series is test/data/talib-close.ts, all 252 bars).
const TALIB_HIGH = [
  93.25, 94.94, 96.375, 96.19, 96, 94.72, 95, 93.72, 92.47, 92.75, 96.25, 99.625, 99.125, 92.75, 91.315, 93.25, 93.405, 90.655, 91.97,
  92.25, 90.345, 88.5, 88.25, 85.5, 84.44, 84.75, 84.44, 89.405, 88.125, 89.125,
];
const TALIB_LOW = [
  90.75, 91.405, 94.25, 93.5, 92.815, 93.5, 92, 89.75, 89.44, 90.625, 92.75, 96.315, 96.03, 88.815, 86.75, 90.94, 88.905, 88.78, 89.25,
  89.75, 87.5, 86.53, 84.625, 82.28, 81.565, 80.875, 81.25, 84.065, 85.595, 85.97,
];

describe('TA-Lib regression tables (ta-lib/src/tools/ta_regtest/ta_test_func/*.c) on its test_data.c series', () => {
  // TA-Lib prints 2-4 decimals, sometimes rounded (BBANDS 98.07339 -> 98.0734), sometimes cut
  // (SMA 90.4263 -> 90.42), and checks itself with TA_REAL_EQ(expected, actual, 0.01)
  // (test_util.c). We allow one unit of the last printed digit. Indexes below are bar
  // indexes: TA-Lib's "output index k" is bar begIdx + k.
  const C = TALIB_CLOSE;
  const check = (series: ArrayLike<number>, rows: ReadonlyArray<readonly [bar: number, value: number, decimals: number]>) => {
    for (const [bar, value, d] of rows) expectAbs(at(series, bar), value, unit(d));
  };

  it('test_ma.c SMA(30), SMA(2): first output at bars 29 and 1', () => {
    const s30 = sma(C, 30);
    expect(Number.isNaN(at(s30, 28)) && !Number.isNaN(at(s30, 29))).toBe(true);
    check(s30, [
      [29, 90.42, 2],
      [30, 90.21, 2],
      [31, 89.96, 2],
      [58, 87.12, 2],
      [250, 107.95, 2],
      [251, 108.42, 2],
    ]);
    check(sma(C, 2), [
      [1, 93.15, 2],
      [2, 94.59, 2],
      [3, 94.73, 2],
      [251, 108.31, 2],
    ]);
  });

  it('test_ma.c EMA(10), EMA(2) (SMA-seeded, TA_COMPATIBILITY_DEFAULT)', () => {
    const e10 = ema(C, 10);
    expect(Number.isNaN(at(e10, 8)) && !Number.isNaN(at(e10, 9))).toBe(true);
    check(e10, [
      [9, 93.22, 2],
      [10, 93.75, 2],
      [29, 86.46, 2],
      [251, 108.97, 2],
    ]);
    check(ema(C, 2), [
      [1, 93.15, 2],
      [2, 93.96, 2],
      [251, 108.21, 2],
    ]);
  });

  it('test_rsi.c RSI(14): first output at bar 14', () => {
    const r = rsi(C, 14);
    expect(Number.isNaN(at(r, 13)) && !Number.isNaN(at(r, 14))).toBe(true);
    check(r, [
      [14, 49.14, 2],
      [15, 52.32, 2],
      [16, 46.07, 2],
      [251, 49.63, 2],
    ]);
  });

  it('test_macd.c MACD(12,26,9): all three outputs start at bar 33; macd -1.9738, signal -2.7071', () => {
    const m = macd(C, 12, 26, 9);
    expect(Number.isNaN(at(m.signal, 32)) && !Number.isNaN(at(m.signal, 33))).toBe(true);
    check(m.macd, [[33, -1.9738, 4]]);
    check(m.signal, [[33, -2.7071, 4]]);
    check(m.hist, [[33, -1.9738 - -2.7071, 4]]);
  });

  it('test_bbands.c BBANDS(20, 2, 2, SMA): 98.0734 / 92.8910 / 87.7086 at bar 19', () => {
    const b = bollinger(C, 20, 2);
    expect(Number.isNaN(at(b.middle, 18))).toBe(true);
    check(b.upper, [[19, 98.0734, 4]]);
    check(b.middle, [[19, 92.891, 4]]);
    check(b.lower, [[19, 87.7086, 4]]);
  });

  it('test_stddev.c STDDEV(5): 1.2856, 0.4462, 0.7144; and 0.71435565370949350 (v0.6.4, full precision) to 1e-9', () => {
    const bb = new BollingerBands(5, 1);
    const sd = C.map((x) => {
      bb.update(x);
      return bb.stdev;
    });
    check(sd, [
      [4, 1.2856, 4],
      [5, 0.4462, 4],
      [251, 0.7144, 4],
    ]);
    expectRel(at(sd, 251), 0.7143556537094935);
  });

  it('test_trange.c ATR(14) (first at bar 14) and TRANGE (= ATR(1), first at bar 1)', () => {
    const a = atr(TALIB_HIGH, TALIB_LOW, C.slice(0, 30), 14);
    expect(Number.isNaN(at(a, 13)) && !Number.isNaN(at(a, 14))).toBe(true);
    check(a, [
      [14, 3.578, 3],
      [15, 3.4876, 4],
      [16, 3.55, 2],
      [26, 3.245, 3],
      [27, 3.394, 3],
      [28, 3.413, 3],
    ]);
    check(atr(TALIB_HIGH, TALIB_LOW, C.slice(0, 30), 1), [
      [1, 3.535, 3],
      [13, 9.685, 3],
    ]);
  });
});

describe('StockCharts ChartSchool worked examples (the cs-*.xls spreadsheets on each indicator page)', () => {
  // Columns as published in the spreadsheets (transcribed; the pages' tables round further).
  it('cs-movavg: 10-day SMA (exact 5-decimal values, asserted to 1e-9) and 10-day EMA (shown to 2 decimals)', () => {
    const px = [
      22.2734, 22.194, 22.0847, 22.1741, 22.184, 22.1344, 22.2337, 22.4323, 22.2436, 22.2933, 22.1542, 22.3926, 22.3816, 22.6109, 23.3558,
      24.0519, 23.753, 23.8324, 23.9516, 23.6338, 23.8225, 23.8722, 23.6537, 23.187, 23.0976, 23.326, 22.6805, 23.0976, 22.4025, 22.1725,
    ];
    const sma10 = [
      22.22475, 22.21283, 22.23269, 22.26238, 22.30606, 22.42324, 22.61499, 22.76692, 22.90693, 23.07773, 23.21178, 23.37861, 23.52657,
      23.65378, 23.71139, 23.68557, 23.61298, 23.50573, 23.43225, 23.27734, 23.13121,
    ];
    const ema10 = [
      22.22, 22.21, 22.24, 22.27, 22.33, 22.52, 22.8, 22.97, 23.13, 23.28, 23.34, 23.43, 23.51, 23.54, 23.47, 23.4, 23.39, 23.26, 23.23,
      23.08, 22.92,
    ];
    const s = sma(px, 10);
    const e = ema(px, 10);
    sma10.forEach((v, k) => expectRel(at(s, 9 + k), v));
    ema10.forEach((v, k) => expectAbs(at(e, 9 + k), v, 0.005));
    expect(at(e, 9)).toBe(at(s, 9)); // the EMA seed is the SMA
  });

  it('cs-rsi: 14-day RSI, 4 decimals (first at index 14)', () => {
    const px = [
      44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826, 45.8931, 46.0328, 45.614, 46.282, 46.282,
      46.0028, 46.0328, 46.4116, 46.2222, 45.6439, 46.2122, 46.2521, 45.7137, 46.4515, 45.7835, 45.3548, 44.0288, 44.1783, 44.2181, 44.5672,
      43.4205, 42.6628, 43.1314,
    ];
    const want = [
      70.5328, 66.3186, 66.5498, 69.4063, 66.3552, 57.9749, 62.9296, 63.2571, 56.0593, 62.3771, 54.7076, 50.4228, 39.9898, 41.4605, 41.8689,
      45.4632, 37.304, 33.0795, 37.773,
    ];
    const r = rsi(px, 14);
    expect(Array.from(r.slice(0, 14)).every(Number.isNaN)).toBe(true);
    want.forEach((v, k) => expectAbs(at(r, 14 + k), v, 0.5 * unit(4)));
  });

  it('cs-bbands: Bollinger(20, 2), population deviation; middle exact (1e-9), bands to their 6 decimals', () => {
    const px = [
      86.1557, 89.0867, 88.7829, 90.3228, 89.0671, 91.1453, 89.4397, 89.175, 86.9302, 87.6752, 86.9596, 89.4299, 89.3221, 88.7241, 87.4497,
      87.2634, 89.4985, 87.9006, 89.126, 90.7043, 92.9001, 92.9784, 91.8021, 92.6647, 92.6843, 92.3021, 92.7725, 92.5373, 92.949, 93.2039,
      91.0669, 89.8318, 89.7435, 90.3994, 90.7387, 88.0177, 88.0867, 88.8439, 90.7781, 90.5416, 91.3894, 90.65,
    ];
    const mid = [
      88.70794, 89.04516, 89.239745, 89.390705, 89.5078, 89.68866, 89.7465, 89.91314, 90.081255, 90.382195, 90.65863, 90.863995, 90.88409,
      90.90516, 90.988925, 91.153375, 91.19109, 91.1205, 91.167665, 91.25027, 91.242135, 91.1666, 91.05018,
    ];
    const up = [
      91.291862, 91.949268, 92.612595, 92.9342, 93.31195, 93.72845, 93.899592, 94.266255, 94.565096, 94.786912, 95.043001, 94.907605,
      94.902912, 94.89532, 94.861013, 94.673629, 94.556593, 94.678752, 94.575786, 94.534271, 94.532306, 94.369251, 94.148503,
    ];
    const lo = [
      86.124018, 86.141052, 85.866895, 85.84721, 85.70365, 85.64887, 85.593408, 85.560025, 85.597414, 85.977478, 86.274259, 86.820385,
      86.865268, 86.915, 87.116837, 87.633121, 87.825587, 87.562248, 87.759544, 87.966269, 87.951964, 87.963949, 87.951857,
    ];
    const b = bollinger(px, 20, 2);
    expect(Number.isNaN(at(b.middle, 18))).toBe(true);
    mid.forEach((v, k) => expectRel(at(b.middle, 19 + k), v));
    up.forEach((v, k) => expectAbs(at(b.upper, 19 + k), v, 0.5 * unit(6)));
    lo.forEach((v, k) => expectAbs(at(b.lower, 19 + k), v, 0.5 * unit(6)));
  });

  it('cs-atr: true range column (exact decimals, 1e-9); its ATR is seeded differently (see the comment)', () => {
    // ChartSchool takes high - low as the first bar's TR and seeds ATR at index 13 with the
    // mean of TR[0..13]; TA-Lib (our convention) has no TR on the first bar and seeds at
    // index 14 with the mean of TR[1..14], so the ATR columns differ by a decaying amount.
    // The TR definition itself must agree from the second bar on.
    const h = [
      48.7, 48.72, 48.9, 48.87, 48.82, 49.05, 49.2, 49.35, 49.92, 50.19, 50.12, 49.66, 49.88, 50.19, 50.36, 50.57, 50.65, 50.43, 49.63,
      50.33, 50.29, 50.17, 49.32, 48.5, 48.3201, 46.8, 47.8, 48.39, 48.66, 48.79,
    ];
    const l = [
      47.79, 48.14, 48.39, 48.37, 48.24, 48.635, 48.94, 48.86, 49.5, 49.87, 49.2, 48.9, 49.43, 49.725, 49.26, 50.09, 50.3, 49.21, 48.98,
      49.61, 49.2, 49.43, 48.08, 47.64, 41.55, 44.2833, 47.31, 47.2, 47.9, 47.7301,
    ];
    const c = [
      48.16, 48.61, 48.75, 48.63, 48.74, 49.03, 49.07, 49.32, 49.91, 50.13, 49.53, 49.5, 49.75, 50.03, 50.31, 50.52, 50.41, 49.34, 49.37,
      50.23, 49.2375, 49.93, 48.43, 48.18, 46.57, 45.41, 47.77, 47.72, 48.62, 47.85,
    ];
    const tr = [
      0.91, 0.58, 0.51, 0.5, 0.58, 0.415, 0.26, 0.49, 0.6, 0.32, 0.93, 0.76, 0.45, 0.465, 1.1, 0.48, 0.35, 1.22, 0.65, 0.96, 1.09, 0.9325,
      1.85, 0.86, 6.7701, 2.5167, 2.39, 1.19, 0.94, 1.0599,
    ];
    const a = new Atr(14);
    c.forEach((close, i) => {
      a.update(h[i] as number, l[i] as number, close);
      if (i === 0) expect(a.trueRange).toBeNaN();
      else expectRel(a.trueRange, tr[i] as number);
    });
  });
});

describe('Achelis, Technical Analysis from A to Z (2nd ed.), as transcribed in Tulip Indicators tests/atoz.txt', () => {
  it('p.207 SMA(5), 3 decimals', () => {
    const s = sma([25, 24.875, 24.781, 24.594, 24.5, 24.625, 25.219, 27.25], 5);
    [24.75, 24.675, 24.744, 25.238].forEach((v, k) => expectAbs(at(s, 4 + k), v, 0.5 * unit(3)));
  });

  it('p.299 RSI(5), 4 decimals (first at index 5)', () => {
    const px = [
      37.875, 39.5, 38.75, 39.8125, 40, 39.875, 40.1875, 41.25, 41.125, 41.625, 41.25, 40.1875, 39.9375, 39.9375, 40.5, 41.9375, 42.25,
      42.25, 41.875, 41.875,
    ];
    const want = [
      76.6667, 78.8679, 84.9158, 81.4863, 84.5968, 73.0851, 49.3173, 45.0119, 45.0119, 57.9252, 75.9596, 78.4676, 78.4676, 65.6299, 65.6299,
    ];
    const r = rsi(px, 5);
    expect(at(r, 4)).toBeNaN();
    want.forEach((v, k) => expectAbs(at(r, 5 + k), v, 0.5 * unit(4)));
  });

  it('p.70 ATR(4): the book seeds at index 3 with high-low as the first TR; on this data that seed equals ours at index 4', () => {
    // Book: .125 at index 3, then .1563 = (.125 x 3 + .25) / 4. Ours (TA-Lib): mean(TR[1..4]) =
    // (.0938 + .125 + .1562 + .25) / 4 = .15625 at index 4, so every later value is comparable.
    // The book works in 32nds printed to 4 decimals, so we allow one unit of the 4th decimal.
    const h = [
      12.3125, 12.25, 12.3125, 12.2812, 12.375, 12.375, 12.3125, 12.375, 12.5, 12.5938, 12.3438, 12.4062, 12.375, 12.4062, 12.375, 12.2812,
      12.25, 12.0625, 12.3125, 12.3125,
    ];
    const l = [
      12.1875, 12.1562, 12.1875, 12.125, 12.125, 12.2812, 12.1875, 12.1875, 12.2812, 12.3125, 12.2812, 12.2812, 12.2812, 12.2812, 11.9688,
      12.0938, 12, 11.6562, 12.1562, 12.125,
    ];
    const c = [
      12.25, 12.1875, 12.25, 12.1875, 12.375, 12.3125, 12.2188, 12.3438, 12.5, 12.375, 12.3438, 12.3438, 12.2812, 12.375, 12.0938, 12.1562,
      12.0625, 11.9688, 12.1875, 12.1562,
    ];
    const want = [
      0.1563, 0.1406, 0.1367, 0.1494, 0.1668, 0.1954, 0.17, 0.1587, 0.1425, 0.1381, 0.2052, 0.2007, 0.213, 0.2614, 0.2819, 0.2583,
    ];
    const a = atr(h, l, c, 4);
    expect(at(a, 3)).toBeNaN();
    expectRel(at(a, 4), 0.15625);
    want.forEach((v, k) => expectAbs(at(a, 4 + k), v, unit(4)));
  });

  it('p.73 Bollinger(5, 2) and p.309 standard deviation(5), 4 decimals', () => {
    const px = [
      31.875, 32.125, 32.3125, 32.125, 31.875, 32.3125, 32.25, 32.4375, 32.8125, 32.375, 32.5, 32.4375, 32.75, 33.1875, 33.0625, 33.0625,
      33.125, 33.0625, 32.8125, 32.875, 33.25, 33.125,
    ];
    const lo = [
      31.7271, 31.8279, 31.8452, 31.8176, 31.7323, 32.0422, 32.0992, 32.2023, 32.2268, 32.0552, 32.1927, 32.3546, 32.7354, 33.0, 32.8071,
      32.7451, 32.7029, 32.7029,
    ];
    const mid = [
      32.0625, 32.15, 32.175, 32.2, 32.3375, 32.4375, 32.475, 32.5125, 32.575, 32.65, 32.7875, 32.9, 33.0375, 33.1, 33.025, 32.9875, 33.025,
      33.025,
    ];
    const up = [
      32.3979, 32.4721, 32.5048, 32.5824, 32.9427, 32.8328, 32.8508, 32.8227, 32.9232, 33.2448, 33.3823, 33.4454, 33.3396, 33.2, 33.2429,
      33.2299, 33.3471, 33.3471,
    ];
    const b = bollinger(px, 5, 2);
    lo.forEach((v, k) => expectAbs(at(b.lower, 4 + k), v, 0.5 * unit(4)));
    mid.forEach((v, k) => expectRel(at(b.middle, 4 + k), v)); // exact: means of 1/16ths
    up.forEach((v, k) => expectAbs(at(b.upper, 4 + k), v, 0.5 * unit(4)));
    const bb = new BollingerBands(5, 1);
    const sd = [21.4375, 21.6875, 22.125, 21.5625, 21.8125, 21.4375, 21.5, 21.1875, 20.6875, 20.9375].map((x) => {
      bb.update(x);
      return bb.stdev;
    });
    [0.2358, 0.2358, 0.2531, 0.2016, 0.3758, 0.3052].forEach((v, k) => expectAbs(at(sd, 4 + k), v, 0.5 * unit(4)));
  });
});

describe('NIST StRD univariate certified values (cancellation stressors; certified sample variance x (n-1)/n)', () => {
  it('NumAcc1 {1e7+1, 1e7+2, 1e7+3}: population sd sqrt(2/3), to 1e-12', () => {
    const bb = new BollingerBands(3, 1);
    [1e7 + 1, 1e7 + 2, 1e7 + 3].forEach((x) => bb.update(x));
    expect(bb.middle).toBe(1e7 + 2);
    expectRel(bb.stdev, Math.sqrt(2 / 3), 1e-12);
  });

  it.each([
    [0, 1e-12],
    [999999, 1e-9],
    [9999999, 1e-7],
  ])('NumAcc2-4, base %s: 1001 values, population variance 10/1001 (to %s relative)', (base, tol) => {
    // The inputs themselves are off by up to ulp(base) (1.9e-9 at 1e7) on deviations of 0.1, so
    // the attainable accuracy falls with the base; TA-Lib's test_stddev.c allows 1e-12/1e-8/1e-6.
    const xs = [base + 1.2];
    for (let i = 0; i < 500; i++) xs.push(base + 1.1, base + 1.3);
    const bb = new BollingerBands(1001, 1);
    xs.forEach((x) => bb.update(x));
    expectRel(bb.stdev ** 2, 10 / 1001, tol);
  });
});

describe('exact hand-computed vectors (1e-9 relative)', () => {
  it('SMA(3) of 1..5; a 1e10 spike leaving the window costs no digits (compensated running sum)', () => {
    expect(feed(new Sma(3), [1, 2, 3, 4, 5])).toEqual([NaN, NaN, 2, 3, 4]);
    for (let spike = 4; spike < 8; spike++) {
      // every position within a lap of the ring buffer
      const xs = Array.from({ length: 16 }, (_, i) => (i === spike ? 1e10 : (i + 1) / 10));
      const s = feed(new Sma(4), xs);
      for (let i = spike + 4; i < 16; i++) expectRel(at(s, i), (at(xs, i - 3) + at(xs, i - 2) + at(xs, i - 1) + at(xs, i)) / 4, 1e-14);
    }
  });

  it('EMA(3) of [1, 2, 3, 4, 10]: seed 2 = SMA, then 3, 6.5 (k = 1/2); EMA(n) of a line lags by (n-1)/2', () => {
    expect(feed(new Ema(3), [1, 2, 3, 4, 10])).toEqual([NaN, NaN, 2, 3, 6.5]);
    const line = Array.from({ length: 100 }, (_, i) => 100 + i);
    feed(new Ema(10), line)
      .slice(9)
      .forEach((v, k) => expectRel(v, at(line, 9 + k) - 4.5));
  });

  it('RSI(3) of [10, 11, 10, 12, 12, 9]: 75, 75, 1200/43', () => {
    // changes +1 -1 +2 0 -3; seed gain 3/3 = 1, loss 1/3 -> 75; then gain 2/3, loss 2/9 -> 75;
    // then gain 4/9, loss (4/9 + 3)/3 = 31/27 -> 100 x 12/43.
    const r = feed(new Rsi(3), [10, 11, 10, 12, 12, 9]);
    expect(r.slice(0, 3).every(Number.isNaN)).toBe(true);
    expectRel(at(r, 3), 75);
    expectRel(at(r, 4), 75);
    expectRel(at(r, 5), 1200 / 43);
  });

  it('RSI edge cases: all gains 100, all losses 0, flat 50 (documented), alternating +1/-1 is 50 then 100 x 15/28', () => {
    expect(feed(new Rsi(3), [1, 2, 3, 4, 5]).slice(3)).toEqual([100, 100]);
    expect(feed(new Rsi(3), [5, 4, 3, 2, 1]).slice(3)).toEqual([0, 0]);
    expect(feed(new Rsi(3), [7, 7, 7, 7, 7]).slice(3)).toEqual([50, 50]);
    const r = feed(
      new Rsi(14),
      Array.from({ length: 16 }, (_, i) => 10 + (i % 2)),
    );
    expectRel(at(r, 14), 50); // 7 gains and 7 losses of 1
    expectRel(at(r, 15), (100 * 15) / 28); // gain (0.5 x 13 + 1) / 14, loss 0.5 x 13 / 14
  });

  it('MACD(2, 3, 2) of [3, 1, 4, 1, 5, 9], fast EMA seeded on x[1..2] (TA-Lib alignment)', () => {
    // slow EMA(3), k 1/2: 8/3, 11/6, 41/12, 149/24. fast EMA(2), k 2/3, seeded with (1 + 4)/2
    // at index 2: 5/2, 3/2, 23/6, 131/18. macd: -1/6, -1/3, 5/12, 77/72. signal EMA(2) seeded
    // with (-1/6 - 1/3)/2 at index 3: -1/4, 7/36, 7/9. hist: -1/12, 2/9, 7/24.
    // (Seeding the fast EMA on x[0..1] instead would give macd 2/3 at index 2.)
    const m = new Macd(2, 3, 2);
    const out = [3, 1, 4, 1, 5, 9].map((x) => {
      m.update(x);
      return [m.macd, m.signal, m.hist] as const;
    });
    expect(out[1]?.every(Number.isNaN)).toBe(true);
    expectRel(out[2]?.[0] as number, -1 / 6);
    expect(out[2]?.[1]).toBeNaN();
    const want = [
      [-1 / 3, -1 / 4, -1 / 12],
      [5 / 12, 7 / 36, 2 / 9],
      [77 / 72, 7 / 9, 7 / 24],
    ];
    want.forEach((row, k) => row.forEach((v, j) => expectRel(out[3 + k]?.[j] as number, v)));
  });

  it('MACD(12, 26, 9) of a line: macd = (26 - 12)/2 = 7 from index 25, signal 7 and hist 0 from index 33', () => {
    const m = new Macd(12, 26, 9);
    for (let i = 0; i < 200; i++) {
      m.update(100 + i);
      if (i === 24) expect(m.macd).toBeNaN();
      if (i >= 25) expectRel(m.macd, 7);
      if (i === 32) expect(m.signal).toBeNaN();
      if (i >= 33) {
        expectRel(m.signal, 7);
        expect(Math.abs(m.hist)).toBeLessThan(1e-9);
      }
    }
  });

  it('Bollinger: [2,4,4,4,5,5,7,9] has mean 5 and population sd 2 -> 1/5/9; 1..5 -> 3 +/- 2 sqrt 2; a flat window has sd exactly 0', () => {
    const b8 = new BollingerBands(8, 2);
    [2, 4, 4, 4, 5, 5, 7, 9].forEach((x) => b8.update(x));
    expect([b8.lower, b8.middle, b8.upper, b8.stdev]).toEqual([1, 5, 9, 2]);
    const b5 = new BollingerBands(5, 2);
    [1, 2, 3, 4, 5].forEach((x) => b5.update(x));
    expectRel(b5.upper, 3 + 2 * Math.SQRT2);
    expectRel(b5.lower, 3 - 2 * Math.SQRT2);
    const flat = new BollingerBands(20, 2);
    for (let i = 0; i < 30; i++) flat.update(1.0837);
    expect([flat.lower, flat.middle, flat.upper, flat.stdev]).toEqual([1.0837, 1.0837, 1.0837, 0]);
  });

  it('ATR(2) across a gap up and a gap down: TR 2, 3, 2.5, 0.5 -> ATR 2.5, 2.5, 1.5', () => {
    const a = new Atr(2);
    const bars = [
      [10, 8, 9],
      [11, 9, 10],
      [13, 12, 12.5],
      [12, 10, 11],
      [11.5, 11, 11.2],
    ] as const;
    const out = bars.map(([h, l, c]) => [a.update(h, l, c), a.trueRange]);
    expect(out.map(([, tr]) => tr)).toEqual([NaN, 2, 3, 2.5, 0.5]); // 13 - 10 prev close; 12.5 - 10 low
    expect(out.map(([v]) => v)).toEqual([NaN, NaN, 2.5, 2.5, 1.5]);
  });
});

// Naive re-implementations straight from the definitions (whole arrays, no state machines).
const naiveSma = (x: number[], n: number) => x.map((_, i) => (i < n - 1 ? NaN : x.slice(i - n + 1, i + 1).reduce((a, b) => a + b, 0) / n));
const naiveEma = (x: number[], n: number): number[] => {
  const out = x.map(() => NaN);
  if (x.length < n) return out;
  let e = x.slice(0, n).reduce((a, b) => a + b, 0) / n;
  out[n - 1] = e;
  for (let i = n; i < x.length; i++) out[i] = e = e + (2 / (n + 1)) * (at(x, i) - e);
  return out;
};
const naiveRsi = (x: number[], n: number) => {
  const ch = x.slice(1).map((v, i) => v - at(x, i));
  const out = x.map(() => NaN);
  let g = 0;
  let l = 0;
  ch.forEach((c, i) => {
    const [cg, cl] = [Math.max(c, 0), Math.max(-c, 0)];
    if (i < n) {
      g += cg / n;
      l += cl / n;
    } else {
      g = (g * (n - 1) + cg) / n;
      l = (l * (n - 1) + cl) / n;
    }
    if (i >= n - 1) out[i + 1] = g + l === 0 ? 50 : (100 * g) / (g + l);
  });
  return out;
};
const naiveMacd = (x: number[], f: number, s: number, sig: number) => {
  const fast = [...x.slice(0, s - f).map(() => NaN), ...naiveEma(x.slice(s - f), f)];
  const line = naiveEma(x, s).map((v, i) => at(fast, i) - v);
  const signal = [...line.slice(0, s - 1).map(() => NaN), ...naiveEma(line.slice(s - 1), sig)];
  return { line, signal, hist: line.map((v, i) => v - at(signal, i)) };
};
const naiveSd = (x: number[], n: number) =>
  x.map((_, i) => {
    if (i < n - 1) return NaN;
    const w = x.slice(i - n + 1, i + 1);
    const m = w.reduce((a, b) => a + b, 0) / n;
    return Math.sqrt(w.reduce((a, b) => a + (b - m) ** 2, 0) / n);
  });
const naiveAtr = (h: number[], l: number[], c: number[], n: number) => {
  const tr = c.map((_, i) =>
    i === 0 ? NaN : Math.max(at(h, i) - at(l, i), Math.abs(at(h, i) - at(c, i - 1)), Math.abs(at(l, i) - at(c, i - 1))),
  );
  const out = c.map(() => NaN);
  let a = 0;
  for (let i = 1; i < c.length; i++) {
    if (i <= n) a += at(tr, i) / n;
    else a = (a * (n - 1) + at(tr, i)) / n;
    if (i >= n) out[i] = a;
  }
  return out;
};

const prices = fc.array(fc.double({ min: 1, max: 1e4, noNaN: true }), { minLength: 0, maxLength: 120 });
const bars = prices
  .chain((close) =>
    fc.tuple(
      fc.constant(close),
      fc.array(fc.double({ min: 0, max: 0.2, noNaN: true }), { minLength: close.length, maxLength: close.length }),
      fc.array(fc.double({ min: 0, max: 0.2, noNaN: true }), { minLength: close.length, maxLength: close.length }),
    ),
  )
  .map(([close, up, down]) => ({ close, high: close.map((c, i) => c * (1 + at(up, i))), low: close.map((c, i) => c * (1 - at(down, i))) }));
const specs: fc.Arbitrary<IndicatorSpec> = fc.oneof(
  fc.tuple(fc.constantFrom('sma', 'ema', 'rsi', 'atr'), fc.integer({ min: 1, max: 40 })).map(([k, n]) => parseIndicatorSpec(`${k}:${n}`)),
  fc
    .tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 15 }))
    .map(([f, d, s]) => parseIndicatorSpec(`macd:${f}:${f + d}:${s}`)),
  fc
    .tuple(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0.1, max: 4, noNaN: true }))
    .map(([n, k]) => parseIndicatorSpec(`bb:${n}:${k}`)),
);
/** Feeds the incremental class bar by bar and records every output column. */
const incremental = (spec: IndicatorSpec, b: { close: number[]; high: number[]; low: number[] }): number[][] => {
  switch (spec.kind) {
    case 'sma':
    case 'ema':
    case 'rsi': {
      const ind =
        spec.kind === 'sma' ? new Sma(spec.params.period) : spec.kind === 'ema' ? new Ema(spec.params.period) : new Rsi(spec.params.period);
      return [b.close.map((x) => ind.update(x))];
    }
    case 'atr': {
      const ind = new Atr(spec.params.period);
      return [b.close.map((c, i) => ind.update(at(b.high, i), at(b.low, i), c))];
    }
    case 'macd': {
      const m = new Macd(spec.params.fast, spec.params.slow, spec.params.signal);
      const rows = b.close.map((x) => {
        m.update(x);
        return [m.macd, m.signal, m.hist];
      });
      return [0, 1, 2].map((j) => rows.map((r) => at(r, j)));
    }
    case 'bb': {
      const bb = new BollingerBands(spec.params.period, spec.params.k);
      const rows = b.close.map((x) => {
        bb.update(x);
        return [bb.lower, bb.middle, bb.upper];
      });
      return [0, 1, 2].map((j) => rows.map((r) => at(r, j)));
    }
  }
};
/** First non-NaN index of each output column, as documented. */
const firstIndex = (spec: IndicatorSpec): number[] => {
  switch (spec.kind) {
    case 'sma':
    case 'ema':
      return [spec.params.period - 1];
    case 'rsi':
    case 'atr':
      return [spec.params.period];
    case 'bb':
      return [0, 1, 2].map(() => spec.params.period - 1);
    case 'macd':
      return [spec.params.slow - 1, spec.params.slow + spec.params.signal - 2, spec.params.slow + spec.params.signal - 2];
  }
};

describe('properties over random series (fast-check)', () => {
  it('computeIndicator (array form) equals feeding the incremental class one bar at a time, bit for bit', () => {
    fc.assert(
      fc.property(bars, specs, (b, spec) => {
        const arr = computeIndicator(spec, b).values;
        const inc = incremental(spec, b);
        expect(arr.length).toBe(inc.length);
        arr.forEach((col, j) => {
          expect(col).toBeInstanceOf(Float64Array);
          expect(col.length).toBe(b.close.length);
          col.forEach((v, i) => expect(Object.is(v, at(inc[j] as number[], i))).toBe(true));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('warm-up: NaN exactly before the documented first index (= the class `lookback`), finite from it on', () => {
    fc.assert(
      fc.property(bars, specs, (b, spec) => {
        const first = firstIndex(spec);
        computeIndicator(spec, b).values.forEach((col, j) => col.forEach((v, i) => expect(Number.isNaN(v)).toBe(i < (first[j] as number))));
      }),
      { numRuns: 300 },
    );
    const lookbacks = [new Sma(20), new Ema(20), new Rsi(14), new Atr(14), new BollingerBands(20, 2), new Macd(12, 26, 9)].map(
      (x) => x.lookback,
    );
    expect(lookbacks).toEqual([19, 19, 14, 14, 19, 33]);
    expect(new Macd(12, 26, 9).macdLookback).toBe(25);
  });

  it('every indicator matches a naive re-implementation of its definition to 1e-9', () => {
    fc.assert(
      fc.property(bars, fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 12 }), (b, n, d) => {
        const x = b.close;
        const scale = Math.max(1, ...x);
        const same = (got: ArrayLike<number>, want: number[], tol = 1e-9) =>
          want.forEach((w, i) => {
            const g = at(got, i);
            if (Number.isNaN(w)) expect(g).toBeNaN();
            else expect(Math.abs(g - w)).toBeLessThanOrEqual(tol * scale);
          });
        same(sma(x, n), naiveSma(x, n));
        same(ema(x, n), naiveEma(x, n));
        same(rsi(x, n), naiveRsi(x, n), (1e-9 * 100) / scale);
        same(atr(b.high, b.low, x, n), naiveAtr(b.high, b.low, x, n));
        const bb = bollinger(x, n, 2);
        same(bb.middle, naiveSma(x, n));
        same(
          bb.upper,
          naiveSma(x, n).map((m, i) => m + 2 * at(naiveSd(x, n), i)),
        );
        const m = macd(x, n, n + d, d);
        const want = naiveMacd(x, n, n + d, d);
        same(m.macd, want.line);
        same(m.signal, want.signal);
        same(m.hist, want.hist);
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseIndicatorSpec', () => {
  it('parses every kind, fills defaults, ignores case and surrounding spaces, and gives a canonical text', () => {
    expect(parseIndicatorSpec('ema:10')).toEqual({ kind: 'ema', params: { period: 10 }, text: 'ema:10' });
    expect(parseIndicatorSpec(' RSI:14 ')).toEqual({ kind: 'rsi', params: { period: 14 }, text: 'rsi:14' });
    expect(parseIndicatorSpec('macd:12:26:9')).toEqual({ kind: 'macd', params: { fast: 12, slow: 26, signal: 9 }, text: 'macd:12:26:9' });
    expect(parseIndicatorSpec('bb:20:2')).toEqual({ kind: 'bb', params: { period: 20, k: 2 }, text: 'bb:20:2' });
    expect(parseIndicatorSpec('atr:14')).toEqual({ kind: 'atr', params: { period: 14 }, text: 'atr:14' });
    expect(parseIndicatorSpec('sma:20')).toEqual({ kind: 'sma', params: { period: 20 }, text: 'sma:20' });
    expect(parseIndicatorSpec('macd').text).toBe('macd:12:26:9');
    expect(parseIndicatorSpec('macd:5').params).toEqual({ fast: 5, slow: 26, signal: 9 });
    expect(parseIndicatorSpec('bb:10:2.5').text).toBe('bb:10:2.5');
    expect(parseIndicatorSpec('bb').text).toBe('bb:20:2');
    expect(parseIndicatorSpec('sma').text).toBe('sma:20');
    expect(parseIndicatorSpec('ema:1').params).toEqual({ period: 1 });
    expect(parseIndicatorSpec(`sma:${MAX_PERIOD}`).params).toEqual({ period: MAX_PERIOD });
  });

  it.each([
    ['', /empty/],
    ['  ', /empty/],
    ['wma:3', /unknown indicator "wma"/],
    ['ema:0', /ema period must be an integer from 1/],
    ['ema:1.5', /got "1.5"/],
    ['ema:x', /got "x"/],
    ['ema:-3', /got "-3"/],
    ['ema:1e2', /got "1e2"/],
    ['ema:0x10', /got "0x10"/],
    ['ema:', /got ""/],
    [`rsi:${MAX_PERIOD + 1}`, /rsi period must be an integer from 1 to 100000/],
    ['sma:10:3', /sma takes at most 1 parameter \(period\), got 2/],
    ['macd:12:26:9:1', /at most 3 parameters/],
    ['macd:26:12:9', /macd fast period \(26\) must be below the slow period \(12\)/],
    ['macd:12:12:9', /must be below/],
    ['macd:12:26:0', /macd signal must be an integer/],
    ['bb:20:0', /bb k must be a positive number/],
    ['bb:20:abc', /bb k must be a positive number/],
    ['bb:0:2', /bb period must be an integer/],
  ])('rejects %j with a clear message', (text, message) => {
    let err: unknown;
    try {
      parseIndicatorSpec(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IndicatorSpecError);
    expect(err).toBeInstanceOf(TunicoinError);
    expect(err).toBeInstanceOf(Error);
    const e = err as IndicatorSpecError;
    expect(e.message).toMatch(message);
    expect([e.name, e.kind, e.spec]).toEqual(['IndicatorSpecError', 'usage', text]);
  });
});

describe('computeIndicator and constructors', () => {
  const b = { close: TALIB_CLOSE.slice(0, 30), high: TALIB_HIGH, low: TALIB_LOW };
  it('names its columns and returns one Float64Array per column, as long as the input', () => {
    const cols = ['sma:20', 'ema:10', 'rsi:14', 'atr:14', 'macd:12:26:9', 'bb:20:2'].map((s) => computeIndicator(parseIndicatorSpec(s), b));
    expect(cols.map((o) => o.columns)).toEqual([
      ['sma_20'],
      ['ema_10'],
      ['rsi_14'],
      ['atr_14'],
      ['macd', 'macd_signal', 'macd_hist'],
      ['bb_lower', 'bb_middle', 'bb_upper'],
    ]);
    for (const o of cols)
      for (const v of o.values) {
        expect(v).toBeInstanceOf(Float64Array);
        expect(v.length).toBe(30);
      }
    expect(computeIndicator(parseIndicatorSpec('ema:5'), { high: [], low: [], close: [] }).values[0]?.length).toBe(0);
  });

  it('rejects bad parameters with a RangeError', () => {
    expect(() => new Sma(0)).toThrow(RangeError);
    expect(() => new Ema(2.5)).toThrow(RangeError);
    expect(() => new Rsi(NaN)).toThrow(RangeError);
    expect(() => new Atr(MAX_PERIOD + 1)).toThrow(RangeError);
    expect(() => new Macd(26, 12, 9)).toThrow(/fast period \(26\) must be below/);
    expect(() => new BollingerBands(20, -1)).toThrow(RangeError);
    expect(() => atr([1, 2], [1], [1, 2], 1)).toThrow(/same length/);
  });
});

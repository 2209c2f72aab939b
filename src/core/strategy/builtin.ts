/**
 * Built-in strategies. Each updates its indicators incrementally on every closed candle (no
 * array of history, no allocation per candle) and remembers which rule decided, so `explain()`
 * can say why; the sentence is only formatted when asked for. Numbers that change per candle
 * live in object fields, not in closure variables, where V8 would box every double written.
 *
 * `warmup` is the history a strategy is fed before its first decision. Moving averages with
 * memory (EMA, Wilder's RSI, MACD) never forget their seed, so theirs is long enough for the
 * seed's weight to fall below ~1e-9 (10x an EMA's length, 20x a Wilder length): a run started
 * at a date with warm-up then decides as a run started long before.
 *
 * Crossovers are strict: the fast line was below (or equal to) the slow line on the previous
 * candle and is now above it, or the reverse. mode=long trades long only (the opposite cross
 * closes); mode=long_short reverses on the opposite cross.
 */
import { num, str } from './params.ts';
import type { Decision, Explanation, ParamSpec, Params, PositionSide, Strategy, StrategyCandle, StrategyInstance } from './types.ts';
import { BollingerBands, Ema, Macd, Rsi, Sma } from '../indicators/index.ts';
import { fixed2 } from '../number-text.ts';

const MODE: ParamSpec = {
  name: 'mode',
  kind: 'enum',
  default: 'long',
  choices: ['long', 'long_short'],
  description: 'long only, or reverse on the opposite signal',
};
const fmt = (x: number): string => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? fixed2(x) : x.toPrecision(6)) : 'n/a');
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Shared logic of moving-average crossovers. The reason text is built only when asked for. */
function crossover(kind: 'ema' | 'sma', params: Params): StrategyInstance {
  const fastN = num(params, 'fast');
  const slowN = num(params, 'slow');
  const longShort = str(params, 'mode') === 'long_short';
  const fast = kind === 'ema' ? new Ema(fastN) : new Sma(fastN);
  const slow = kind === 'ema' ? new Ema(slowN) : new Sma(slowN);
  const F = `${kind.toUpperCase()}${fastN}`;
  const S = `${kind.toUpperCase()}${slowN}`;
  const fastKey = `${kind}_${fastN}`;
  const slowKey = `${kind}_${slowN}`;
  // state: 0 warming up, 1 crossed above, -1 crossed below, 2 no cross
  const m = { prevDiff: NaN, f: NaN, s: NaN, close: NaN, state: 0 };
  // the fixed pieces of the reason texts, joined once: a text is then four pieces, not ten
  const pF = `${F} `;
  const above = ` crossed above ${S} `;
  const below = ` crossed below ${S} `;
  const noCross = `no cross: ${F} `;
  const isAbove = ` is above ${S} `;
  const isBelow = ` is below ${S} `;
  const text = (state: number, f: number, s: number): string =>
    state === 0
      ? 'warming up'
      : state === 1
        ? pF + fmt(f) + above + fmt(s)
        : state === -1
          ? pF + fmt(f) + below + fmt(s)
          : noCross + fmt(f) + (f > s ? isAbove : isBelow) + fmt(s);
  const reason = (): string => text(m.state, m.f, m.s);
  return {
    // an SMA forgets all after its length; an EMA's seed weighs (1 - 2/(n+1))^k after k more candles
    warmup: kind === 'sma' ? slowN + 1 : 10 * slowN,
    onCandle(c: StrategyCandle, position: PositionSide): Decision {
      m.close = c.close;
      const diff = (m.f = fast.update(c.close)) - (m.s = slow.update(c.close));
      const was = m.prevDiff;
      m.prevDiff = diff;
      if (!(was === was) || !(diff === diff)) {
        m.state = 0;
        return 'hold';
      }
      if (was <= 0 && diff > 0) {
        m.state = 1;
        return position > 0 ? 'hold' : 'buy';
      }
      if (was >= 0 && diff < 0) {
        m.state = -1;
        return longShort ? (position < 0 ? 'hold' : 'sell') : position > 0 ? 'close' : 'hold';
      }
      m.state = 2;
      return 'hold';
    },
    reason,
    saveReason(out: Float64Array, at: number): void {
      out[at] = m.state;
      out[at + 1] = m.f;
      out[at + 2] = m.s;
    },
    reasonAt: (x: Float64Array, at: number): string => text(x[at] as number, x[at + 1] as number, x[at + 2] as number),
    explain(): Explanation {
      const { f, s, close } = m;
      return { reason: reason(), indicators: { [fastKey]: finite(f), [slowKey]: finite(s), close: finite(close) } };
    },
  };
}

const crossoverParams = (fast: number, slow: number): ParamSpec[] => [
  { name: 'fast', kind: 'int', default: fast, min: 1, max: 1000, description: 'fast moving average length' },
  { name: 'slow', kind: 'int', default: slow, min: 2, max: 2000, description: 'slow moving average length' },
  MODE,
];
const fastBelowSlow = (p: Params): string | null =>
  num(p, 'fast') >= num(p, 'slow') ? `fast (${num(p, 'fast')}) must be below slow (${num(p, 'slow')})` : null;

export const emaCrossover: Strategy = {
  id: 'ema_crossover',
  description: 'Buy when the fast EMA crosses above the slow EMA; exit (or reverse) on the cross below',
  params: crossoverParams(12, 26),
  validate: fastBelowSlow,
  create: (p) => crossover('ema', p),
};

export const smaCrossover: Strategy = {
  id: 'sma_crossover',
  description: 'Buy when the fast SMA crosses above the slow SMA; exit (or reverse) on the cross below',
  params: crossoverParams(20, 50),
  validate: fastBelowSlow,
  create: (p) => crossover('sma', p),
};

export const rsiReversion: Strategy = {
  id: 'rsi_reversion',
  description: 'Buy when RSI falls below oversold; exit when it rises above the exit level (short the mirror in long_short)',
  params: [
    { name: 'period', kind: 'int', default: 14, min: 2, max: 500, description: 'RSI length (Wilder)' },
    { name: 'oversold', kind: 'number', default: 30, min: 1, max: 50, description: 'buy below this' },
    { name: 'overbought', kind: 'number', default: 70, min: 50, max: 99, description: 'sell/short above this' },
    { name: 'exit', kind: 'number', default: 50, min: 1, max: 99, description: 'close when RSI crosses back over this' },
    MODE,
  ],
  validate: (p) => (num(p, 'oversold') >= num(p, 'overbought') ? 'oversold must be below overbought' : null),
  create(p) {
    const n = num(p, 'period');
    const lo = num(p, 'oversold');
    const hi = num(p, 'overbought');
    const exit = num(p, 'exit');
    const longShort = str(p, 'mode') === 'long_short';
    const rsi = new Rsi(n);
    const rsiKey = `rsi_${n}`;
    const v = { r: NaN }; // a field, not a closure variable: a double there is stored unboxed
    // Why the last decision was taken; the text is built only when explain() is called.
    const reasons = [
      () => 'warming up',
      (r: number) => `RSI${n} ${fmt(r)} below oversold ${lo}`,
      (r: number) => `RSI${n} ${fmt(r)} back above ${exit}: take the reversion`,
      (r: number) => `RSI${n} ${fmt(r)} above overbought ${hi}`,
      (r: number) => `RSI${n} ${fmt(r)} back below ${exit}: take the reversion`,
      (r: number) => `RSI${n} ${fmt(r)}: no signal`,
    ];
    const text = (why: number, r: number): string => (reasons[why] as (r: number) => string)(r);
    let why = 0;
    return {
      warmup: 20 * n, // Wilder's smoothing weighs its seed (1 - 1/n)^k after k candles
      onCandle(c, position) {
        const r = (v.r = rsi.update(c.close));
        if (!(r === r)) {
          why = 0;
          return 'hold';
        }
        if (position <= 0 && r < lo) {
          why = 1;
          return 'buy';
        }
        if (position > 0 && r > exit && !(longShort && r > hi)) {
          why = 2;
          return 'close';
        }
        if (longShort && position >= 0 && r > hi) {
          why = 3;
          return 'sell';
        }
        if (position < 0 && r < exit) {
          why = 4;
          return 'close';
        }
        why = 5;
        return 'hold';
      },
      reason: () => text(why, v.r),
      saveReason(out: Float64Array, at: number): void {
        out[at] = why;
        out[at + 1] = v.r;
      },
      reasonAt: (x: Float64Array, at: number): string => text(x[at] as number, x[at + 1] as number),
      explain: () => ({ reason: text(why, v.r), indicators: { [rsiKey]: finite(v.r) } }),
    };
  },
};

export const macdStrategy: Strategy = {
  id: 'macd',
  description: 'Buy when the MACD line crosses above its signal line; exit (or reverse) on the cross below',
  params: [
    { name: 'fast', kind: 'int', default: 12, min: 1, max: 500, description: 'fast EMA' },
    { name: 'slow', kind: 'int', default: 26, min: 2, max: 1000, description: 'slow EMA' },
    { name: 'signal', kind: 'int', default: 9, min: 1, max: 500, description: 'signal EMA of the MACD line' },
    MODE,
  ],
  validate: fastBelowSlow,
  create(p) {
    const m = new Macd(num(p, 'fast'), num(p, 'slow'), num(p, 'signal'));
    const longShort = str(p, 'mode') === 'long_short';
    const v = { prev: NaN };
    const reasons = [
      () => 'warming up',
      (macd: number, signal: number) => `MACD ${fmt(macd)} crossed above signal ${fmt(signal)}`,
      (macd: number, signal: number) => `MACD ${fmt(macd)} crossed below signal ${fmt(signal)}`,
      (_macd: number, _signal: number, hist: number) => `no cross: histogram ${fmt(hist)}`,
    ];
    const text = (why: number, macd: number, signal: number, hist: number): string =>
      (reasons[why] as (macd: number, signal: number, hist: number) => string)(macd, signal, hist);
    let why = 0;
    return {
      warmup: 10 * (num(p, 'slow') + num(p, 'signal')),
      onCandle(c, position) {
        m.update(c.close);
        const hist = m.hist;
        const was = v.prev;
        v.prev = hist;
        if (!(hist === hist) || !(was === was)) {
          why = 0;
          return 'hold';
        }
        if (was <= 0 && hist > 0) {
          why = 1;
          return position > 0 ? 'hold' : 'buy';
        }
        if (was >= 0 && hist < 0) {
          why = 2;
          return longShort ? (position < 0 ? 'hold' : 'sell') : position > 0 ? 'close' : 'hold';
        }
        why = 3;
        return 'hold';
      },
      reason: () => text(why, m.macd, m.signal, m.hist),
      saveReason(out: Float64Array, at: number): void {
        out[at] = why;
        out[at + 1] = m.macd;
        out[at + 2] = m.signal;
        out[at + 3] = m.hist;
      },
      reasonAt: (x: Float64Array, at: number): string =>
        text(x[at] as number, x[at + 1] as number, x[at + 2] as number, x[at + 3] as number),
      explain: () => ({
        reason: text(why, m.macd, m.signal, m.hist),
        indicators: { macd: finite(m.macd), signal: finite(m.signal), hist: finite(m.hist) },
      }),
    };
  },
};

export const bollingerBreakout: Strategy = {
  id: 'bollinger_breakout',
  description: 'Buy on a close above the upper band; exit on a close below the middle band (mirror for shorts)',
  params: [
    { name: 'period', kind: 'int', default: 20, min: 2, max: 1000, description: 'band length' },
    { name: 'k', kind: 'number', default: 2, min: 0.1, max: 10, description: 'band width in standard deviations' },
    MODE,
  ],
  create(p) {
    const n = num(p, 'period');
    const bb = new BollingerBands(n, num(p, 'k'));
    const longShort = str(p, 'mode') === 'long_short';
    const v = { close: NaN };
    // each text shows the close and at most one band (the one the rule compared it with)
    const reasons = [
      () => 'warming up',
      (close: number, band: number) => `close ${fmt(close)} broke above the upper band ${fmt(band)}`,
      (close: number, band: number) => `close ${fmt(close)} broke below the lower band ${fmt(band)}`,
      (close: number, band: number) => `close ${fmt(close)} fell below the middle band ${fmt(band)}`,
      (close: number, band: number) => `close ${fmt(close)} rose above the middle band ${fmt(band)}`,
      (close: number) => `close ${fmt(close)} inside the bands`,
    ];
    const bandOf = (why: number): number => (why === 1 ? bb.upper : why === 2 ? bb.lower : why === 3 || why === 4 ? bb.middle : NaN);
    const text = (why: number, close: number, band: number): string =>
      (reasons[why] as (close: number, band: number) => string)(close, band);
    let why = 0;
    return {
      warmup: n,
      onCandle(c, position) {
        const close = (v.close = c.close);
        bb.update(c.close);
        if (!(bb.middle === bb.middle)) {
          why = 0;
          return 'hold';
        }
        if (position <= 0 && close > bb.upper) {
          why = 1;
          return 'buy';
        }
        if (longShort && position >= 0 && close < bb.lower) {
          why = 2;
          return 'sell';
        }
        if (position > 0 && close < bb.middle) {
          why = 3;
          return 'close';
        }
        if (position < 0 && close > bb.middle) {
          why = 4;
          return 'close';
        }
        why = 5;
        return 'hold';
      },
      reason: () => text(why, v.close, bandOf(why)),
      saveReason(out: Float64Array, at: number): void {
        out[at] = why;
        out[at + 1] = v.close;
        out[at + 2] = bandOf(why);
      },
      reasonAt: (x: Float64Array, at: number): string => text(x[at] as number, x[at + 1] as number, x[at + 2] as number),
      explain: () => ({
        reason: text(why, v.close, bandOf(why)),
        indicators: { bb_lower: finite(bb.lower), bb_middle: finite(bb.middle), bb_upper: finite(bb.upper), close: finite(v.close) },
      }),
    };
  },
};

export const buyAndHold: Strategy = {
  id: 'buy_and_hold',
  description: 'Buy on the first candle and hold to the end (the benchmark)',
  params: [],
  create() {
    const texts = ['waiting for the first candle', 'buy and hold: enter on the first candle', 'holding'];
    let why = 0;
    return {
      warmup: 1,
      onCandle(_c, position) {
        if (position === 0) {
          why = 1;
          return 'buy';
        }
        why = 2;
        return 'hold';
      },
      reason: () => texts[why] as string,
      saveReason(out: Float64Array, at: number): void {
        out[at] = why;
      },
      reasonAt: (x: Float64Array, at: number): string => texts[x[at] as number] as string,
      explain: () => ({ reason: texts[why] as string, indicators: {} }),
    };
  },
};

export const BUILTIN_STRATEGIES: readonly Strategy[] = [
  emaCrossover,
  smaCrossover,
  rsiReversion,
  macdStrategy,
  bollingerBreakout,
  buyAndHold,
];

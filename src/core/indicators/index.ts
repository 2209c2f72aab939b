/**
 * Technical indicators, TA-Lib conventions. Each comes in two forms:
 * - incremental classes (Sma, Ema, Rsi, Macd, BollingerBands, Atr) for bots and backtests:
 *   `update()` once per bar, no allocation, NaN during warm-up, outputs also kept as fields;
 * - array functions (sma, ema, rsi, macd, bollinger, atr) taking `ArrayLike<number>` and
 *   returning index-aligned `Float64Array`s with NaN during warm-up. They run the incremental
 *   classes, so both give exactly the same numbers.
 *
 * First output index (`lookback`): SMA/EMA/Bollinger n-1; RSI and ATR n; MACD line slow-1,
 * signal and histogram slow+signal-2. Details (seeding, smoothing) are in each file's header.
 *
 * For the CLI: `parseIndicatorSpec("macd:12:26:9")` validates a spec and `computeIndicator`
 * runs it over candle columns.
 */
import { TunicoinError } from '../errors.ts';
import { atr } from './atr.ts';
import { bollinger } from './bands.ts';
import { ema, MAX_PERIOD, sma } from './moving.ts';
import { macd, rsi } from './oscillators.ts';

export { Sma, Ema, sma, ema, MAX_PERIOD } from './moving.ts';
export { Rsi, Macd, rsi, macd } from './oscillators.ts';
export type { MacdSeries } from './oscillators.ts';
export { BollingerBands, bollinger } from './bands.ts';
export type { BollingerSeries } from './bands.ts';
export { Atr, atr } from './atr.ts';

const EXAMPLES = 'e.g. sma:20, ema:10, rsi:14, macd:12:26:9, bb:20:2, atr:14';

/** A malformed indicator spec; a usage error (exit code 2 in the CLI). */
export class IndicatorSpecError extends TunicoinError {
  constructor(
    message: string,
    readonly spec: string,
  ) {
    super('usage', message, EXAMPLES);
    this.name = 'IndicatorSpecError';
  }
}

/** Indicator kinds understood by {@link parseIndicatorSpec}. */
export type IndicatorKind = 'sma' | 'ema' | 'rsi' | 'atr' | 'macd' | 'bb';

/** A validated indicator spec; `text` is its canonical form with every parameter, e.g. "bb:20:2". */
export type IndicatorSpec =
  | { readonly kind: 'sma' | 'ema' | 'rsi' | 'atr'; readonly params: { readonly period: number }; readonly text: string }
  | {
      readonly kind: 'macd';
      readonly params: { readonly fast: number; readonly slow: number; readonly signal: number };
      readonly text: string;
    }
  | { readonly kind: 'bb'; readonly params: { readonly period: number; readonly k: number }; readonly text: string };

/** Parameter names and defaults, in spec order; 'k' is a positive decimal, the rest periods. */
const PARAMS: Readonly<Record<IndicatorKind, ReadonlyArray<readonly [name: string, dflt: number]>>> = {
  sma: [['period', 20]],
  ema: [['period', 20]],
  rsi: [['period', 14]],
  atr: [['period', 14]],
  macd: [
    ['fast', 12],
    ['slow', 26],
    ['signal', 9],
  ],
  bb: [
    ['period', 20],
    ['k', 2],
  ],
};

const isKind = (s: string): s is IndicatorKind => Object.prototype.hasOwnProperty.call(PARAMS, s);

/**
 * Parses "kind[:p1[:p2...]]" (case-insensitive, surrounding spaces ignored); missing trailing
 * parameters take their defaults (sma/ema 20, rsi/atr 14, macd 12:26:9, bb 20:2).
 * Periods are integers from 1 to MAX_PERIOD, bb's k a positive decimal, and macd needs
 * fast < slow.
 * @throws IndicatorSpecError with a message naming the offending part.
 */
export function parseIndicatorSpec(text: string): IndicatorSpec {
  const parts = text.trim().toLowerCase().split(':');
  const name = parts[0] ?? '';
  if (name === '') throw new IndicatorSpecError(`empty indicator spec "${text}"`, text);
  if (!isKind(name))
    throw new IndicatorSpecError(`unknown indicator "${name}" in "${text}" (known: ${Object.keys(PARAMS).join(', ')})`, text);
  const defs = PARAMS[name];
  const raw = parts.slice(1);
  if (raw.length > defs.length) {
    throw new IndicatorSpecError(
      `${name} takes at most ${defs.length} parameter${defs.length > 1 ? 's' : ''} (${defs.map(([p]) => p).join(':')}), got ${raw.length} in "${text}"`,
      text,
    );
  }
  const v = defs.map(([param, dflt], i) => {
    const s = raw[i];
    if (s === undefined) return dflt;
    if (param === 'k') {
      const k = /^(\d+(\.\d*)?|\.\d+)$/.test(s) ? Number(s) : NaN;
      if (!(k > 0 && k <= 1000))
        throw new IndicatorSpecError(`${name} ${param} must be a positive number up to 1000, got "${s}" in "${text}"`, text);
      return k;
    }
    const p = /^\d+$/.test(s) ? Number(s) : NaN;
    if (!(p >= 1 && p <= MAX_PERIOD))
      throw new IndicatorSpecError(`${name} ${param} must be an integer from 1 to ${MAX_PERIOD}, got "${s}" in "${text}"`, text);
    return p;
  });
  const [a = 0, b = 0, c = 0] = v;
  const canon = `${name}:${v.join(':')}`;
  switch (name) {
    case 'macd':
      if (a >= b) throw new IndicatorSpecError(`macd fast period (${a}) must be below the slow period (${b}) in "${text}"`, text);
      return { kind: name, params: { fast: a, slow: b, signal: c }, text: canon };
    case 'bb':
      return { kind: name, params: { period: a, k: b }, text: canon };
    default:
      return { kind: name, params: { period: a }, text: canon };
  }
}

/** Candle columns an indicator reads; only ATR uses high and low. */
export interface IndicatorInput {
  readonly high: ArrayLike<number>;
  readonly low: ArrayLike<number>;
  readonly close: ArrayLike<number>;
}

/** Output columns, each index-aligned with the input (NaN during warm-up). */
export interface IndicatorOutput {
  readonly columns: string[];
  readonly values: Float64Array[];
}

/**
 * Runs a spec over candle columns. Columns: `sma_20`, `ema_10`, `rsi_14`, `atr_14`;
 * `macd`, `macd_signal`, `macd_hist`; `bb_lower`, `bb_middle`, `bb_upper`.
 */
export function computeIndicator(spec: IndicatorSpec, input: IndicatorInput): IndicatorOutput {
  switch (spec.kind) {
    case 'sma':
      return { columns: [`sma_${spec.params.period}`], values: [sma(input.close, spec.params.period)] };
    case 'ema':
      return { columns: [`ema_${spec.params.period}`], values: [ema(input.close, spec.params.period)] };
    case 'rsi':
      return { columns: [`rsi_${spec.params.period}`], values: [rsi(input.close, spec.params.period)] };
    case 'atr':
      return { columns: [`atr_${spec.params.period}`], values: [atr(input.high, input.low, input.close, spec.params.period)] };
    case 'macd': {
      const m = macd(input.close, spec.params.fast, spec.params.slow, spec.params.signal);
      return { columns: ['macd', 'macd_signal', 'macd_hist'], values: [m.macd, m.signal, m.hist] };
    }
    case 'bb': {
      const b = bollinger(input.close, spec.params.period, spec.params.k);
      return { columns: ['bb_lower', 'bb_middle', 'bb_upper'], values: [b.lower, b.middle, b.upper] };
    }
  }
}

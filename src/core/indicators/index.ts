/**
 * Indicators, incremental (one candle at a time, for bots and backtests) and over arrays (for
 * the `indicators` command). The array versions run the incremental ones, so both give exactly
 * the same numbers. Specs for the CLI: "sma:20", "ema:10", "rsi:14", "macd:12:26:9", "bb:20:2", "atr:14".
 */
import { TunicoinError } from '../errors.ts';
import { BollingerBands } from './bands.ts';
import { Sma, Ema } from './moving.ts';
import { Atr, Macd, Rsi } from './oscillators.ts';

export { Sma, Ema } from './moving.ts';
export { Rsi, Macd, Atr } from './oscillators.ts';
export { BollingerBands } from './bands.ts';

export class IndicatorSpecError extends TunicoinError {
  constructor(message: string) { super('usage', message, 'e.g. ema:10, rsi:14, macd:12:26:9, bb:20:2, atr:14, sma:20'); this.name = 'IndicatorSpecError'; }
}

export type IndicatorKind = 'sma' | 'ema' | 'rsi' | 'macd' | 'bb' | 'atr';
export interface IndicatorSpec { readonly kind: IndicatorKind; readonly args: readonly number[]; readonly text: string }

const ARITY: Record<IndicatorKind, { defaults: number[]; ints: boolean[] }> = {
  sma: { defaults: [20], ints: [true] }, ema: { defaults: [20], ints: [true] }, rsi: { defaults: [14], ints: [true] },
  macd: { defaults: [12, 26, 9], ints: [true, true, true] }, bb: { defaults: [20, 2], ints: [true, false] }, atr: { defaults: [14], ints: [true] },
};

export function parseIndicatorSpec(text: string): IndicatorSpec {
  const parts = text.trim().toLowerCase().split(':');
  const kind = parts[0] as IndicatorKind;
  const a = ARITY[kind];
  if (!a) throw new IndicatorSpecError(`unknown indicator "${parts[0]}"`);
  if (parts.length - 1 > a.defaults.length) throw new IndicatorSpecError(`${kind} takes at most ${a.defaults.length} parameter(s): "${text}"`);
  const args = a.defaults.map((d, k) => {
    const raw = parts[k + 1];
    if (raw === undefined || raw === '') return d;
    const v = Number(raw);
    if (!Number.isFinite(v) || v <= 0 || (a.ints[k] && !Number.isInteger(v)) || v > 5000) throw new IndicatorSpecError(`bad parameter "${raw}" in "${text}"`);
    return v;
  });
  if (kind === 'macd' && (args[0] as number) >= (args[1] as number)) throw new IndicatorSpecError(`macd fast (${args[0]}) must be below slow (${args[1]})`);
  if ((kind === 'rsi' || kind === 'atr') && (args[0] as number) < 2) throw new IndicatorSpecError(`${kind} needs a period of at least 2`);
  return { kind, args, text: `${kind}:${args.join(':')}` };
}

export interface IndicatorInput { readonly high: ArrayLike<number>; readonly low: ArrayLike<number>; readonly close: ArrayLike<number> }
export interface IndicatorOutput { readonly columns: string[]; readonly values: Float64Array[] }

export function computeIndicator(spec: IndicatorSpec, input: IndicatorInput): IndicatorOutput {
  const n = input.close.length;
  const [a = 0, b = 0, c = 0] = spec.args;
  const out = (k: number) => Array.from({ length: k }, () => new Float64Array(n));
  switch (spec.kind) {
    case 'sma': case 'ema': case 'rsi': {
      const ind = spec.kind === 'sma' ? new Sma(a) : spec.kind === 'ema' ? new Ema(a) : new Rsi(a);
      const [v] = out(1) as [Float64Array];
      for (let i = 0; i < n; i++) v[i] = ind.update(input.close[i] as number);
      return { columns: [`${spec.kind}_${a}`], values: [v] };
    }
    case 'macd': {
      const m = new Macd(a, b, c);
      const [l, s, h] = out(3) as [Float64Array, Float64Array, Float64Array];
      for (let i = 0; i < n; i++) { m.update(input.close[i] as number); l[i] = m.macd; s[i] = m.signal; h[i] = m.hist; }
      return { columns: ['macd', 'macd_signal', 'macd_hist'], values: [l, s, h] };
    }
    case 'bb': {
      const bb = new BollingerBands(a, b);
      const [lo, mid, up] = out(3) as [Float64Array, Float64Array, Float64Array];
      for (let i = 0; i < n; i++) { bb.update(input.close[i] as number); lo[i] = bb.lower; mid[i] = bb.middle; up[i] = bb.upper; }
      return { columns: ['bb_lower', 'bb_middle', 'bb_upper'], values: [lo, mid, up] };
    }
    case 'atr': {
      const atr = new Atr(a);
      const [v] = out(1) as [Float64Array];
      for (let i = 0; i < n; i++) v[i] = atr.update(input.high[i] as number, input.low[i] as number, input.close[i] as number);
      return { columns: [`atr_${a}`], values: [v] };
    }
  }
}

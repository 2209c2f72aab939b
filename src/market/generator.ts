/**
 * Synthetic 1-minute market: a seeded random walk, fully deterministic.
 *
 * Model (per instrument, per minute):
 * - log(close/open) = sigma_m * v_t * z,  z ~ N(0,1),  sigma_m = dailyVol / sqrt(1440).
 *   No drift: over 30 days the walk is a martingale in log space.
 * - v_t is a slowly mean-reverting volatility multiplier, exp(x_t / 2) with x_t an
 *   Ornstein-Uhlenbeck process (half-life ~ 6 h, stationary sd 0.5), so calm and busy hours
 *   cluster as in real markets while the average daily volatility stays ~dailyVol.
 * - open = previous close (no gaps inside generated history).
 * - high/low extend beyond max/min(open, close) by |N(0,1)| * sigma_m * v_t * 0.5 of the price
 *   (a cheap stand-in for the Brownian-bridge excursion).
 * - every price is rounded to the tick grid (high up, low down) and kept >= one tick.
 * - volume (contracts) = meanVolume * lognormal(sd 0.5, mean 1) * (0.5 + 0.5 * |z|) * v_t,
 *   rounded to 1e-4: bigger moves and busier regimes trade more.
 *
 * Determinism: the generator state is seeded from (seed, symbol, stream), never from the wall
 * clock, so the same seed gives the same prices and volumes whatever the timestamps are.
 * xoroshiro128+ from pure-rand; normals by Box-Muller.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Candles } from '../core/candles.ts';
import { PRICE_SCALE, type Price } from '../core/money.ts';

export interface GeneratorInput {
  readonly seed: number;
  readonly symbol: string;
  /** Distinguishes the initial history (0) from later extensions (their start time). */
  readonly stream: number;
  readonly startPrice: Price;
  readonly tickSize: Price;
  readonly dailyVol: number;
  readonly meanVolume: number;
  readonly startTime: number;
  readonly count: number;
  readonly stepMs?: number;
  /** Carry the volatility regime across extensions; 0 for a fresh history. */
  readonly startVolState?: number;
}

/** Generated candles (core's one candle shape) and the volatility state after the last, to continue the walk. */
export interface CandleColumns extends Readonly<Candles> {
  readonly endVolState: number;
}

/** FNV-1a over a string, to a 32-bit seed. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

const TWO_PI = 2 * Math.PI;
const OU_KEEP = Math.exp(-Math.LN2 / 360); // half-life 360 minutes
const OU_SHOCK = 0.5 * Math.sqrt(1 - OU_KEEP * OU_KEEP); // stationary sd 0.5

export function generateCandles(input: GeneratorInput): CandleColumns {
  const { count, tickSize } = input;
  const step = input.stepMs ?? 60_000;
  const rng = xoroshiro128plus(hashSeed(`${input.seed}:${input.symbol}:${input.stream}`));
  // Uniform in (0, 1): 53 random bits, never exactly 0 (log(0) in Box-Muller).
  const uniform = (): number => ((rng.next() >>> 5) * 67108864 + (rng.next() >>> 6) + 0.5) / 9007199254740992;
  let spare = NaN;
  const normal = (): number => {
    if (spare === spare) {
      const s = spare;
      spare = NaN;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const th = TWO_PI * uniform();
    spare = r * Math.sin(th);
    return r * Math.cos(th);
  };

  const time = new Float64Array(count);
  const open = new Float64Array(count);
  const high = new Float64Array(count);
  const low = new Float64Array(count);
  const close = new Float64Array(count);
  const volume = new Float64Array(count);
  const sigma = input.dailyVol / Math.sqrt(1440);
  const tick = tickSize as number;
  let x = input.startVolState ?? 0;
  let prevTicks = Math.max(1, Math.round(input.startPrice / tick));
  // Bias correction so that E[exp(x/2)] ~ 1 with sd(x) = 0.5.
  const volNorm = Math.exp((-0.25 * 0.25) / 2);
  for (let i = 0; i < count; i++) {
    x = x * OU_KEEP + OU_SHOCK * normal();
    const v = Math.exp(x / 2) * volNorm;
    const z = normal();
    const o = prevTicks * tick;
    const cRaw = o * Math.exp(sigma * v * z);
    const cTicks = Math.max(1, Math.round(cRaw / tick));
    const up = Math.abs(normal()) * sigma * v * 0.5;
    const down = Math.abs(normal()) * sigma * v * 0.5;
    const top = Math.max(prevTicks, cTicks);
    const bottom = Math.min(prevTicks, cTicks);
    const hTicks = Math.max(top, Math.ceil((top * tick * (1 + up)) / tick - 1e-9));
    const lTicks = Math.max(1, Math.min(bottom, Math.floor((bottom * tick * (1 - down)) / tick + 1e-9)));
    const vol = input.meanVolume * Math.exp(0.5 * normal() - 0.125) * (0.5 + 0.5 * Math.abs(z)) * v;
    time[i] = input.startTime + i * step;
    open[i] = (prevTicks * tick) / PRICE_SCALE;
    close[i] = (cTicks * tick) / PRICE_SCALE;
    high[i] = (hTicks * tick) / PRICE_SCALE;
    low[i] = (lTicks * tick) / PRICE_SCALE;
    volume[i] = Math.max(0.0001, Math.round(vol * 10_000) / 10_000);
    prevTicks = cTicks;
  }
  return { time, open, high, low, close, volume, endVolState: x };
}

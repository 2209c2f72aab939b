/**
 * Timeframe candles from base candles, for every runner of a strategy (strategy-runner.ts). A
 * timeframe candle is the UTC-aligned bucket [time, time + timeframe) of the base candles (1m,
 * or the instrument's stored timeframe) inside it: open of the first, close of the last, max
 * high, min low, summed volume, like `candles --timeframe`. A bucket with no candle does not exist.
 */
import type { Bar } from '../core/fill.ts';
import type { StrategyCandle } from '../core/strategy/types.ts';

/** The bucketing rule, shared by every runner of a strategy. */
export class Buckets {
  // `declare`: no field initialised to undefined first, which would make V8 store the numbers
  // tagged (a type check at every read in the backtest's per-candle loop)
  declare readonly tfMs: number;
  declare readonly baseMs: number;
  /** Start of the current bucket (NaN before the first). */
  time = NaN;
  /** Its end (exclusive). */
  end = -Infinity;
  /** A bucket has started and not yet closed. */
  open = false;

  constructor(tfMs: number, baseMs: number) {
    this.tfMs = tfMs;
    this.baseMs = baseMs;
  }

  /** Start the bucket of the candle at `t` (the caller closes the previous one first). */
  begin(t: number): void {
    this.time = Math.floor(t / this.tfMs) * this.tfMs;
    this.end = this.time + this.tfMs;
    this.open = true;
  }

  /** With the clock at the candle starting at `t` processed, the bucket has reached its end. */
  completeAt(t: number): boolean {
    return t + this.baseMs >= this.end;
  }
}

/** A running OHLCV fold of the base candles of one bucket (bots, warm-up from history). */
export class CandleFold implements StrategyCandle {
  time = 0;
  open = 0;
  high = 0;
  low = 0;
  close = 0;
  volume = 0;
  /** Base candles folded in (private: the object is shown to strategies as a plain candle). */
  #count = 0;

  reset(time: number): void {
    this.time = time;
    this.#count = 0;
    this.volume = 0;
  }

  add(b: Bar): void {
    if (this.#count === 0) {
      this.open = b.open;
      this.high = b.high;
      this.low = b.low;
    } else {
      if (b.high > this.high) this.high = b.high;
      if (b.low < this.low) this.low = b.low;
    }
    this.close = b.close;
    this.volume += b.volume;
    this.#count++;
  }

  /** A plain copy (the fold is reused). */
  copy(): StrategyCandle {
    return { time: this.time, open: this.open, high: this.high, low: this.low, close: this.close, volume: this.volume };
  }
}

/**
 * Feed base candles (columns, in time order) through `Buckets`: `onClose(candle)` for every
 * bucket closed by a later candle or, at the end, by `clock` having reached its end.
 * Returns the bucket still open at the end, if any (its fold holds what it has so far).
 */
export function foldBuckets(
  b: Buckets,
  fold: CandleFold,
  cols: {
    time: ArrayLike<number>;
    open: ArrayLike<number>;
    high: ArrayLike<number>;
    low: ArrayLike<number>;
    close: ArrayLike<number>;
    volume: ArrayLike<number>;
  },
  clock: number,
  onClose: (c: CandleFold) => void,
): void {
  const bar = { open: 0, high: 0, low: 0, close: 0, volume: 0 };
  for (let i = 0; i < cols.time.length; i++) {
    const t = cols.time[i] as number;
    if (t >= b.end) {
      if (b.open) {
        b.open = false;
        onClose(fold);
      }
      b.begin(t);
      fold.reset(b.time);
    }
    bar.open = cols.open[i] as number;
    bar.high = cols.high[i] as number;
    bar.low = cols.low[i] as number;
    bar.close = cols.close[i] as number;
    bar.volume = cols.volume[i] as number;
    fold.add(bar);
    if (b.completeAt(t)) {
      b.open = false;
      onClose(fold);
    }
  }
  if (b.open && b.completeAt(clock)) {
    b.open = false;
    onClose(fold);
  }
}

/**
 * The stored candles that can warm a strategy up before `start`: complete buckets before the
 * bucket of `start`, enough for `warmup` timeframe candles with room for gaps (weekends,
 * holidays: a daily stock series has ~252 candles a year). [from, to], inclusive.
 */
export function warmupWindow(start: number, tfMs: number, warmup: number): { from: number; to: number } {
  const to = Math.floor(start / tfMs) * tfMs - 1;
  return { from: to + 1 - Math.ceil(warmup * 1.5) * tfMs - 7 * 86_400_000, to };
}

/**
 * The closed timeframe candle a backtest shows its strategy, over a run of 1m candles
 * [from, to). Open and close are set directly; high, low and volume are folded from the 1m
 * candles only when read, since most strategies look at the close alone and the fold would
 * otherwise touch every 1m candle of the range. They are own enumerable getters, so the object
 * still spreads, serialises and lists its keys like a plain { time, open, high, low, close, volume }.
 *
 * One object is reused for every candle of a run: a strategy must copy what it keeps.
 */
import type { StrategyCandle } from '../core/strategy/types.ts';
import type { Candles } from '../core/candles.ts';

export class BucketCandle implements StrategyCandle {
  declare time: number;
  declare open: number;
  declare high: number;
  declare low: number;
  declare close: number;
  declare volume: number;
  readonly #candles: Candles;
  #from = 0;
  #to = 0;
  #folded = false;
  #h = 0;
  #l = 0;
  #v = 0;

  // Shared accessor pairs: every instance then has the same hidden class, so code that reads
  // candles stays monomorphic across runs (a closure per instance would give each its own).
  static readonly #high: PropertyDescriptor = {
    get(this: BucketCandle) {
      return this.#fold().#h;
    },
    set(this: BucketCandle, x: number) {
      this.#fold().#h = x;
    },
    enumerable: true,
  };
  static readonly #low: PropertyDescriptor = {
    get(this: BucketCandle) {
      return this.#fold().#l;
    },
    set(this: BucketCandle, x: number) {
      this.#fold().#l = x;
    },
    enumerable: true,
  };
  static readonly #volume: PropertyDescriptor = {
    get(this: BucketCandle) {
      return this.#fold().#v;
    },
    set(this: BucketCandle, x: number) {
      this.#fold().#v = x;
    },
    enumerable: true,
  };

  constructor(candles: Candles) {
    this.#candles = candles;
    // in the order of a plain candle; writing one (as to a plain object) changes only that value
    this.time = 0;
    this.open = 0;
    Object.defineProperty(this, 'high', BucketCandle.#high);
    Object.defineProperty(this, 'low', BucketCandle.#low);
    this.close = 0;
    Object.defineProperty(this, 'volume', BucketCandle.#volume);
  }

  /** Point at the bucket starting at `time` made of the 1m candles [from, to). */
  set(time: number, from: number, to: number): this {
    this.time = time;
    this.#from = from;
    this.#to = to;
    this.open = this.#candles.open[from] as number;
    this.close = this.#candles.close[to - 1] as number;
    this.#folded = false;
    return this;
  }

  #fold(): this {
    if (this.#folded) return this;
    const { high, low, volume } = this.#candles;
    let h = -Infinity;
    let l = Infinity;
    let v = 0;
    for (let k = this.#from; k < this.#to; k++) {
      const x = high[k] as number;
      const y = low[k] as number;
      if (x > h) h = x;
      if (y < l) l = y;
      v += volume[k] as number;
    }
    this.#h = h;
    this.#l = l;
    this.#v = v;
    this.#folded = true;
    return this;
  }
}

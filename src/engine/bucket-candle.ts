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
import type { Candles } from '../market/aggregate.ts';

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

  constructor(candles: Candles) {
    this.#candles = candles;
    // a strategy that writes to its candle (as it could to a plain object) changes only that value
    const folded = (get: () => number, set: (x: number) => void): PropertyDescriptor => ({ get: () => { this.#fold(); return get(); }, set: (x: number) => { this.#fold(); set(x); }, enumerable: true });
    this.time = 0;
    this.open = 0;
    Object.defineProperty(this, 'high', folded(() => this.#h, (x) => { this.#h = x; }));
    Object.defineProperty(this, 'low', folded(() => this.#l, (x) => { this.#l = x; }));
    this.close = 0;
    Object.defineProperty(this, 'volume', folded(() => this.#v, (x) => { this.#v = x; }));
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

  #fold(): void {
    if (this.#folded) return;
    const { high, low, volume } = this.#candles;
    let h = -Infinity; let l = Infinity; let v = 0;
    for (let k = this.#from; k < this.#to; k++) {
      const x = high[k] as number; const y = low[k] as number;
      if (x > h) h = x;
      if (y < l) l = y;
      v += volume[k] as number;
    }
    this.#h = h; this.#l = l; this.#v = v; this.#folded = true;
  }
}

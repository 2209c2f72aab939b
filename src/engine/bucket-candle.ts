/**
 * The closed timeframe candle a backtest shows its strategy, over a run of 1m candles
 * [from, to). Open and close are set directly; high, low and volume are folded from the 1m
 * candles only when read, since most strategies look at the close alone and the fold would
 * otherwise touch every 1m candle of the range.
 *
 * One object is reused for every candle of a run: a strategy must copy what it keeps.
 */
import type { StrategyCandle } from '../core/strategy/types.ts';
import type { Candles } from '../market/aggregate.ts';

export class BucketCandle implements StrategyCandle {
  time = 0;
  open = 0;
  close = 0;
  private from = 0;
  private to = 0;
  private folded = false;
  private h = 0;
  private l = 0;
  private v = 0;

  constructor(private readonly candles: Candles) {}

  /** Point at the bucket starting at `time` made of the 1m candles [from, to). */
  set(time: number, from: number, to: number): this {
    this.time = time;
    this.from = from;
    this.to = to;
    this.open = this.candles.open[from] as number;
    this.close = this.candles.close[to - 1] as number;
    this.folded = false;
    return this;
  }

  get high(): number { return this.fold().h; }
  get low(): number { return this.fold().l; }
  get volume(): number { return this.fold().v; }

  private fold(): this {
    if (this.folded) return this;
    const { high, low, volume } = this.candles;
    let h = -Infinity; let l = Infinity; let v = 0;
    for (let k = this.from; k < this.to; k++) {
      const x = high[k] as number; const y = low[k] as number;
      if (x > h) h = x;
      if (y < l) l = y;
      v += volume[k] as number;
    }
    this.h = h; this.l = l; this.v = v; this.folded = true;
    return this;
  }
}

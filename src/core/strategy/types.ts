/**
 * The strategy interface. A strategy is pure: it sees one closed candle of its timeframe at a
 * time (never a future one) and returns an intent:
 *   'buy'   want to be long   (opens long, or flips a short to long)
 *   'sell'  want to be short  (opens short, or flips a long to short)
 *   'close' want to be flat
 *   'hold'  no change
 * The human-readable reason and the indicator values behind the latest decision are produced
 * on demand (`explain()`), so a backtest over a million candles allocates nothing for holds.
 */

export type Decision = 'buy' | 'sell' | 'hold' | 'close';

/** One closed candle (mid prices) of the strategy's timeframe. The runner may reuse the object: copy what you keep. */
export interface StrategyCandle {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** What the strategy may know about its position: the sign of the size (-1, 0, 1). */
export type PositionSide = -1 | 0 | 1;

export interface Explanation {
  readonly reason: string;
  readonly indicators: Readonly<Record<string, number | null>>;
}

export interface StrategyInstance {
  onCandle(candle: StrategyCandle, position: PositionSide): Decision;
  /** Why the last `onCandle` decided what it did, with the indicator values it used. */
  explain(): Explanation;
  /** Candles needed before the first non-hold decision is possible. */
  readonly warmup: number;
}

export type ParamValue = number | string;
export type Params = Readonly<Record<string, ParamValue>>;

export interface ParamSpec {
  readonly name: string;
  readonly kind: 'int' | 'number' | 'enum';
  readonly default: ParamValue;
  readonly min?: number;
  readonly max?: number;
  readonly choices?: readonly string[];
  readonly description: string;
}

export interface Strategy {
  readonly id: string;
  readonly description: string;
  readonly params: readonly ParamSpec[];
  /** Checks across parameters (e.g. fast < slow); null when fine. */
  validate?(params: Params): string | null;
  create(params: Params): StrategyInstance;
}

/**
 * The strategy interface. A strategy is pure: it sees one closed candle of its timeframe at a
 * time (never a future one) and returns an intent:
 *   'buy'   want to be long   (opens long, or flips a short to long)
 *   'sell'  want to be short  (opens short, or flips a long to short)
 *   'close' want to be flat
 *   'hold'  no change
 * The human-readable reason and the indicator values behind the latest decision are produced
 * on demand (`explain()`), so a backtest over a million candles allocates nothing for holds.
 *
 * `onCandle(candle, position, context)` is synchronous and gets plain data only (both objects
 * can be structured-cloned): the candle, the sign of the position, and a read-only context with
 * the position's details and the account's equity and available margin at the candle's close.
 * A decision is a string, or an object `{ action, stopLoss?, takeProfit?, size? }` carrying
 * stop-loss / take-profit price levels for the position it opens and a size override (a fraction
 * of equity in (0, 1], resolved at the fill). Anything else fails the run (StrategyError).
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

/** The position as the strategy sees it at the candle's close (floats: contracts, price, money). */
export interface StrategyPosition {
  readonly side: PositionSide;
  /** Contracts, signed (negative when short); 0 when flat. */
  readonly size: number;
  /** Average entry price; null when flat. */
  readonly entryPrice: number | null;
  /** Unrealised PnL at the candle's close, in the account's currency. */
  readonly unrealizedPnl: number;
}

/** Read-only context of a decision. The runner may reuse the object: copy what you keep. */
export interface StrategyContext {
  readonly position: StrategyPosition;
  /** Balance + unrealised PnL at the candle's close. */
  readonly equity: number;
  /** Equity minus the margin in use. */
  readonly availableMargin: number;
  /** True while the runner feeds warm-up history: the decision is ignored. */
  readonly warmingUp: boolean;
}

/** A decision with order details. Levels are prices; `size` is a fraction of equity in (0, 1]. */
export interface DecisionOrder {
  readonly action: Decision;
  readonly stopLoss?: number | null;
  readonly takeProfit?: number | null;
  readonly size?: number | null;
}

export type DecisionValue = Decision | DecisionOrder;

export interface StrategyInstance {
  onCandle(candle: StrategyCandle, position: PositionSide, context: StrategyContext): DecisionValue;
  /** Why the last `onCandle` decided what it did, with the indicator values it used. */
  explain(): Explanation;
  /**
   * Optional: `explain().reason` alone, without building the indicator values (the runner needs
   * only the text, once per order). Must return the same text as explain().reason.
   */
  reason?(): string;
  /**
   * Optional, both or neither: the reason as numbers, formatted later. `saveReason(out, at)`
   * writes up to REASON_WIDTH numbers describing the latest decision's reason into `out` from
   * `at`; `reasonAt(out, at)` returns, from them, the text `reason()` returned then. A backtest
   * keeps the reasons of tens of thousands of orders this way and formats those it shows.
   */
  saveReason?(out: Float64Array, at: number): void;
  reasonAt?(saved: Float64Array, at: number): string;
  /** Candles needed before the first non-hold decision is possible (a positive integer). */
  readonly warmup: number;
}

/** The most numbers `saveReason` may write. */
export const REASON_WIDTH = 4;

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

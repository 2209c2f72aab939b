/** What a backtest takes (its configuration) and gives back (its outcome): see backtest.ts. */
import type { InstrumentSpec } from '../core/instruments.ts';
import type { Money, Ppm } from '../core/money.ts';
import type { StrategyInstance } from '../core/strategy/types.ts';
import type { Timeframe } from '../core/time.ts';
import type { Candles } from '../core/candles.ts';
import type { SizeSpec } from '../core/size-spec.ts';
import type { BacktestSink } from './backtest-sink.ts';

export interface BacktestConfig {
  readonly candles: Candles;
  readonly instrumentId: string;
  readonly spec: InstrumentSpec;
  readonly timeframe: Timeframe;
  readonly strategy: StrategyInstance;
  readonly capital: Money;
  readonly leverage: number;
  readonly maxLeverage: number;
  readonly makerFee: Ppm;
  readonly takerFee: Ppm;
  readonly sizing: SizeSpec;
  /** Step the engine on every 1m candle instead of skipping its quiet bands (to verify they change nothing). */
  readonly stepEveryBar?: boolean;
  /** The strategy's name in messages (default "strategy"). */
  readonly strategyId?: string;
  /** Length of one stored candle (default 1m; 1h or 1d for imported history). */
  readonly baseMs?: number;
  /** The clock at the end of the range: a last bucket whose end it has reached closes too. */
  readonly until?: number;
  /** Stored candles before the range: the last `warmup` timeframe candles among them warm the strategy up. */
  readonly history?: Candles;
}

/** What the warm-up fed the strategy before the range. */
export interface WarmupReport {
  /** Candles the strategy asks for. */
  readonly wanted: number;
  /** Timeframe candles fed. */
  readonly candles: number;
  /** Start of the first one fed (NaN when none). */
  readonly from: number;
}

export interface BacktestOutcome {
  readonly sink: BacktestSink;
  /** Equity (money units, float) at each closed timeframe candle, and its time. */
  readonly equity: Float64Array;
  readonly times: Float64Array;
  /** Close of each sampled timeframe candle (for buy & hold). */
  readonly closes: Float64Array;
  readonly bars: number;
  readonly exposureBars: number;
  readonly finalEquity: Money;
  readonly peakEquity: number;
  readonly firstOpen: number;
  readonly lastClose: number;
  readonly candlesProcessed: number;
  readonly warmup: WarmupReport;
}

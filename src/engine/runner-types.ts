/**
 * The records a StrategyRunner takes and gives (strategy-runner.ts): its configuration, the bot
 * risk layer's verdict on an open leg, and one decision with the orders it placed.
 */
import type { Qty } from '../core/money.ts';
import type { CheckedDecision } from '../core/strategy/decision.ts';
import type { SizeSpec } from '../core/size-spec.ts';
import type { EngineOrder } from './state.ts';

export interface RunnerConfig {
  /** For messages: the strategy's id or file. */
  readonly strategyId: string;
  readonly accountId: string;
  readonly instrumentId: string;
  readonly sizing: SizeSpec;
  readonly leverage: number;
  readonly botId: string | null;
}

/** What the bot's risk layer says about an open leg: block it, or cap its size. */
export interface OpenLegGate {
  readonly block: string | null;
  /** Largest size the open leg may have (null: no cap). */
  readonly max: Qty | null;
}

/** One decision and the orders it placed. */
export interface RunnerDecision {
  readonly decision: CheckedDecision;
  /** The intended legs before the risk layer: side and provisional size. */
  readonly proposed: {
    readonly close: { side: 'buy' | 'sell'; size: Qty } | null;
    readonly open: { side: 'buy' | 'sell'; size: Qty; sizedAtFill: boolean } | null;
  };
  readonly close: EngineOrder | null;
  readonly open: EngineOrder | null;
  /** The risk layer blocked the open leg (reason), or cut it (`capped`). */
  readonly blocked: string | null;
  readonly capped: Qty | null;
}

/** act's proposed legs, rewritten by each call. */
export interface ProposedLegs {
  close: { side: 'buy' | 'sell'; size: Qty } | null;
  open: { side: 'buy' | 'sell'; size: Qty; sizedAtFill: boolean } | null;
}

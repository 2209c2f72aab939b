/**
 * Checking what a strategy returns. A strategy is user code: its `warmup` and every decision are
 * validated, and anything outside the contract fails the run with a StrategyError naming the
 * strategy and the value (never read as 'hold').
 */
import { StrategyError } from '../errors.ts';
import type { Decision } from './types.ts';

/** A decision as the runner acts on it. */
export interface CheckedDecision {
  readonly action: Decision;
  readonly stopLoss: number | null;
  readonly takeProfit: number | null;
  /** Size override: a fraction of equity in (0, 1]; null = the run's sizing. */
  readonly size: number | null;
}

const ACTIONS: ReadonlySet<string> = new Set(['buy', 'sell', 'hold', 'close']);
const KEYS: ReadonlySet<string> = new Set(['action', 'stopLoss', 'takeProfit', 'size']);
const plainDecision = (action: Decision): CheckedDecision => Object.freeze({ action, stopLoss: null, takeProfit: null, size: null });
/** The checked form of each plain action: shared, frozen (a decision per candle allocates nothing). */
const PLAIN: Readonly<Record<string, CheckedDecision | undefined>> = Object.assign(Object.create(null) as object, {
  buy: plainDecision('buy'),
  sell: plainDecision('sell'),
  hold: plainDecision('hold'),
  close: plainDecision('close'),
});

/** Short printable form of a bad value for error messages. */
export function showValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return 'a function';
  try {
    const s = JSON.stringify(v);
    if (s === undefined) return String(v);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(v);
  }
}

export function checkWarmup(strategyId: string, warmup: unknown): number {
  if (typeof warmup !== 'number' || !Number.isSafeInteger(warmup) || warmup < 1) {
    throw StrategyError.named(strategyId, `warmup must be a positive integer (candles), got ${showValue(warmup)}`);
  }
  return warmup;
}

const level = (strategyId: string, name: string, v: unknown): number | null => {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
    throw StrategyError.named(strategyId, `${name} must be a positive price, got ${showValue(v)}`);
  return v;
};

/**
 * The decision in `value`, checked. `reference` is the close the decision was taken at: a
 * stop-loss must be below it for a buy (above for a sell), a take-profit on the other side.
 */
export function checkDecision(strategyId: string, value: unknown, reference: number): CheckedDecision {
  if (typeof value === 'string') {
    const plain = PLAIN[value];
    if (plain) return plain;
    throw StrategyError.named(
      strategyId,
      `returned ${showValue(value)}; a decision is 'buy', 'sell', 'hold', 'close' or { action, stopLoss, takeProfit, size }`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw StrategyError.named(
      strategyId,
      `returned ${showValue(value)}; a decision is 'buy', 'sell', 'hold', 'close' or { action, stopLoss, takeProfit, size }`,
    );
  }
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!KEYS.has(k))
      throw StrategyError.named(
        strategyId,
        `returned ${showValue(value)}: unknown field "${k}" (fields: action, stopLoss, takeProfit, size)`,
      );
  const action = o.action;
  if (typeof action !== 'string' || !ACTIONS.has(action))
    throw StrategyError.named(strategyId, `returned action ${showValue(action)}; it must be 'buy', 'sell', 'hold' or 'close'`);
  const stopLoss = level(strategyId, 'stopLoss', o.stopLoss);
  const takeProfit = level(strategyId, 'takeProfit', o.takeProfit);
  const size = o.size === undefined || o.size === null ? null : o.size;
  if (size !== null && (typeof size !== 'number' || !(size > 0 && size <= 1))) {
    throw StrategyError.named(strategyId, `size ${showValue(size)} must be a fraction of equity above 0 and at most 1`);
  }
  const opens = action === 'buy' || action === 'sell';
  if (!opens && (stopLoss !== null || takeProfit !== null || size !== null)) {
    throw StrategyError.named(strategyId, `returned ${showValue(value)}: stopLoss, takeProfit and size only go with 'buy' or 'sell'`);
  }
  const long = action === 'buy';
  if (stopLoss !== null && (long ? stopLoss >= reference : stopLoss <= reference)) {
    throw StrategyError.named(
      strategyId,
      `stopLoss ${stopLoss} is on the wrong side of the entry: a ${action} at ${reference} needs it ${long ? 'below' : 'above'}`,
    );
  }
  if (takeProfit !== null && (long ? takeProfit <= reference : takeProfit >= reference)) {
    throw StrategyError.named(
      strategyId,
      `takeProfit ${takeProfit} is on the wrong side of the entry: a ${action} at ${reference} needs it ${long ? 'above' : 'below'}`,
    );
  }
  return { action: action as Decision, stopLoss, takeProfit, size };
}

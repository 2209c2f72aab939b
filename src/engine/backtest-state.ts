/**
 * The in-memory engine state a backtest starts from: its one instrument and its one account,
 * funded with the starting capital, with no position, order or fill.
 */
import type { Money } from '../core/money.ts';
import type { BacktestConfig } from './backtest-types.ts';
import { recordPool } from './record-pool.ts';
import { PositionBook } from './position-book.ts';
import { emptyState, type EngineAccount, type EngineInstrument, type EngineState } from './state.ts';

/** The backtest's account id (one account per run). */
export const BACKTEST_ACCOUNT = 'backtest';

/** The state of a run, its clock at `clock`. */
export function backtestState(cfg: BacktestConfig, clock: number): { state: EngineState; inst: EngineInstrument; acct: EngineAccount } {
  // The run's sink keeps no order or position record (it copies numbers): the engine reuses them.
  const state = emptyState(clock, recordPool());
  const inst: EngineInstrument = {
    id: cfg.instrumentId,
    spec: cfg.spec,
    bar: null,
    barTime: 0,
    holders: [],
    nextFundingAt: NaN,
    params: {
      spread: cfg.spec.baseSpread,
      tick: cfg.spec.tickSize,
      slippageFactor: cfg.spec.slippageFactor,
      minSize: cfg.spec.minSize,
      maxParticipation: cfg.spec.maxParticipation ?? 0,
    },
  };
  state.instruments.set(inst.id, inst);
  const acct: EngineAccount = {
    id: BACKTEST_ACCOUNT,
    balance: cfg.capital,
    maxLeverage: cfg.maxLeverage,
    makerFee: cfg.makerFee,
    takerFee: cfg.takerFee,
    maxDailyLoss: null,
    isActive: true,
    positions: new PositionBook(),
    dayKey: 0,
    dayPnl: 0 as Money,
  };
  state.accounts.set(BACKTEST_ACCOUNT, acct);
  return { state, inst, acct };
}

/**
 * The texts of a backtest's ids (`bt-1`, `bt-2`, ...), kept process-wide for the first
 * ID_TEXTS_KEPT: every run numbers its orders and positions from 1 again, so a sweep or a
 * benchmark's later runs take their ids from here instead of formatting a number and building a
 * string per order (a cache miss of V8's number-to-string table each time). About 2 MB at most.
 */
const idTexts: string[] = [];
const ID_TEXTS_KEPT = 1 << 16;

/** The text of the backtest id number `n` (n >= 1, counted up from 1 by each run). */
export function backtestId(n: number): string {
  if (n <= idTexts.length) return idTexts[n - 1] as string;
  const text = `bt-${n}`;
  if (n === idTexts.length + 1 && n <= ID_TEXTS_KEPT) idTexts.push(text);
  return text;
}

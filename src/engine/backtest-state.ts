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

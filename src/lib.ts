/**
 * The programmatic API (dist/lib.js): the same store, engine and use cases the CLI uses, for
 * scripts and benchmarks that run in-process.
 */
export { openStore, SqliteStore, type Store } from './store/db.ts';
export { seedDatabase } from './app/seed.ts';
export { isSeeded } from './store/seed-rows.ts';
export { SEED_INSTRUMENTS } from './core/instruments.ts';
export { withPaper, dryRun, advanceMarket, resolveAccountId } from './app/paper.ts';
export { findInstrument, listInstruments } from './store/instruments.ts';
export { extendMarket } from './app/extend.ts';
export { verifyLedger } from './store/verify.ts';
export { readClock } from './store/clock.ts';
export { loadCandles } from './store/candles.ts';
export * as money from './core/money.ts';
export { Engine } from './engine/engine.ts';
export { runBacktest, BacktestRun } from './engine/backtest.ts';
export { generateCandles } from './market/generator.ts';
export { BUILTIN_STRATEGIES } from './core/strategy/builtin.ts';
export { resolveParams } from './core/strategy/params.ts';

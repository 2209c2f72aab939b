/** A closed trade as a record to copy trades into one at a time (BacktestSink.readTrade): no object per trade. */
import type { BacktestTrade } from './backtest-sink.ts';

export type TradeRecord = { -readonly [K in keyof BacktestTrade]: BacktestTrade[K] };

export function newTradeRecord(): TradeRecord {
  return {
    side: 'long',
    entryTime: 0,
    entryPrice: 0,
    exitTime: 0,
    exitPrice: 0,
    size: 0,
    pnl: 0,
    grossPnl: 0,
    fees: 0,
    funding: 0,
    margin: 0,
    entryReason: '',
    exitReason: '',
  };
}

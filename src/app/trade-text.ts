/**
 * The trade log's rows: made a trade at a time from the run's sink (read into one record reused
 * for every trade, not its list of trade objects), written as CSV straight from that record
 * (trade-format.ts) and as JSON by JSON.stringify itself; rows given as objects (a queued run's)
 * by tradeCsv.
 */
import { csvField } from '../core/csv.ts';
import { isoText } from '../core/iso-time.ts';
import { round } from '../core/metrics.ts';
import { moneyToFloat, priceToFloat, qtyToFloat } from '../core/money.ts';
import type { BacktestTrade } from '../engine/backtest-sink.ts';
import type { BacktestOutcome } from '../engine/backtest-types.ts';
import { newTradeRecord } from '../engine/trade-record.ts';
import type { RowsText } from './trade-log.ts';
import { jsonTerminalSafe, tradeCsvLine, tradeTexts } from './trade-format.ts';

export const TRADE_COLUMNS = [
  'n',
  'side',
  'entry_time',
  'entry_price',
  'exit_time',
  'exit_price',
  'size',
  'pnl',
  'gross_pnl',
  'fees',
  'funding',
  'return_pct',
  'entry_reason',
  'exit_reason',
] as const;

export type TradeRow = Record<(typeof TRADE_COLUMNS)[number], string | number>;

/** Row `k` (0-based) of the trade log. */
export function tradeRow(t: BacktestTrade, k: number): TradeRow {
  return {
    n: k + 1,
    side: t.side,
    entry_time: isoText(t.entryTime),
    entry_price: priceToFloat(t.entryPrice),
    exit_time: isoText(t.exitTime),
    exit_price: priceToFloat(t.exitPrice),
    size: qtyToFloat(t.size),
    pnl: moneyToFloat(t.pnl),
    gross_pnl: moneyToFloat(t.grossPnl),
    fees: moneyToFloat(t.fees),
    funding: moneyToFloat(t.funding),
    return_pct: t.margin > 0 ? round((t.pnl / t.margin) * 100, 6) : 0,
    entry_reason: t.entryReason,
    exit_reason: t.exitReason,
  };
}

/** renderCsv's line of a row (no newline). */
export function tradeCsv(r: TradeRow): string {
  return `${csvField(r.n)},${csvField(r.side)},${csvField(r.entry_time)},${csvField(r.entry_price)},${csvField(r.exit_time)},${csvField(r.exit_price)},${csvField(r.size)},${csvField(r.pnl)},${csvField(r.gross_pnl)},${csvField(r.fees)},${csvField(r.funding)},${csvField(r.return_pct)},${csvField(r.entry_reason)},${csvField(r.exit_reason)}`;
}

/** The text of trade rows given as objects (a queued run's, sent to the command that follows it). */
export function tradeRowsText(rows: readonly TradeRow[]): RowsText<TradeRow> {
  const row = (k: number) => rows[k] as TradeRow;
  return {
    count: rows.length,
    columns: TRADE_COLUMNS,
    row,
    csv: tradeCsv,
    csvLine: (k) => tradeCsv(row(k)),
    clean: false,
  };
}

/** The rows of a run's trades, read from its sink a trade at a time into one record (not its list of trade objects). */
export function outcomeTradesText(o: BacktestOutcome): RowsText<TradeRow> {
  const rec = newTradeRecord();
  let clean = true;
  const row = (k: number): TradeRow => {
    o.sink.readTrade(k, rec);
    if (clean && !(jsonTerminalSafe(rec.entryReason) && jsonTerminalSafe(rec.exitReason))) clean = false;
    return tradeRow(rec, k);
  };
  return {
    count: o.sink.tradeCount,
    columns: TRADE_COLUMNS,
    row,
    csv: tradeCsv,
    csvLine: (k) => {
      o.sink.readTrade(k, rec);
      return tradeCsvLine(rec, k + 1);
    },
    texts: (k, out) => {
      o.sink.readTrade(k, rec);
      if (clean && !(jsonTerminalSafe(rec.entryReason) && jsonTerminalSafe(rec.exitReason))) clean = false;
      tradeTexts(rec, k + 1, out);
    },
    get clean() {
      return clean;
    },
  };
}

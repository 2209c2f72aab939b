/**
 * A backtest trade's CSV line written straight from its record, column by column: no row
 * object, no quoting check on fields that cannot need it (numbers, the side, ISO times); only the
 * two reasons, free text, are looked at, with one character-class test each. The same text as
 * renderCsv of tradeRow's row (test/unit/trade-format.test.ts). The JSON rows stay
 * JSON.stringify's (native, flat text: a column-by-column template measured slower there, its
 * string pieces joined when written).
 */
import { isoText } from '../core/iso-time.ts';
import { round } from '../core/metrics.ts';
import { moneyToFloat, priceToFloat, qtyToFloat } from '../core/money.ts';
import type { TradeRecord } from '../engine/trade-record.ts';

const CSV_SPECIAL = /[",\r\n]/;
/** renderCsv's field of a text. */
const csvText = (s: string): string => (CSV_SPECIAL.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

const C1 = /[\u007f-\u009f]/;

/** The trade's return in percent of its margin, as tradeRow has it. */
const returnPct = (t: TradeRecord): number => (t.margin > 0 ? round((t.pnl / t.margin) * 100, 6) : 0);

/** renderCsv's line (no newline) of trade `t` numbered `n`: tradeCsv(tradeRow(t, n - 1)). */
export function tradeCsvLine(t: TradeRecord, n: number): string {
  return `${n},${t.side === 'long' || t.side === 'short' ? t.side : csvText(t.side)},${isoText(t.entryTime)},${priceToFloat(t.entryPrice)},${isoText(t.exitTime)},${priceToFloat(t.exitPrice)},${qtyToFloat(t.size)},${moneyToFloat(t.pnl)},${moneyToFloat(t.grossPnl)},${moneyToFloat(t.fees)},${moneyToFloat(t.funding)},${returnPct(t)},${csvText(t.entryReason)},${csvText(t.exitReason)}`;
}

/**
 * Whether the JSON text of `s` passes the terminal-safe printer (core/text.ts escapeControl)
 * unchanged: JSON escapes the C0 controls itself, so only DEL and the C1 range (0x7f-0x9f) can be
 * left raw in it.
 */
export const jsonTerminalSafe = (s: string): boolean => !C1.test(s);

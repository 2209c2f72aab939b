/**
 * The trade log's rows as text, written straight from a run's trades: byte for byte what the row
 * objects of `tradeRow` (backtest.ts) give through `csvField` and `JSON.stringify`, without the
 * objects and without V8's shortest-digits search for every price and amount (core/scaled-text.ts
 * writes a fixed-point amount's float text with integer arithmetic). A 1m run has tens of
 * thousands of trades, written to the CSV and again to --json.
 */
import { csvField } from '../core/csv.ts';
import { isoText } from '../core/iso-time.ts';
import { MONEY_DECIMALS, PRICE_DECIMALS, QTY_DECIMALS } from '../core/money.ts';
import { roundedText, scaledText } from '../core/scaled-text.ts';
import type { BacktestTrade } from '../engine/backtest-sink.ts';

/** Rows as text: a CSV line (no newline), and the pretty JSON object indented by `pad`. */
export interface RowText {
  readonly csv: (k: number) => string;
  readonly json: (k: number, pad: string) => string;
}

/** JSON.stringify's text of a number whose String() text is `s`. */
const jsonNumber = (s: string): string => (s === 'NaN' || s === 'Infinity' || s === '-Infinity' ? 'null' : s);

/** The number cells of trade `k` (0-based), as String() writes them: n, prices, size, money, return %. */
function numbers(t: BacktestTrade, k: number) {
  return {
    n: String(k + 1),
    entryPrice: scaledText(t.entryPrice, PRICE_DECIMALS),
    exitPrice: scaledText(t.exitPrice, PRICE_DECIMALS),
    size: scaledText(t.size, QTY_DECIMALS),
    pnl: scaledText(t.pnl, MONEY_DECIMALS),
    grossPnl: scaledText(t.grossPnl, MONEY_DECIMALS),
    fees: scaledText(t.fees, MONEY_DECIMALS),
    funding: scaledText(t.funding, MONEY_DECIMALS),
    returnPct: t.margin > 0 ? roundedText((t.pnl / t.margin) * 100, 6) : '0',
  };
}

/** The rows of `trades` (the columns of TRADE_COLUMNS, in its order). */
export function tradeText(trades: readonly BacktestTrade[]): RowText {
  return {
    csv: (k) => {
      const t = trades[k] as BacktestTrade;
      const x = numbers(t, k);
      // side and ISO times never hold a comma, quote or line break: csvField would return them as they are
      return `${x.n},${t.side},${isoText(t.entryTime)},${x.entryPrice},${isoText(t.exitTime)},${x.exitPrice},${x.size},${x.pnl},${x.grossPnl},${x.fees},${x.funding},${x.returnPct},${csvField(t.entryReason)},${csvField(t.exitReason)}`;
    },
    json: (k, pad) => {
      const t = trades[k] as BacktestTrade;
      const x = numbers(t, k);
      const p = `,\n${pad}  `;
      return (
        `${pad}{\n${pad}  "n": ${jsonNumber(x.n)}${p}"side": ${JSON.stringify(t.side)}${p}"entry_time": ${JSON.stringify(isoText(t.entryTime))}` +
        `${p}"entry_price": ${jsonNumber(x.entryPrice)}${p}"exit_time": ${JSON.stringify(isoText(t.exitTime))}${p}"exit_price": ${jsonNumber(x.exitPrice)}` +
        `${p}"size": ${jsonNumber(x.size)}${p}"pnl": ${jsonNumber(x.pnl)}${p}"gross_pnl": ${jsonNumber(x.grossPnl)}${p}"fees": ${jsonNumber(x.fees)}` +
        `${p}"funding": ${jsonNumber(x.funding)}${p}"return_pct": ${jsonNumber(x.returnPct)}${p}"entry_reason": ${JSON.stringify(t.entryReason)}` +
        `${p}"exit_reason": ${JSON.stringify(t.exitReason)}\n${pad}}`
      );
    },
  };
}

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

/** A trade's CSV line and its --json row (tradeTexts), from one formatting of its fields. */
export interface TradeTexts {
  csv: string;
  json: string;
}

/** Text JSON.stringify leaves as it is between its quotes: no quote, backslash, C0 control or surrogate. */
// eslint-disable-next-line no-control-regex
const JSON_PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
const jsonText = (s: string): string => (JSON_PLAIN.test(s) ? `"${s}"` : JSON.stringify(s));
/** JSON.stringify's text of number `x` whose String is `s`: the same, but null for NaN and the infinities. */
const jsonNumber = (x: number, s: string): string => (Number.isFinite(x) ? s : 'null');

/**
 * Trade `t` numbered `n`, each field formatted once, as its CSV line (tradeCsvLine's text) and
 * as its row in the --json output: JSON.stringify(tradeRow(t, n - 1), null, 2) indented as an
 * element of the `trades` array one level down (what emitJsonArray writes at depth 1). An ISO
 * time's text (digits, - + : . T Z) needs no escaping.
 */
export function tradeTexts(t: TradeRecord, n: number, out: TradeTexts): void {
  const et = isoText(t.entryTime);
  const xt = isoText(t.exitTime);
  const ep = priceToFloat(t.entryPrice);
  const xp = priceToFloat(t.exitPrice);
  const size = qtyToFloat(t.size);
  const pnl = moneyToFloat(t.pnl);
  const gross = moneyToFloat(t.grossPnl);
  const fees = moneyToFloat(t.fees);
  const funding = moneyToFloat(t.funding);
  const ret = returnPct(t);
  const eps = `${ep}`;
  const xps = `${xp}`;
  const sizes = `${size}`;
  const pnls = `${pnl}`;
  const grosss = `${gross}`;
  const feess = `${fees}`;
  const fundings = `${funding}`;
  const rets = `${ret}`;
  out.csv = `${n},${t.side === 'long' || t.side === 'short' ? t.side : csvText(t.side)},${et},${eps},${xt},${xps},${sizes},${pnls},${grosss},${feess},${fundings},${rets},${csvText(t.entryReason)},${csvText(t.exitReason)}`;
  out.json = `    {
      "n": ${n},
      "side": ${t.side === 'long' ? '"long"' : t.side === 'short' ? '"short"' : jsonText(t.side)},
      "entry_time": "${et}",
      "entry_price": ${jsonNumber(ep, eps)},
      "exit_time": "${xt}",
      "exit_price": ${jsonNumber(xp, xps)},
      "size": ${jsonNumber(size, sizes)},
      "pnl": ${jsonNumber(pnl, pnls)},
      "gross_pnl": ${jsonNumber(gross, grosss)},
      "fees": ${jsonNumber(fees, feess)},
      "funding": ${jsonNumber(funding, fundings)},
      "return_pct": ${jsonNumber(ret, rets)},
      "entry_reason": ${jsonText(t.entryReason)},
      "exit_reason": ${jsonText(t.exitReason)}
    }`;
}

/**
 * Whether the JSON text of `s` passes the terminal-safe printer (core/text.ts escapeControl)
 * unchanged: JSON escapes the C0 controls itself, so only DEL and the C1 range (0x7f-0x9f) can be
 * left raw in it.
 */
export const jsonTerminalSafe = (s: string): boolean => !C1.test(s);

/**
 * A backtest trade's CSV line and pretty-JSON row written straight from its record, column by
 * column: no row object, no JSON.stringify of rows, no quoting check on fields that cannot need
 * it (numbers, the side, ISO times). Only the two reasons, free text, are looked at, with one
 * character-class test each. The same text as renderCsv and JSON.stringify(rows, null, 2) of
 * tradeRow's rows (test/unit/trade-format.test.ts).
 */
import { isoText } from '../core/iso-time.ts';
import { round } from '../core/metrics.ts';
import { moneyToFloat, priceToFloat, qtyToFloat } from '../core/money.ts';
import type { TradeRecord } from '../engine/trade-record.ts';

/** A number as JSON.stringify writes it (non-finite: null); csvField writes String(x). */
const jsonNum = (x: number): string => (Number.isFinite(x) ? `${x}` : 'null');

const CSV_SPECIAL = /[",\r\n]/;
/** renderCsv's field of a text. */
const csvText = (s: string): string => (CSV_SPECIAL.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

// eslint-disable-next-line no-control-regex
const JSON_SPECIAL = /["\\\u0000-\u001f\u007f-\u009f\ud800-\udfff]/;
const C1 = /[\u007f-\u009f]/;

const sideJson = (side: string): string => (side === 'long' ? '"long"' : side === 'short' ? '"short"' : JSON.stringify(side));

/** The trade's return in percent of its margin, as tradeRow has it. */
const returnPct = (t: TradeRecord): number => (t.margin > 0 ? round((t.pnl / t.margin) * 100, 6) : 0);

/** renderCsv's line (no newline) of trade `t` numbered `n`: tradeCsv(tradeRow(t, n - 1)). */
export function tradeCsvLine(t: TradeRecord, n: number): string {
  return `${n},${t.side === 'long' || t.side === 'short' ? t.side : csvText(t.side)},${isoText(t.entryTime)},${priceToFloat(t.entryPrice)},${isoText(t.exitTime)},${priceToFloat(t.exitPrice)},${qtyToFloat(t.size)},${moneyToFloat(t.pnl)},${moneyToFloat(t.grossPnl)},${moneyToFloat(t.fees)},${moneyToFloat(t.funding)},${returnPct(t)},${csvText(t.entryReason)},${csvText(t.exitReason)}`;
}

/**
 * Pretty-JSON rows of trades, as elements of an array nested `depth` levels deep (the element's
 * own indentation included, no comma after it). `clean` stays true while no text written holds a
 * character that the terminal-safe printer (core/text.ts escapeControl) would change: JSON
 * escapes C0 controls itself, so only DEL and the C1 range (0x7f-0x9f) can be left raw.
 */
export class TradeJsonRows {
  clean = true;
  /** The constant text before each field, with a text field's opening quote and the previous one's closing quote. */
  private readonly k: readonly string[];

  constructor(depth: number) {
    const p1 = '  '.repeat(depth + 1);
    const p2 = `${p1}  `;
    const key = (name: string) => `,\n${p2}"${name}": `;
    this.k = [
      `${p1}{\n${p2}"n": `,
      key('side'),
      `${key('entry_time')}"`,
      `"${key('entry_price')}`,
      `${key('exit_time')}"`,
      `"${key('exit_price')}`,
      key('size'),
      key('pnl'),
      key('gross_pnl'),
      key('fees'),
      key('funding'),
      key('return_pct'),
      key('entry_reason'),
      key('exit_reason'),
      `\n${p1}}`,
    ];
  }

  private text(s: string): string {
    if (!JSON_SPECIAL.test(s)) return `"${s}"`;
    if (this.clean && C1.test(s)) this.clean = false;
    return JSON.stringify(s);
  }

  /** The row of trade `t` numbered `n`: JSON.stringify of tradeRow(t, n - 1) at this depth. */
  row(t: TradeRecord, n: number): string {
    const k = this.k as Fifteen;
    return `${k[0]}${n}${k[1]}${sideJson(t.side)}${k[2]}${isoText(t.entryTime)}${k[3]}${jsonNum(priceToFloat(t.entryPrice))}${k[4]}${isoText(t.exitTime)}${k[5]}${jsonNum(priceToFloat(t.exitPrice))}${k[6]}${jsonNum(qtyToFloat(t.size))}${k[7]}${jsonNum(moneyToFloat(t.pnl))}${k[8]}${jsonNum(moneyToFloat(t.grossPnl))}${k[9]}${jsonNum(moneyToFloat(t.fees))}${k[10]}${jsonNum(moneyToFloat(t.funding))}${k[11]}${jsonNum(returnPct(t))}${k[12]}${this.text(t.entryReason)}${k[13]}${this.text(t.exitReason)}${k[14]}`;
  }
}

type Fifteen = readonly [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];

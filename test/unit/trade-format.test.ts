// The trade log's column-by-column CSV (app/trade-format.ts) is renderCsv's line of the row
// objects for any record; rows reported clean print the same through escapeControl.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControl } from '../../src/core/text.ts';
import { jsonTerminalSafe, tradeCsvLine, tradeTexts, type TradeTexts } from '../../src/app/trade-format.ts';
import { outcomeTradesText, tradeCsv, tradeRow, tradeRowsText } from '../../src/app/trade-text.ts';
import { tradeRows } from '../../src/app/backtest.ts';
import type { TradeRecord } from '../../src/engine/trade-record.ts';
import { sp500, sp500Run, STRATEGY_MODES } from '../helpers/runs.ts';

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('a,b', '"q"', 'x\ny', 'c\rr', '', 'back\\slash', 'esc \u001b[31m', 'c1 \u0085', 'del \u007f', 'lone \ud800', '\u2028'),
);
const num = fc.oneof(fc.double(), fc.integer({ min: -(2 ** 53), max: 2 ** 53 }), fc.constant(-0), fc.constant(5e-7), fc.constant(1e21));
const time = fc.oneof(fc.integer({ min: 0, max: 253_402_300_799_999 }), fc.integer({ min: -8.64e15, max: 8.64e15 }));
const record: fc.Arbitrary<TradeRecord> = fc.record({
  side: fc.constantFrom('long' as const, 'short' as const),
  entryTime: time,
  entryPrice: num,
  exitTime: time,
  exitPrice: num,
  size: num,
  pnl: num,
  grossPnl: num,
  fees: num,
  funding: num,
  margin: num,
  entryReason: text,
  exitReason: text,
});

describe('trade text column by column', () => {
  it('is tradeCsv of tradeRow for any record', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 6 }), (recs) => {
        recs.forEach((t, k) => expect(tradeCsvLine(t, k + 1)).toBe(tradeCsv(tradeRow(t, k))));
      }),
      { numRuns: 2000 },
    );
  });

  it('makes the CSV line and the --json row (depth 1) of any record from one formatting', () => {
    const side = fc.constantFrom('long', 'short', 'a,b', '"q"', 'x\ny', 'ctl \u0001', 'lone \ud800', 'pair 😀', 'back\\slash');
    fc.assert(
      fc.property(fc.array(fc.tuple(record, side), { maxLength: 6 }), (recs) => {
        const out: TradeTexts = { csv: '', json: '' };
        recs.forEach(([r, s], k) => {
          const t = { ...r, side: s as TradeRecord['side'] };
          tradeTexts(t, k + 1, out);
          expect(out.csv).toBe(tradeCsvLine(t, k + 1));
          // the row as JSON.stringify indents it inside the `trades` array of the --json object
          const whole = JSON.stringify({ trades: [tradeRow(t, k)] }, null, 2);
          expect(`{\n  "trades": [\n${out.json}\n  ]\n}`).toBe(whole);
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('calls a text JSON-terminal-safe exactly when escapeControl leaves its JSON alone', () => {
    fc.assert(
      fc.property(text, (s) => {
        const json = JSON.stringify({ r: s }, null, 2);
        expect(jsonTerminalSafe(s)).toBe(escapeControl(json) === json);
        expect(escapeControl(json, true) === json).toBe(jsonTerminalSafe(s));
      }),
      { numRuns: 5000 },
    );
  });

  it("of a run's sink are the text of its trade rows, and so are those of the rows as objects", () => {
    const candles = sp500();
    for (const [id, mode] of STRATEGY_MODES) {
      const o = sp500Run(candles, id, mode, 2);
      const rows = tradeRows(o);
      expect(rows.length).toBeGreaterThan(0);
      for (const t of [outcomeTradesText(o), tradeRowsText(rows)]) {
        expect(t.count).toBe(rows.length);
        const order = [...rows.keys(), ...[...rows.keys()].reverse(), 0, 0];
        for (const k of order) {
          expect(t.csvLine(k)).toBe(tradeCsv(rows[k]!));
          expect(t.row(k)).toStrictEqual(rows[k]);
        }
      }
      // the built-in strategies' reasons are plain text; rows given as objects are never vouched for
      expect(outcomeTradesText(o).clean).toBe(true);
      expect(tradeRowsText(rows).clean).toBe(false);
    }
  });
});

// The trade log's column-by-column text (app/trade-format.ts) is the text of the row objects:
// renderCsv's line and JSON.stringify(rows, null, 2), at any nesting depth, for any record.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControl } from '../../src/core/text.ts';
import { emitJsonArray, emitJsonRows, jsonElement } from '../../src/core/json-text.ts';
import { TradeJsonRows, tradeCsvLine } from '../../src/app/trade-format.ts';
import { outcomeTradesText, tradeCsv, tradeRow, tradeRowsText } from '../../src/app/trade-text.ts';
import { tradeRows } from '../../src/app/backtest.ts';
import type { TradeRecord } from '../../src/engine/trade-record.ts';
import { parseMoney, type Ppm } from '../../src/core/money.ts';
import { runBacktest } from '../../src/engine/backtest.ts';
import { DAY, FREE_SPEC, instance, sp500, STRATEGY_MODES } from '../helpers/runs.ts';

const pieces = (emitter: (emit: (t: string) => void) => void) => {
  const out: string[] = [];
  emitter((t) => out.push(t));
  return out;
};

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
  it('is tradeCsv and JSON.stringify of tradeRow, at every depth; clean until a text holds DEL or C1', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 6 }), fc.integer({ min: 0, max: 3 }), (recs, depth) => {
        const json = new TradeJsonRows(depth);
        recs.forEach((t, k) => {
          const row = tradeRow(t, k);
          expect(tradeCsvLine(t, k + 1)).toBe(tradeCsv(row));
          const el = json.row(t, k + 1);
          expect(el).toBe(jsonElement(row, depth));
          if (json.clean) expect(escapeControl(el)).toBe(el);
        });
        const dirty = recs.some((t) => /[\u007f-\u009f]/.test(t.entryReason + t.exitReason));
        expect(json.clean).toBe(!dirty);
      }),
      { numRuns: 2000 },
    );
  });

  it('emitJsonRows gives emitJsonArray pieces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string(), fc.double(), fc.integer())), { maxLength: 9 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        (rows, depth, chunk) => {
          const a = pieces((e) => emitJsonArray(rows.length, (k) => rows[k], depth, e, chunk));
          const b = pieces((e) => emitJsonRows(rows.length, (k) => jsonElement(rows[k], depth), depth, e, chunk));
          expect(b).toStrictEqual(a);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("of a run's sink are the text of its trade rows, and so are those of the rows as objects", () => {
    const candles = sp500();
    for (const [id, mode] of STRATEGY_MODES) {
      const o = runBacktest({
        candles,
        instrumentId: 'I',
        spec: { ...FREE_SPEC, baseSpread: 0.0002 },
        timeframe: '1d',
        strategy: instance(id, mode ? { mode } : {}),
        capital: parseMoney('10000'),
        leverage: 2,
        maxLeverage: 2,
        makerFee: 200 as Ppm,
        takerFee: 500 as Ppm,
        sizing: { kind: 'all' },
        baseMs: DAY,
        until: candles.time[candles.time.length - 1]!,
      });
      const rows = tradeRows(o);
      expect(rows.length).toBeGreaterThan(0);
      for (const t of [outcomeTradesText(o), tradeRowsText(rows)]) {
        expect(t.count).toBe(rows.length);
        const json = t.jsonRows(1);
        const order = [...rows.keys(), ...[...rows.keys()].reverse(), 0, 0];
        for (const k of order) {
          expect(t.csvLine(k)).toBe(tradeCsv(rows[k]!));
          expect(json.row(k)).toBe(jsonElement(rows[k], 1));
        }
        const nested = pieces((e) => emitJsonRows(t.count, json.row, 1, e, 7)).join('');
        expect(`{\n  "trades": ${nested}\n}`).toBe(JSON.stringify({ trades: rows }, null, 2));
        const top = t.jsonRows(0);
        expect(pieces((e) => emitJsonRows(t.count, top.row, 0, e)).join('')).toBe(JSON.stringify(rows, null, 2));
      }
    }
  });
});

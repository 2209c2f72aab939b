// The trade log's fast text paths give the same bytes as the plain ones they replace:
// isoText = toISOString, emitJsonArray = JSON.stringify(rows, null, 2), CSV pieces and trade lines = renderCsv.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../src/core/csv.ts';
import { isoText } from '../../src/core/iso-time.ts';
import { fixed2 } from '../../src/core/number-text.ts';
import { emitJsonArray } from '../../src/core/json-text.ts';
import { writeTradeLog } from '../../src/app/trade-log.ts';
import { outcomeTradesText, TRADE_COLUMNS, tradeRowsText, type TradeRow } from '../../src/app/trade-text.ts';
import { tradeRows } from '../../src/app/backtest.ts';
import { sp500, sp500Run, STRATEGY_MODES } from '../helpers/runs.ts';

const joined = (count: number, rowAt: (k: number) => unknown, depth: number, chunk?: number) => {
  const pieces: string[] = [];
  emitJsonArray(count, rowAt, depth, (p) => pieces.push(p), chunk);
  return pieces;
};

describe('isoText', () => {
  it('is toISOString for whole milliseconds in 1970..9999, across day, month and year ends', () => {
    const edges = [0, 1, 999, 86_399_999, 86_400_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 2, 1), 253_402_300_799_999];
    for (const t of edges) expect(isoText(t)).toBe(new Date(t).toISOString());
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (t) => isoText(t) === new Date(t).toISOString()),
      { numRuns: 5000 },
    );
    // consecutive minutes on one day reuse the day's text
    for (let t = Date.UTC(2025, 5, 30, 23, 0); t < Date.UTC(2025, 6, 1, 1, 0); t += 60_000)
      expect(isoText(t)).toBe(new Date(t).toISOString());
  });

  it('hands anything else to Date: before 1970, from 10000 on, fractions, invalid', () => {
    for (const t of [-1, -86_400_001, 253_402_300_800_000, 1.5, -8.64e15, 8.64e15]) expect(isoText(t)).toBe(new Date(t).toISOString());
    expect(() => isoText(NaN)).toThrow(RangeError);
  });
});

describe('fixed2', () => {
  it('is toFixed(2): prices, halves, tiny and huge values, negatives', () => {
    const edges = [
      0,
      -0,
      0.005,
      1.005,
      1.015,
      100.125,
      50_000.005,
      12_345.675,
      -1.005,
      -99.995,
      2 ** 40,
      1e21,
      1.7e308,
      NaN,
      Infinity,
      -Infinity,
    ];
    for (const x of edges) expect(fixed2(x)).toBe(x.toFixed(2));
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => fixed2(x) === x.toFixed(2)),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 999 }), (i, m) => {
        const x = i / 100 + m / 100_000; // near the cents, and exactly on halves of them
        return fixed2(x) === x.toFixed(2);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('emitJsonArray', () => {
  const value = fc.oneof(
    fc.string(),
    fc.double(),
    fc.integer(),
    fc.constant(null),
    fc.boolean(),
    fc.constant(undefined),
    fc.constant(-0),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 3 }),
  );
  const row = fc.dictionary(fc.string({ maxLength: 6 }), value, { maxKeys: 6 });

  it('pieces joined are JSON.stringify(rows, null, 2), alone or nested in an object', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), fc.integer({ min: 1, max: 5 }), (rows, chunk) => {
        const flat = joined(rows.length, (k) => rows[k]!, 0, chunk);
        expect(flat.join('')).toBe(JSON.stringify(rows, null, 2));
        // every piece but the last ends a line (ctx.print adds a newline to one that does not)
        for (const p of flat.slice(0, -1)) expect(p.endsWith('\n')).toBe(true);
        const whole = JSON.stringify({ a: 1, trades: rows, b: 'x' }, null, 2);
        const nested = `{\n  "a": 1,\n  "trades": ${joined(rows.length, (k) => rows[k]!, 1, chunk).join('')},\n  "b": "x"\n}`;
        expect(nested).toBe(whole);
        const deep = JSON.stringify({ a: { t: rows } }, null, 2);
        expect(`{\n  "a": {\n    "t": ${joined(rows.length, (k) => rows[k]!, 2, chunk).join('')}\n  }\n}`).toBe(deep);
      }),
      { numRuns: 300 },
    );
  });
});

describe('writeTradeLog', () => {
  it('writes the bytes of renderCsv / JSON.stringify, in pieces, owner-only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunicoin-log-'));
    try {
      const rows: TradeRow[] = Array.from({ length: 5000 }, (_, k) => ({
        n: k + 1,
        side: k % 2 ? 'long' : 'short',
        entry_time: new Date(k * 60_000).toISOString(),
        entry_price: 100 + k / 8,
        exit_time: new Date(k * 90_000).toISOString(),
        exit_price: k % 5 ? 99.5 : 1e21,
        size: 0.1,
        pnl: k % 3 ? -k / 7 : 0,
        gross_pnl: -0,
        fees: 1e-7,
        funding: 0,
        return_pct: k % 11 ? k / 3 : NaN,
        entry_reason: k % 7 ? `EMA12 ${k}.25 crossed, "x"` : 'a,b\nc',
        exit_reason: k % 13 ? (k === 2500 ? 'é'.repeat(400_000) : 'plain') : 'ctl \u0001 \u007f \ud800 \u2028 é 😀', // a line longer than the buffer
      }));
      // the bytes of the whole text encoded at once (a lone surrogate is written as U+FFFD either way)
      const bytes = (path: string) => readFileSync(join(dir, path)).toString('hex');
      const utf8 = (text: string) => Buffer.from(text).toString('hex');
      writeTradeLog(join(dir, 't.csv'), tradeRowsText(rows));
      expect(bytes('t.csv')).toBe(
        utf8(
          renderCsv(
            TRADE_COLUMNS,
            rows.map((r) => TRADE_COLUMNS.map((c) => r[c])),
          ),
        ),
      );
      writeTradeLog(join(dir, 'sub', 't.json'), tradeRowsText(rows));
      expect(bytes('sub/t.json')).toBe(utf8(`${JSON.stringify(rows, null, 2)}\n`));
      // asked for the --json rows: the same log; no rows to give for rows given as objects (no texts)
      expect(writeTradeLog(join(dir, 't2.csv'), tradeRowsText(rows), { json: true })).toBeNull();
      expect(bytes('t2.csv')).toBe(bytes('t.csv'));
      writeTradeLog(join(dir, 'empty.csv'), tradeRowsText([]));
      expect(readFileSync(join(dir, 'empty.csv'), 'utf8')).toBe(renderCsv(TRADE_COLUMNS, []));
      writeTradeLog(join(dir, 'empty.json'), tradeRowsText([]));
      expect(readFileSync(join(dir, 'empty.json'), 'utf8')).toBe('[]\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('trade rows', () => {
  const num = fc.oneof(fc.double(), fc.integer(), fc.constant(-0), fc.constant(0.1), fc.constant(1e21), fc.constant(5e-7));
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }),
    fc.constantFrom('a,b', '"q"', 'x\ny', 'c\rr', ''),
  );
  const row = fc.record<TradeRow>({
    n: fc.integer({ min: 1, max: 1e6 }),
    side: fc.constantFrom('long', 'short'),
    entry_time: text,
    entry_price: num,
    exit_time: fc.constant('2025-01-01T00:00:00.000Z'),
    exit_price: num,
    size: num,
    pnl: num,
    gross_pnl: num,
    fees: num,
    funding: num,
    return_pct: num,
    entry_reason: text,
    exit_reason: text,
  });

  it('are renderCsv and JSON.stringify(rows, null, 2), alone or nested', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), fc.integer({ min: 1, max: 4 }), (rows, chunk) => {
        const t = tradeRowsText(rows);
        const csv = `${TRADE_COLUMNS.join(',')}\n${rows.map((_, k) => `${t.csv(t.row(k))}\n`).join('')}`;
        expect(csv).toBe(
          renderCsv(
            TRADE_COLUMNS,
            rows.map((r) => TRADE_COLUMNS.map((c) => r[c])),
          ),
        );
        expect(joined(rows.length, t.row, 0, chunk).join('')).toBe(JSON.stringify(rows, null, 2));
      }),
      { numRuns: 500 },
    );
  });

  it("of a run, read from its sink, are those of its trades' rows", () => {
    const candles = sp500();
    for (const [id, mode] of STRATEGY_MODES) {
      const o = sp500Run(candles, id, mode, 2);
      const fromSink = outcomeTradesText(o);
      const rows = tradeRows(o);
      expect(fromSink.count).toBe(rows.length);
      const byRow = tradeRowsText(rows);
      // in order, out of order and twice the same row: the reused record must not leak
      const order = [...rows.keys(), ...[...rows.keys()].reverse(), 0, 0];
      for (const k of order.filter((k) => k < rows.length)) {
        expect(fromSink.row(k)).toStrictEqual(rows[k]);
        expect(fromSink.csv(fromSink.row(k))).toBe(byRow.csv(rows[k]!));
      }
      expect(JSON.stringify(Array.from(rows, (_, k) => fromSink.row(k)))).toBe(JSON.stringify(rows));
    }
  });

  it("of a run, written as CSV with their --json text, give the log's bytes and the list's text", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunicoin-log-'));
    try {
      const candles = sp500();
      for (const [id, mode] of STRATEGY_MODES) {
        const o = sp500Run(candles, id, mode, 2);
        const rows = tradeRows(o);
        writeTradeLog(join(dir, 'plain.csv'), outcomeTradesText(o));
        const json = writeTradeLog(join(dir, 'both.csv'), outcomeTradesText(o), { json: true });
        expect(readFileSync(join(dir, 'both.csv')).equals(readFileSync(join(dir, 'plain.csv')))).toBe(true);
        if (rows.length === 0) {
          expect(json).toBeNull();
          continue;
        }
        // the --json output's list after its "[\n", each buffer whole UTF-8
        const text = (json ?? []).map((b) => b.toString('utf8')).join('');
        expect(`[\n${text}`).toBe(joined(rows.length, (k) => rows[k]!, 1).join(''));
        // a .json log gives none
        expect(writeTradeLog(join(dir, 'log.json'), outcomeTradesText(o), { json: true })).toBeNull();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

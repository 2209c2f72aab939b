// The trade log's fast text paths give the same bytes as the plain ones they replace:
// isoText = toISOString, emitJsonArray = JSON.stringify(rows, null, 2), CSV pieces = renderCsv.
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
      const columns = ['n', 'side', 'reason', 'pnl'];
      const rows = Array.from({ length: 5000 }, (_, k) => ({
        n: k + 1,
        side: k % 2 ? 'long' : 'short',
        reason: k % 7 ? `EMA12 ${k}.25 crossed, "x"` : 'a,b\nc',
        pnl: k % 3 ? -k / 7 : 0,
      }));
      writeTradeLog(join(dir, 't.csv'), rows.length, (k) => rows[k]!, columns);
      expect(readFileSync(join(dir, 't.csv'), 'utf8')).toBe(
        renderCsv(
          columns,
          rows.map((r) => columns.map((c) => r[c as keyof typeof r])),
        ),
      );
      writeTradeLog(join(dir, 'sub', 't.json'), rows.length, (k) => rows[k]!, columns);
      expect(readFileSync(join(dir, 'sub', 't.json'), 'utf8')).toBe(`${JSON.stringify(rows, null, 2)}\n`);
      writeTradeLog(join(dir, 'empty.csv'), 0, () => ({}), columns);
      expect(readFileSync(join(dir, 'empty.csv'), 'utf8')).toBe(renderCsv(columns, []));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

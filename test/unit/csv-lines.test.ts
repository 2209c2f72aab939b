import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { PlainCsvSplitter } from '../../src/market/csv-lines.ts';

const split = (chunks: string[], delimiter = ','): Array<[string[], number]> => {
  const out: Array<[string[], number]> = [];
  const s = new PlainCsvSplitter(delimiter, (r, line) => out.push([r, line]));
  for (const c of chunks) expect(s.push(c)).toBe(true);
  s.end();
  return out;
};

describe('PlainCsvSplitter (the import fast path)', () => {
  it("gives csv-parse's records and line numbers for quote-free files, however the text is chunked", () => {
    const field = fc.stringMatching(/^[ a-z0-9.:+-]{0,6}$/);
    const line = fc.array(field, { minLength: 1, maxLength: 5 }).map((f) => f.join(','));
    const file = fc
      .tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.boolean())
      .map(([lines, eol, bom, lastEol]) => `${bom ? '\uFEFF' : ''}${lines.join(eol)}${lastEol && lines.length ? eol : ''}`);
    fc.assert(
      fc.property(file, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let at = 0;
        for (const p of points) {
          chunks.push(text.slice(at, p));
          at = p;
        }
        chunks.push(text.slice(at));
        const expected = (
          parse(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as Array<{
            record: string[];
            info: { lines: number };
          }>
        ).map((r) => [r.record, r.info.lines]);
        expect(split(chunks)).toEqual(expected);
      }),
    );
  });

  it('refuses a chunk with a quote (the caller switches to csv-parse)', () => {
    const s = new PlainCsvSplitter(',', () => {});
    expect(s.push('a,b\n')).toBe(true);
    expect(s.push('"c",d\n')).toBe(false);
  });

  it('splits on ; and tabs', () => {
    expect(split(['a;b\n1;2\n'], ';')).toEqual([
      [['a', 'b'], 1],
      [['1', '2'], 2],
    ]);
    expect(split(['a\tb\n\n1\t2'], '\t')).toEqual([
      [['a', 'b'], 1],
      [['1', '2'], 3],
    ]);
  });
});

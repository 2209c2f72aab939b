import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NotFoundError, UsageError } from '../../src/core/errors.ts';
import { pickByIdPrefix, shortestUniquePrefix, uniquePrefixes } from '../../src/core/ids.ts';

const rows = ['019a1b2c-0000-7000-8000-000000000001', '019a1b2c-0000-7000-8000-000000000002', '019a1b2d-1111-7000-8000-000000000003'].map(
  (id) => ({ id }),
);
const pick = (input: string) =>
  pickByIdPrefix(
    'order',
    input,
    rows.filter((r) => r.id.startsWith(input.trim().toLowerCase())),
    'see `tunicoin orders`',
  );

describe('pickByIdPrefix: exact id, else a unique prefix', () => {
  it('finds the exact id and a unique prefix (any case, trimmed)', () => {
    expect(pick(rows[0]!.id).id).toBe(rows[0]!.id);
    expect(pick('019A1B2D').id).toBe(rows[2]!.id);
    expect(pick(' 019a1b2d ').id).toBe(rows[2]!.id);
  });
  it('an ambiguous prefix is a usage error listing the candidates', () => {
    const e = (() => {
      try {
        pick('019a1b2c');
      } catch (x) {
        return x as Error;
      }
      return null;
    })();
    expect(e).toBeInstanceOf(UsageError);
    expect(e?.message).toContain(rows[0]!.id);
    expect(e?.message).toContain(rows[1]!.id);
    expect(e?.message).not.toContain('\n');
  });
  it('no match, or something that is not an id, is not found', () => {
    expect(() => pick('ffff')).toThrow(NotFoundError);
    expect(() => pickByIdPrefix('order', 'zz%_', [], 'h')).toThrow(NotFoundError);
    expect(() => pickByIdPrefix('order', '', [], 'h')).toThrow(NotFoundError);
  });
  it('a prefix shorter than 4 characters is a usage error', () => {
    expect(() => pick('019')).toThrow(UsageError);
  });
});

describe('short ids', () => {
  it('are at least 8 characters and grow until unique, never ending on a dash', () => {
    expect(shortestUniquePrefix(rows[2]!.id, [rows[1]!.id])).toBe('019a1b2d');
    expect(shortestUniquePrefix(rows[0]!.id, [rows[1]!.id])).toBe('019a1b2c-0000-7000-8000-000000000001');
    expect(shortestUniquePrefix('019a1b2c-1234-7000', ['019a1b2c-9999-7000'])).toBe('019a1b2c-1');
    expect(shortestUniquePrefix('abc', [])).toBe('abc');
  });
  it('are unique in the list and each resolves back to its id', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[0-9a-f]{12}$/), { minLength: 1, maxLength: 40 }), (hex) => {
        // ids created in the same minute share their first 8 characters
        const ids = hex.map((h) => `019a1b2c-${h.slice(0, 4)}-7${h.slice(4, 7)}-8${h.slice(7, 10)}-${h}`);
        const short = uniquePrefixes(ids);
        expect(new Set(short.values()).size).toBe(ids.length);
        for (const id of ids) {
          const s = short.get(id)!;
          expect(s.length).toBeGreaterThanOrEqual(8);
          const found = pickByIdPrefix(
            'order',
            s,
            ids.filter((x) => x.startsWith(s)).map((x) => ({ id: x })),
            'h',
          );
          expect(found.id).toBe(id);
        }
      }),
    );
  });
});

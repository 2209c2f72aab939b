/** An account's positions by instrument (position-book.ts) behave as the Map they replace, for every operation the engine uses. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PositionBook } from '../../src/engine/position-book.ts';
import type { EnginePosition } from '../../src/engine/state.ts';

const IDS = ['BTC-USD', 'ETH-USD', 'SOL-USD', 'I'];
const position = (n: number): EnginePosition => ({ id: `p${n}` }) as unknown as EnginePosition;

type Op = { kind: 'set'; id: string; n: number } | { kind: 'delete'; id: string };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), id: fc.constantFrom(...IDS), n: fc.nat(1000) }),
  fc.record({ kind: fc.constant('delete' as const), id: fc.constantFrom(...IDS) }),
);

/** Everything a reader can see of either. */
function seen(m: Map<string, EnginePosition> | PositionBook): unknown {
  return {
    size: m.size,
    values: [...m.values()].map((p) => p.id),
    get: IDS.map((id) => m.get(id)?.id ?? null),
    has: IDS.map((id) => m.has(id)),
  };
}

describe('PositionBook', () => {
  it('answers as a Map after any sequence of sets and deletes (order, replacement, size, return values)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const map = new Map<string, EnginePosition>();
        const book = new PositionBook();
        for (const o of ops) {
          if (o.kind === 'set') {
            expect(book.set(o.id, position(o.n))).toBe(book);
            map.set(o.id, position(o.n));
          } else expect(book.delete(o.id)).toBe(map.delete(o.id));
          expect(seen(book)).toEqual(seen(map));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a replaced position in its place in the order', () => {
    const book = new PositionBook();
    book.set('A', position(1)).set('B', position(2)).set('A', position(3));
    expect([...book.values()].map((p) => p.id)).toEqual(['p3', 'p2']);
  });

  it("sees a position added while its values are being read, as a Map's iterator does", () => {
    const book = new PositionBook();
    book.set('A', position(1));
    const got: string[] = [];
    for (const p of book.values()) {
      got.push(p.id);
      if (p.id === 'p1') book.set('B', position(2));
    }
    expect(got).toEqual(['p1', 'p2']);
  });
});

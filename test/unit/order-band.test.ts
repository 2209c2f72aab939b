/**
 * The engine's order band (quiet-band.ts orderBandOf): on a bar inside it no working order can
 * fill, trigger or trail, so the engine skips its orders there. Checked directly (every order
 * on every bar inside the band matches nothing) and end to end (an engine that processes its
 * orders on every bar gives the same orders, fills, positions and journals).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchOrder, type Bar } from '../../src/core/fill.ts';
import { parseQty, priceFromFloat, type Price } from '../../src/core/money.ts';
import { orderBandOf } from '../../src/engine/quiet-band.ts';
import { makeEngine, MIN, T0 } from '../helpers/engine.ts';

type Kind = 'limit' | 'stop' | 'stop_limit';
interface OrderSpec {
  kind: Kind;
  side: 'buy' | 'sell';
  level: number;
  limitOffset: number;
  size: number;
}

const orderSpec = fc.record({
  kind: fc.constantFrom<Kind>('limit', 'stop', 'stop_limit'),
  side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
  level: fc.double({ min: 80, max: 120, noNaN: true }),
  limitOffset: fc.double({ min: -3, max: 3, noNaN: true }),
  size: fc.integer({ min: 1, max: 50 }),
});
/** Bars of a random walk around 100: moves of up to `jump`, ranges of up to `range`. */
const bars = (n: number) =>
  fc
    .array(
      fc.tuple(
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
      ),
      { minLength: 1, maxLength: n },
    )
    .chain((steps) =>
      fc.constantFrom(0.05, 0.5, 4).map((jump) => {
        let mid = 100;
        return steps.map(([d, up, down]): Bar => {
          const open = mid;
          mid = Math.max(1, mid + d * jump);
          const high = Math.max(open, mid) + up * jump;
          const low = Math.max(0.5, Math.min(open, mid) - down * jump);
          return { open, high, low, close: mid, volume: 1000 };
        });
      }),
    );

function place(e: ReturnType<typeof makeEngine>, specs: readonly OrderSpec[]): void {
  for (const o of specs) {
    const tick = e.state.instruments.get('I')!.spec.tickSize;
    const level = (Math.round(priceFromFloat(o.level) / tick) * tick) as Price;
    const limit = Math.max(tick, Math.round(priceFromFloat(o.level + o.limitOffset) / tick) * tick) as Price;
    e.engine.placeOrder({
      accountId: 'A',
      instrumentId: 'I',
      side: o.side,
      type: o.kind,
      size: parseQty(String(o.size / 100)),
      leverage: 5,
      price: o.kind === 'stop' ? null : o.kind === 'limit' ? level : limit,
      stopPrice: o.kind === 'limit' ? null : level,
    });
  }
}

describe('order band', () => {
  it('no working order can act on a bar inside its band', () => {
    fc.assert(
      fc.property(
        fc.array(orderSpec, { minLength: 1, maxLength: 8 }),
        bars(40),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        (specs, bs, spread) => {
          const e = makeEngine({ spec: { baseSpread: spread }, balance: '1000000' });
          place(e, specs);
          const inst = e.state.instruments.get('I')!;
          const band = orderBandOf(e.state.orders, inst, { lowAbove: 0, highBelow: 0, count: 0 });
          for (const bar of bs) {
            if (!(bar.low > band.lowAbove && bar.high < band.highBelow)) continue;
            for (const o of e.state.orders) {
              const m = matchOrder(
                { side: o.side, type: o.type, size: o.size, price: o.price, stopPrice: o.stopPrice, triggered: o.triggeredAt !== null },
                bar,
                inst.params,
              );
              expect(m.kind).toBe('none');
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('skipping the orders inside the band changes nothing: the same orders, fills, positions and journals', () => {
    fc.assert(
      fc.property(
        fc.array(orderSpec, { minLength: 1, maxLength: 8 }),
        bars(120),
        fc.integer({ min: 0, max: 119 }),
        (specs, bs, placeAt) => {
          const run = (everyBar: boolean) => {
            const e = makeEngine({ balance: '1000000' });
            // the reference processes the orders on every bar
            if (everyBar) (e.engine as unknown as { ordersQuiet: () => boolean }).ordersQuiet = () => false;
            place(e, specs.slice(0, 4));
            bs.forEach((bar, k) => {
              if (k === placeAt) place(e, specs.slice(4)); // more orders half way, on a band already computed
              e.engine.step('I', bar, T0 + (k + 1) * MIN);
            });
            return {
              orders: [...e.sink.orders.values()],
              positions: [...e.sink.positions.values()],
              closed: e.sink.closed,
              journals: e.sink.journals,
              working: e.state.orders,
            };
          };
          expect(run(false)).toEqual(run(true));
        },
      ),
      { numRuns: 200 },
    );
  });
});

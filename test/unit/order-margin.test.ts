/**
 * Rejections carry a code and figures; an order's `marginRequired` is its own margin, not the
 * position's total after it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InsufficientMarginError, RejectedError } from '../../src/core/errors.ts';
import { parseMoney, parsePrice, parseQty, type Qty } from '../../src/core/money.ts';
import { accountMarks } from '../../src/engine/accounting.ts';
import { orderRejected } from '../../src/cli/commands/order.ts';
import { flat, makeEngine, MIN, T0 } from '../helpers/engine.ts';

const q = parseQty;
const M = parseMoney;
const buy = (size: string, over: object = {}) => ({
  accountId: 'A',
  instrumentId: 'I',
  side: 'buy' as const,
  type: 'market' as const,
  size: q(size),
  fillNow: true,
  ...over,
});

describe('insufficient margin', () => {
  it('rejects with the code and the figures: what the order takes from the available margin, and what is available', () => {
    const { engine } = makeEngine();
    // 200 at the ask 100.05: margin 20,010 (1x), fee 10.005, half the spread 10 lost at the mid
    const o = engine.placeOrder(buy('200'));
    expect(o.status).toBe('rejected');
    expect(o.rejectCode).toBe('insufficient_margin');
    expect(o.rejectFigures).toEqual({ required: M('20030.005'), available: M('10000') });
    expect(o.marginRequired).toBe(M('20010'));
    expect(o.rejectReason).toMatch(
      /^insufficient margin: needs \$20,030\.0\d \(margin \$20,010\.00, fees \$10\.00 and the spread\); only \$10,000\.00 is available$/,
    );
  });

  it('the typed error carries the code and the figures as decimal strings', () => {
    const { engine } = makeEngine();
    const e = orderRejected(engine.placeOrder(buy('200')));
    expect(e).toBeInstanceOf(InsufficientMarginError);
    expect(e).toMatchObject({ kind: 'rejected', code: 'insufficient_margin', required: '20030.005', available: '10000.00' });
    const small = orderRejected(engine.placeOrder(buy('0.001')));
    expect(small).toBeInstanceOf(RejectedError);
    expect(small).not.toBeInstanceOf(InsufficientMarginError);
    expect(small.code).toBe('size_too_small');
  });

  it('property: an order is refused for margin exactly when it requires more than is available', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30_000 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 5000 }),
        (lots, leverage, heldLots) => {
          const { engine, acct } = makeEngine();
          if (heldLots > 0) engine.placeOrder(buy('0', { size: (heldLots * q('0.01')) as Qty, leverage }));
          const available = accountMarks(engine.state, acct).available;
          const o = engine.placeOrder(buy('0', { size: (lots * q('0.01')) as Qty, leverage }));
          if (o.status === 'rejected') {
            expect(o.rejectCode).toBe('insufficient_margin');
            expect(o.rejectFigures!.available).toBe(available);
            expect(o.rejectFigures!.required).toBeGreaterThan(o.rejectFigures!.available);
          } else {
            expect(o.status).toBe('filled');
            expect(o.rejectFigures).toBeUndefined();
            expect(accountMarks(engine.state, acct).available).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("an order's marginRequired is its own margin", () => {
  it('two buys into one position: each shows its own margin; the position holds the sum', () => {
    const { engine, acct } = makeEngine();
    const first = engine.placeOrder(buy('10'));
    const second = engine.placeOrder(buy('5'));
    expect(first.marginRequired).toBe(M('1000.5')); // 10 x 100.05
    expect(second.marginRequired).toBe(M('500.25')); // 5 x 100.05, not the position's 1,500.75
    expect(acct.positions.get('I')?.marginUsed).toBe(M('1500.75'));
  });

  it('at a leverage: the order margin is its notional over its leverage', () => {
    const { engine } = makeEngine();
    engine.placeOrder(buy('10', { leverage: 5 }));
    expect(engine.placeOrder(buy('20', { leverage: 5 })).marginRequired).toBe(M('400.2')); // 2,001 / 5
  });

  it('a sell that only reduces needs no margin; a flip needs the margin of what it opens', () => {
    const { engine } = makeEngine();
    engine.placeOrder(buy('10'));
    expect(engine.placeOrder({ ...buy('4'), side: 'sell' }).marginRequired).toBe(0);
    const flip = engine.placeOrder({ ...buy('8'), side: 'sell' }); // closes 6, opens a short of 2 at the bid 99.95
    expect(flip.status).toBe('filled');
    expect(flip.marginRequired).toBe(M('199.9'));
  });

  it('a resting limit shows its own margin at its limit, then at its fill', () => {
    const { engine } = makeEngine();
    engine.placeOrder(buy('10'));
    const limit = engine.placeOrder(buy('10', { type: 'limit', price: parsePrice('99') }));
    expect(limit.status).toBe('pending');
    expect(limit.marginRequired).toBe(M('990'));
    engine.step('I', { open: 99.5, high: 99.5, low: 98, close: 98.5, volume: 1000 }, T0 + MIN);
    expect(limit.status).toBe('filled');
    expect(limit.marginRequired).toBe(M('990'));
    engine.step('I', flat(98.5), T0 + 2 * MIN);
  });
});

/** Position sizing and the order that moves a position where a decision wants it. */
import { describe, expect, it } from 'vitest';
import { orderFor, parseSizeSpec, positionSize } from '../../src/engine/executor.ts';
import { parseQty, type Qty } from '../../src/core/money.ts';
import { makeEngine } from '../helpers/engine.ts';

const q = parseQty;

describe('parseSizeSpec', () => {
  it('reads contracts, percentages and all', () => {
    expect(parseSizeSpec('0.5')).toEqual({ kind: 'fixed', size: q('0.5') });
    expect(parseSizeSpec('25%')).toEqual({ kind: 'fraction', fraction: 0.25 });
    expect(parseSizeSpec(undefined)).toEqual({ kind: 'all' });
  });
  it.each(['0', '-1', '150%', '0%', 'lots', '1e3'])('rejects %s', (s) => {
    expect(() => parseSizeSpec(s)).toThrow();
  });
});

describe('orderFor', () => {
  const two = q('2');
  it.each([
    ['buy', 0, { side: 'buy', size: two, reduceOnly: false }],
    ['buy', -q('1'), { side: 'buy', size: q('3'), reduceOnly: false }], // flip a short
    ['buy', q('1'), null], // already long
    ['sell', q('1'), { side: 'sell', size: q('3'), reduceOnly: false }],
    ['close', q('1'), { side: 'sell', size: q('1'), reduceOnly: true }],
    ['close', -q('1'), { side: 'buy', size: q('1'), reduceOnly: true }],
    ['close', 0, null],
    ['hold', q('1'), null],
  ] as const)('%s from %d', (decision, current, expected) => {
    expect(orderFor(decision, current, two as Qty)).toEqual(expected);
  });
  it('a flip that cannot size a new position only closes', () => {
    expect(orderFor('sell', q('1'), 0 as Qty)).toEqual({ side: 'sell', size: q('1'), reduceOnly: true });
  });
});

describe('positionSize', () => {
  it('fixed sizes round down to the lot step; fractions of equity scale with leverage', () => {
    const { engine, acct } = makeEngine({ balance: '10000' });
    const inst = engine.instrument('I');
    expect(positionSize({ kind: 'fixed', size: q('1.237') }, engine, acct, inst, 1, 100, false)).toBe(q('1.23'));
    expect(positionSize({ kind: 'fraction', fraction: 0.5 }, engine, acct, inst, 1, 100, false)).toBe(q('50'));
    expect(positionSize({ kind: 'fraction', fraction: 0.5 }, engine, acct, inst, 4, 100, false)).toBe(q('200'));
  });
  it('"all" leaves room for spread and fees, so the order is accepted', () => {
    const { engine, acct } = makeEngine({ balance: '10000' });
    const inst = engine.instrument('I');
    const size = positionSize({ kind: 'all' }, engine, acct, inst, 5, 100, false);
    expect(size).toBeGreaterThan(q('480'));
    expect(size).toBeLessThan(q('500'));
    const o = engine.placeOrder({ accountId: 'A', instrumentId: 'I', side: 'buy', type: 'market', size, leverage: 5, fillNow: true });
    expect(o.status).toBe('filled');
  });
});

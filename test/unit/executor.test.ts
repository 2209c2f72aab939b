/** Position sizing and the order that moves a position where a decision wants it. */
import { describe, expect, it } from 'vitest';
import { legsFor, positionSize } from '../../src/engine/executor.ts';
import { parseSizeSpec } from '../../src/core/size-spec.ts';
import { parseQty } from '../../src/core/money.ts';
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

describe('legsFor', () => {
  const one = q('1');
  it.each([
    ['buy', 0, { close: null, open: 'buy' }],
    ['buy', -one, { close: { side: 'buy', size: one, reduceOnly: true }, open: 'buy' }], // a reversal: close, then open
    ['buy', one, { close: null, open: null }], // already long
    ['sell', one, { close: { side: 'sell', size: one, reduceOnly: true }, open: 'sell' }],
    ['sell', 0, { close: null, open: 'sell' }],
    ['close', one, { close: { side: 'sell', size: one, reduceOnly: true }, open: null }],
    ['close', -one, { close: { side: 'buy', size: one, reduceOnly: true }, open: null }],
    ['close', 0, { close: null, open: null }],
    ['hold', one, { close: null, open: null }],
  ] as const)('%s from %d', (decision, current, expected) => {
    expect(legsFor(decision, current)).toEqual(expected);
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

import { describe, expect, it } from 'vitest';
import { applyFill, marginFor, maintenanceOf, unrealized } from '../../src/core/position.ts';
import { parseMoney, parsePrice, parseQty, type Qty } from '../../src/core/money.ts';

const q = (s: string) => parseQty(s);
const P = (s: string) => parsePrice(s);
const M = (s: string) => parseMoney(s);
const one = q('1');
const neg = (x: Qty) => -x as Qty;

describe('netting', () => {
  it('opens and adds with a size-weighted average entry', () => {
    const a = applyFill(null, q('1'), P('100'), one, 2);
    expect(a.after).toEqual({ size: q('1'), entryPrice: P('100'), leverage: 2, marginUsed: M('50') });
    const b = applyFill(a.after, q('3'), P('200'), one, 2);
    expect(b.after.size).toBe(q('4'));
    expect(b.after.entryPrice).toBe(P('175'));
    expect(b.after.marginUsed).toBe(M('350'));
    expect(b.realized).toBe(0);
    expect(b.openedSize).toBe(q('3'));
  });
  it('reduces, realising PnL on the reduced part only', () => {
    const r = applyFill({ size: q('4'), entryPrice: P('100'), leverage: 1, marginUsed: M('400') }, neg(q('1')), P('110'), one, 1);
    expect(r.realized).toBe(M('10'));
    expect(r.after).toEqual({ size: q('3'), entryPrice: P('100'), leverage: 1, marginUsed: M('300') });
    expect(r.closedSize).toBe(q('1'));
  });
  it('closes at zero', () => {
    const r = applyFill({ size: neg(q('2')), entryPrice: P('100'), leverage: 1, marginUsed: M('200') }, q('2'), P('90'), one, 1);
    expect(r.realized).toBe(M('20')); // short profits when the price falls
    expect(r.after.size).toBe(0);
    expect(r.after.marginUsed).toBe(0);
  });
  it('flips across zero: closes the old side, opens the rest at the fill price', () => {
    const r = applyFill({ size: q('1'), entryPrice: P('100'), leverage: 1, marginUsed: M('100') }, neg(q('3')), P('95'), one, 5);
    expect(r.flipped).toBe(true);
    expect(r.realized).toBe(M('-5'));
    expect(r.after).toEqual({ size: neg(q('2')), entryPrice: P('95'), leverage: 5, marginUsed: M('38') });
  });
  it('uses the contract size (EURUSD lots)', () => {
    const lot = q('100000');
    expect(marginFor(q('0.5'), P('1.1'), lot, 10)).toBe(M('5500'));
    expect(unrealized({ size: q('0.5'), entryPrice: P('1.1'), leverage: 10, marginUsed: M('5500') }, P('1.10010'), lot)).toBe(M('5'));
    expect(maintenanceOf(M('5500'))).toBe(M('2750'));
  });
});

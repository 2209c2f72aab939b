/** Sums of money are checked: past 2^53 they fail fast instead of losing precision. */
import { describe, expect, it } from 'vitest';
import { addMoney, FixedPointOverflowError, MAX_MONEY, parseMoney, subMoney, sumMoney, type Money } from '../../src/core/money.ts';
import { post } from '../../src/engine/accounting.ts';
import { MemorySink } from '../../src/engine/memory-sink.ts';
import { makeEngine, T0 } from '../helpers/engine.ts';

const M = parseMoney;

describe('checked sums', () => {
  it('add, subtract and sum exactly inside the safe range', () => {
    expect(addMoney(M('0.1'), M('0.2'))).toBe(M('0.3'));
    expect(subMoney(M('0.3'), M('0.1'))).toBe(M('0.2'));
    expect(sumMoney([M('1.5'), M('-0.25'), M('0.000001')])).toBe(M('1.250001'));
    expect(addMoney((MAX_MONEY - 1) as Money, 1 as Money)).toBe(MAX_MONEY);
  });

  it('throw past the safe range', () => {
    expect(() => addMoney(MAX_MONEY, 1 as Money)).toThrow(FixedPointOverflowError);
    expect(() => subMoney(-Number.MAX_SAFE_INTEGER as Money, 1 as Money)).toThrow(FixedPointOverflowError);
    expect(() => sumMoney([MAX_MONEY, MAX_MONEY, -Number.MAX_SAFE_INTEGER as Money])).toThrow(FixedPointOverflowError);
  });

  it("the engine's balances use them: a posting past the range fails instead of rounding", () => {
    const { acct } = makeEngine();
    acct.balance = MAX_MONEY;
    expect(() => post(new MemorySink(), acct, 'adjustment', 1 as Money, T0, { description: 'one unit too many' })).toThrow(
      FixedPointOverflowError,
    );
  });
});

/** Reusing order and position records (record-pool.ts): the same engine calls, with and without a pool, record the same things. */
import { describe, expect, it } from 'vitest';
import type { EntryType } from '../../src/core/ledger.ts';
import { parseMoney, parsePrice, parseQty, type Money, type Ppm, type Qty } from '../../src/core/money.ts';
import { Engine } from '../../src/engine/engine.ts';
import { newOrder } from '../../src/engine/order-placement.ts';
import { recordPool } from '../../src/engine/record-pool.ts';
import { emptyState, type EngineAccount, type EngineOrder, type EnginePosition, type EngineSink } from '../../src/engine/state.ts';
import { flat, MIN, T0, TEST_SPEC } from '../helpers/engine.ts';

const q = parseQty;
const P = parsePrice;

/** A sink that writes down every record as it is at each call (a pooled record changes later). */
class LogSink implements EngineSink {
  readonly log: string[] = [];
  orderCreated(o: EngineOrder): void {
    this.log.push(`created ${JSON.stringify(o)}`);
  }
  orderUpdated(o: EngineOrder): void {
    this.log.push(`updated ${JSON.stringify(o)}`);
  }
  positionOpened(p: EnginePosition): void {
    this.log.push(`opened ${JSON.stringify(p)}`);
  }
  positionUpdated(p: EnginePosition): void {
    this.log.push(`pos updated ${JSON.stringify(p)}`);
  }
  positionClosed(p: EnginePosition): void {
    this.log.push(`closed ${JSON.stringify(p)}`);
  }
  journal(accountId: string, type: EntryType, amount: Money, time: number, refs: object): void {
    this.log.push(`journal ${accountId} ${type} ${amount} ${time} ${JSON.stringify(refs)}`);
  }
}

function engineWith(pooled: boolean) {
  const state = emptyState(T0, pooled ? recordPool() : null);
  const spec = { ...TEST_SPEC, slippageFactor: 0.1 };
  state.instruments.set('I', {
    id: 'I',
    spec,
    params: {
      spread: spec.baseSpread,
      tick: spec.tickSize,
      slippageFactor: spec.slippageFactor,
      minSize: spec.minSize,
      maxParticipation: 0,
    },
    bar: flat(100),
    barTime: T0,
    holders: [],
    nextFundingAt: NaN,
  });
  const acct: EngineAccount = {
    id: 'A',
    balance: parseMoney('2000'),
    maxLeverage: 5,
    makerFee: 200 as Ppm,
    takerFee: 500 as Ppm,
    maxDailyLoss: null,
    isActive: true,
    positions: new Map(),
    dayKey: 0,
    dayPnl: 0 as Money,
  };
  state.accounts.set('A', acct);
  const sink = new LogSink();
  let n = 0;
  return { engine: new Engine(state, sink, () => `id-${++n}`), sink, state, acct };
}

/** A session of decisions, exits, fills sized at the fill, rejections at the fill and flips, on a wavy market. */
function session(pooled: boolean) {
  const { engine, sink, state, acct } = engineWith(pooled);
  const placed: EngineOrder[] = [];
  let reused = 0;
  let reusedPositions = 0;
  const ids = new Map<EnginePosition, string>();
  const place = (side: 'buy' | 'sell', size: string, more: Partial<Parameters<Engine['placeOrder']>[0]> = {}) => {
    const o = engine.placeOrder({ accountId: 'A', instrumentId: 'I', side, type: 'market', size: q(size), source: 'bot', ...more });
    if (placed.includes(o)) reused++;
    placed.push(o);
  };
  for (let k = 1; k <= 240; k++) {
    const mid = 100 + 8 * Math.sin(k / 9) + (k % 7) * 0.3;
    const bar = { open: mid - 0.2, high: mid + 0.9, low: mid - 1.1, close: mid, volume: 500 };
    engine.step('I', bar, T0 + k * MIN);
    const pos = acct.positions.get('I');
    if (pos) {
      const id = ids.get(pos);
      if (id !== undefined && id !== pos.id) reusedPositions++;
      ids.set(pos, pos.id);
    }
    const held = pos ? (pos.size as number) : 0;
    if (k % 5 === 0 && held !== 0) place(held > 0 ? 'sell' : 'buy', '0', { size: Math.abs(held) as Qty, reduceOnly: true });
    if (k % 5 === 0) place(k % 10 === 0 ? 'buy' : 'sell', '1', { leverage: 2, reason: `k ${k}` });
    if (k % 11 === 0)
      place('buy', '1', {
        leverage: 3,
        stopLoss: P(String(Math.floor(mid - 2))),
        takeProfit: P(String(Math.ceil(mid + 2))),
      });
    if (k % 13 === 0) place('sell', '1', { sizeAtFill: { kind: 'fraction', fraction: 0.5, max: null }, leverage: 2 });
    if (k % 17 === 0) place('buy', '500', { leverage: 1 }); // too big: rejected at the fill, with the refusal's figures
    if (k % 19 === 0) place('buy', '2', { type: 'limit', price: P(String(Math.floor(mid - 1))), leverage: 2 });
  }
  return { log: sink.log, balance: acct.balance, working: state.orders.length, reused, reusedPositions };
}

describe('record pool', () => {
  it('a session records the same orders, positions and journals with and without reusing records', () => {
    const plain = session(false);
    const pooled = session(true);
    expect(pooled.log).toEqual(plain.log);
    expect(pooled.balance).toBe(plain.balance);
    expect(pooled.working).toBe(plain.working);
    expect(plain.log.some((l) => l.startsWith('closed'))).toBe(true);
    expect(plain.log.some((l) => l.includes('"status":"rejected"'))).toBe(true);
    // records were in fact reused, and only with a pool
    expect(plain.reused).toBe(0);
    expect(pooled.reused).toBeGreaterThan(10);
    expect(plain.reusedPositions).toBe(0);
    expect(pooled.reusedPositions).toBeGreaterThan(3);
  });

  it('an order rewritten from a spare record is the record a new one would be, field for field and in the same order', () => {
    const { state, acct } = engineWith(true);
    const inst = state.instruments.get('I')!;
    const old = newOrder(
      { accountId: 'A', instrumentId: 'I', side: 'sell', type: 'stop', size: q('3'), stopPrice: P('90'), reason: 'x' },
      acct,
      inst,
      'o1',
      T0,
    );
    Object.assign(old, {
      status: 'filled',
      filledSize: q('3'),
      fillPrice: P('89.5'),
      requestedSize: q('4'),
      triggeredAt: T0,
      filledAt: T0,
    });
    const input = {
      accountId: 'A',
      instrumentId: 'I',
      side: 'buy' as const,
      type: 'market' as const,
      size: q('1'),
      reduceOnly: true,
      sizeAtFill: { kind: 'all' as const, fraction: 1, max: null },
    };
    const fresh = newOrder(input, acct, inst, 'o2', T0 + MIN);
    const rewritten = newOrder(input, acct, inst, 'o2', T0 + MIN, old);
    expect(rewritten).toBe(old);
    expect(Object.keys(rewritten)).toEqual(Object.keys(fresh));
    expect(rewritten).toEqual(fresh);
  });
});

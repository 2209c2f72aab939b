/** The engine on in-memory state: orders, fills, margin, funding, SL/TP, liquidation. */
import { describe, expect, it } from 'vitest';
import { accountMarks } from '../../src/engine/accounting.ts';
import { parseMoney, parsePrice, parseQty } from '../../src/core/money.ts';
import { flat, makeEngine, MIN, T0 } from '../helpers/engine.ts';

const q = parseQty;
const P = parsePrice;
const M = parseMoney;

describe('placing orders', () => {
  it('a market buy fills now at the ask, pays the taker fee, opens a position', () => {
    const { engine, sink, acct } = makeEngine();
    const o = engine.placeOrder({ accountId: 'A', instrumentId: 'I', side: 'buy', type: 'market', size: q('10'), fillNow: true });
    expect(o.status).toBe('filled');
    expect(o.fillPrice).toBe(P('100.05'));
    expect(o.commission).toBe(M('0.50025')); // 1,000.50 x 0.05%
    expect(acct.positions.get('I')?.size).toBe(q('10'));
    expect(sink.journals.map((j) => j.type)).toEqual(['deposit', 'commission']);
    const m = accountMarks(engine.state, acct);
    expect(m.equity).toBe(M('10000') - M('0.50025') - M('0.5')); // marked at the mid: half the spread lost
    expect(m.marginUsed).toBe(M('1000.5'));
  });

  it.each([
    [{ size: q('0.001') }, 'size_too_small'],
    [{ size: q('2000') }, 'size_too_large'],
    [{ size: q('0.015') }, 'size_off_grid'],
    [{ type: 'limit' as const }, 'missing_price'],
    [{ type: 'stop' as const }, 'missing_stop_price'],
    [{ type: 'limit' as const, price: P('99.999') }, 'price_off_tick'],
    [{ leverage: 11 }, 'leverage_too_high'],
    [{ size: q('200') }, 'insufficient_margin'],
    [{ stopLoss: P('101') }, 'bad_stop_loss'],
    [{ takeProfit: P('99') }, 'bad_take_profit'],
  ])('rejects %j with %s and changes nothing', (over, code) => {
    const { engine, sink, acct } = makeEngine();
    const o = engine.placeOrder({ accountId: 'A', instrumentId: 'I', side: 'buy', type: 'market', size: q('1'), fillNow: true, ...over });
    expect(o.status).toBe('rejected');
    expect(o.rejectCode).toBe(code);
    expect(o.rejectReason).toBeTruthy();
    expect(acct.positions.size).toBe(0);
    expect(sink.journals).toHaveLength(1);
    expect(acct.balance).toBe(M('10000'));
  });

  it('rejects an inactive or non-tradeable instrument', () => {
    expect(
      makeEngine({ spec: { isTradeable: false } }).engine.placeOrder({
        accountId: 'A',
        instrumentId: 'I',
        side: 'buy',
        type: 'market',
        size: q('1'),
        fillNow: true,
      }).rejectCode,
    ).toBe('not_tradeable');
    expect(
      makeEngine({ spec: { isActive: false } }).engine.placeOrder({
        accountId: 'A',
        instrumentId: 'I',
        side: 'buy',
        type: 'market',
        size: q('1'),
        fillNow: true,
      }).rejectCode,
    ).toBe('instrument_inactive');
  });

  it('leverage lowers the margin; max leverage caps it', () => {
    const { engine, acct } = makeEngine();
    const o = engine.placeOrder({
      accountId: 'A',
      instrumentId: 'I',
      side: 'buy',
      type: 'market',
      size: q('500'),
      leverage: 10,
      fillNow: true,
    });
    expect(o.status).toBe('filled');
    expect(accountMarks(engine.state, acct).marginUsed).toBe(M('5002.5'));
  });
});

describe('working orders on later bars', () => {
  it('a limit order rests, then fills when the range reaches it, at the limit, as maker', () => {
    const { engine, acct } = makeEngine();
    const o = engine.placeOrder({ accountId: 'A', instrumentId: 'I', side: 'buy', type: 'limit', price: P('99'), size: q('1') });
    expect(o.status).toBe('pending');
    engine.step('I', flat(99.5), T0 + MIN);
    expect(o.status).toBe('pending');
    engine.step('I', { open: 99.5, high: 99.6, low: 98.9, close: 99.2, volume: 100 }, T0 + 2 * MIN);
    expect(o.status).toBe('filled');
    expect(o.fillPrice).toBe(P('99'));
    expect(o.commission).toBe(M('0.0198'));
    expect(acct.positions.get('I')?.entryPrice).toBe(P('99'));
  });

  it('a market order decided at a close fills at the next bar open (no look-ahead)', () => {
    const { engine } = makeEngine();
    const o = engine.placeOrder({ accountId: 'A', instrumentId: 'I', side: 'buy', type: 'market', size: q('1') });
    expect(o.status).toBe('pending');
    engine.step('I', { open: 103, high: 104, low: 102, close: 103, volume: 100 }, T0 + MIN);
    expect(o.fillPrice).toBe(P('103.06'));
  });

  it('cancel removes a working order', () => {
    const { engine } = makeEngine();
    const o = engine.placeOrder({ accountId: 'A', instrumentId: 'I', side: 'sell', type: 'limit', price: P('120'), size: q('1') });
    engine.cancelOrder(o);
    engine.step('I', flat(125), T0 + MIN);
    expect(o.status).toBe('canceled');
    expect(engine.state.orders).toHaveLength(0);
  });
});

describe('stop-loss, take-profit, funding, liquidation, daily loss', () => {
  it('stop-loss closes the position, realising the loss', () => {
    const { engine, sink, acct } = makeEngine();
    engine.placeOrder({
      accountId: 'A',
      instrumentId: 'I',
      side: 'buy',
      type: 'market',
      size: q('10'),
      stopLoss: P('95'),
      takeProfit: P('110'),
      fillNow: true,
    });
    engine.step('I', { open: 100, high: 111, low: 94, close: 100, volume: 1000 }, T0 + MIN);
    expect(acct.positions.size).toBe(0);
    const exit = [...sink.orders.values()].find((o) => o.source === 'stop_loss');
    expect(exit?.fillPrice).toBe(P('94.95')); // adverse first: SL, at the bid of the stop
    expect(sink.journals.find((j) => j.type === 'trade_pnl')?.amount).toBe(M('-51'));
  });

  it('funding at each 8h boundary: longs pay a positive rate', () => {
    const { engine, sink } = makeEngine();
    engine.placeOrder({ accountId: 'A', instrumentId: 'I', side: 'buy', type: 'market', size: q('10'), fillNow: true });
    for (let t = T0 + MIN; t <= T0 + 2 * 60 * MIN; t += MIN) engine.step('I', flat(100), t); // 06:01 .. 08:00
    const f = sink.journals.filter((j) => j.type === 'funding');
    expect(f).toHaveLength(1);
    expect(f[0]!.amount).toBe(M('-0.1')); // 1,000 notional x 0.01%
    expect(f[0]!.time).toBe(Date.UTC(2026, 0, 1, 8, 0));
  });

  it('liquidates below maintenance margin at market, with liquidation entries', () => {
    const { engine, sink, acct } = makeEngine({ balance: '1000' });
    engine.placeOrder({ accountId: 'A', instrumentId: 'I', side: 'buy', type: 'market', size: q('90'), leverage: 10, fillNow: true });
    engine.step('I', flat(95), T0 + MIN);
    expect(acct.positions.size).toBe(1);
    engine.step('I', flat(90), T0 + 2 * MIN);
    expect(acct.positions.size).toBe(0);
    expect(sink.journals.some((j) => j.type === 'liquidation')).toBe(true);
    expect([...sink.orders.values()].some((o) => o.source === 'liquidation' && o.status === 'filled')).toBe(true);
    expect(acct.balance).toBeGreaterThanOrEqual(0);
  });

  it('a gap below zero equity is absorbed by an adjustment (negative balance protection)', () => {
    const { engine, sink, acct } = makeEngine({ balance: '1000' });
    engine.placeOrder({ accountId: 'A', instrumentId: 'I', side: 'buy', type: 'market', size: q('90'), leverage: 10, fillNow: true });
    engine.step('I', flat(80), T0 + MIN);
    expect(acct.balance).toBe(0);
    expect(sink.journals.at(-1)?.type).toBe('adjustment');
  });

  it('max daily loss blocks new risk but allows closing', () => {
    const { engine, acct } = makeEngine({ maxDailyLoss: '50' });
    engine.placeOrder({ accountId: 'A', instrumentId: 'I', side: 'buy', type: 'market', size: q('10'), fillNow: true });
    engine.step('I', flat(94), T0 + MIN);
    const more = engine.placeOrder({ accountId: 'A', instrumentId: 'I', side: 'buy', type: 'market', size: q('1'), fillNow: true });
    expect(more.rejectCode).toBe('daily_loss_limit');
    const close = engine.placeOrder({
      accountId: 'A',
      instrumentId: 'I',
      side: 'sell',
      type: 'market',
      size: q('10'),
      fillNow: true,
      reduceOnly: true,
    });
    expect(close.status).toBe('filled');
    expect(acct.positions.size).toBe(0);
  });
});

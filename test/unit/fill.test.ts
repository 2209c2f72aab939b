/** The fill model, case by case (prices in the table are decimals; the model works in ticks). */
import { describe, expect, it } from 'vitest';
import {
  fillMarket,
  matchExit,
  matchOrder,
  quoteBar,
  slippageFor,
  type Bar,
  type MarketParams,
  type OrderType,
  type Side,
} from '../../src/core/fill.ts';
import { parsePrice, parseQty } from '../../src/core/money.ts';

const P = (s: string) => parsePrice(s);
const params = (slippageFactor = 0): MarketParams => ({ spread: 0.001, tick: P('0.01'), slippageFactor, minSize: parseQty('0.01') });
const bar: Bar = { open: 100, high: 102, low: 98, close: 101, volume: 10 };
// ask(x) = x * 1.0005 rounded up to 0.01; bid(x) = x * 0.9995 rounded down.

type Case = [
  name: string,
  side: Side,
  type: OrderType,
  limit: string | null,
  stop: string | null,
  b: Bar,
  expected: string /* a fill price, 'none' or 'triggered' */,
  liquidity?: 'maker' | 'taker',
];
const gapDown: Bar = { open: 97, high: 97.5, low: 96, close: 97, volume: 10 };
const gapUp: Bar = { open: 103, high: 104, low: 102.5, close: 103.5, volume: 10 };

const cases: Case[] = [
  ['market buy fills at the ask of the open', 'buy', 'market', null, null, bar, '100.05', 'taker'],
  ['market sell fills at the bid of the open', 'sell', 'market', null, null, bar, '99.95', 'taker'],
  ['limit buy inside the range fills at the limit', 'buy', 'limit', '99.00', null, bar, '99.00', 'maker'],
  ['limit buy exactly at the ask of the low fills', 'buy', 'limit', '98.05', null, bar, '98.05', 'maker'],
  ['limit buy one tick under the ask of the low does not', 'buy', 'limit', '98.04', null, bar, 'none'],
  ['limit buy at the mid low does not fill (you buy at the ask)', 'buy', 'limit', '98.00', null, bar, 'none'],
  ['limit buy above the open fills at the better open', 'buy', 'limit', '101.00', null, bar, '100.05', 'maker'],
  ['limit sell inside the range fills at the limit', 'sell', 'limit', '101.50', null, bar, '101.50', 'maker'],
  ['limit sell exactly at the bid of the high fills', 'sell', 'limit', '101.94', null, bar, '101.94', 'maker'],
  ['limit sell above the bid of the high does not', 'sell', 'limit', '101.95', null, bar, 'none'],
  ['limit sell on a gap down... below the open fills at the open', 'sell', 'limit', '99.00', null, bar, '99.95', 'maker'],
  ['buy stop triggers on the high and fills at the ask of the stop', 'buy', 'stop', null, '101.00', bar, '101.06', 'taker'],
  ['buy stop above the high does not trigger', 'buy', 'stop', null, '102.01', bar, 'none'],
  ['buy stop below the open (gap) fills at the ask of the open', 'buy', 'stop', null, '99.00', bar, '100.05', 'taker'],
  ['sell stop triggers on the low', 'sell', 'stop', null, '98.50', bar, '98.45', 'taker'],
  ['sell stop exactly at the low triggers', 'sell', 'stop', null, '98.00', bar, '97.95', 'taker'],
  ['a gap through a sell stop fills at the open, not the stop', 'sell', 'stop', null, '98.50', gapDown, '96.95', 'taker'],
  ['stop-limit buy: triggered and within the limit fills at the stop', 'buy', 'stop_limit', '101.10', '101.00', bar, '101.06', 'maker'],
  ['stop-limit buy: triggers, limit then does not fill', 'buy', 'stop_limit', '101.00', '101.00', bar, 'triggered'],
  ['stop-limit buy: gap over stop and limit only triggers', 'buy', 'stop_limit', '102.00', '101.00', gapUp, 'triggered'],
  ['stop-limit sell: not triggered', 'sell', 'stop_limit', '97.00', '97.50', bar, 'none'],
];

describe('matchOrder', () => {
  it.each(cases)('%s', (_name, side, type, limit, stop, b, expected, liquidity) => {
    const m = matchOrder(
      { side, type, size: parseQty('1'), price: limit ? P(limit) : null, stopPrice: stop ? P(stop) : null, triggered: false },
      b,
      params(),
    );
    if (expected === 'none' || expected === 'triggered') {
      expect(m.kind).toBe(expected);
      return;
    }
    expect(m.kind).toBe('fill');
    if (m.kind !== 'fill') return;
    expect(m.fill.price).toBe(P(expected));
    expect(m.fill.liquidity).toBe(liquidity);
  });

  it('a stop-limit triggered on an earlier bar works as a limit', () => {
    const later: Bar = { open: 102, high: 102.5, low: 100, close: 101, volume: 10 };
    const m = matchOrder(
      { side: 'buy', type: 'stop_limit', size: parseQty('1'), price: P('101.00'), stopPrice: P('101.00'), triggered: true },
      later,
      params(),
    );
    expect(m).toEqual({ kind: 'fill', fill: { price: P('101.00'), slippage: 0, liquidity: 'maker' }, triggered: false });
  });
});

describe('slippage', () => {
  it('grows with size relative to the bar volume, rounded up to the tick, against the trader', () => {
    // 1 contract of a 10-contract bar at factor 0.05: 100.05 x 0.05 x 0.1 = 0.50025 -> 0.51
    expect(fillMarket('buy', parseQty('1'), bar, params(0.05))).toEqual({ price: P('100.56'), slippage: P('0.51'), liquidity: 'taker' });
    // sell: 99.95 x 0.05 x 0.1 = 0.49975 -> 0.50 below the bid
    expect(fillMarket('sell', parseQty('1'), bar, params(0.05))).toEqual({ price: P('99.45'), slippage: P('0.5'), liquidity: 'taker' });
    expect(slippageFor(P('100.05'), parseQty('2'), 10, params(0.05))).toBe(P('1.01'));
    // participation is capped at the whole bar
    expect(slippageFor(P('100'), parseQty('1000'), 10, params(0.05))).toBe(P('5'));
  });
  it('limit fills have no slippage', () => {
    const m = matchOrder(
      { side: 'buy', type: 'limit', size: parseQty('5'), price: P('99'), stopPrice: null, triggered: false },
      bar,
      params(0.05),
    );
    expect(m.kind === 'fill' && m.fill.slippage).toBe(0);
  });
  it('a quote is a flat bar at the mid', () => {
    expect(
      fillMarket('buy', parseQty('0.01'), quoteBar(50_000, 12), {
        spread: 0.001,
        tick: P('0.01'),
        slippageFactor: 0,
        minSize: parseQty('0.0001'),
      }).price,
    ).toBe(P('50025'));
  });
});

describe('stop-loss and take-profit', () => {
  const size = parseQty('1');
  it('adverse first: a bar through both exits at the stop-loss', () => {
    const e = matchExit(true, size, P('98.50'), P('101.50'), bar, params());
    expect(e?.kind).toBe('stop_loss');
    expect(e?.fill.price).toBe(P('98.45'));
  });
  it('take-profit alone fills at the limit', () => {
    const e = matchExit(true, size, P('97.00'), P('101.50'), bar, params());
    expect(e).toEqual({ kind: 'take_profit', fill: { price: P('101.50'), slippage: 0, liquidity: 'maker' } });
  });
  it('short: stop above, take-profit below', () => {
    expect(matchExit(false, size, P('101.50'), P('97.00'), bar, params())?.kind).toBe('stop_loss');
    expect(matchExit(false, size, P('103.00'), P('98.50'), bar, params())?.fill.price).toBe(P('98.50'));
    expect(matchExit(false, size, P('103.00'), P('97.00'), bar, params())).toBeNull();
  });
  it('a gap through the stop-loss fills at the open', () => {
    expect(matchExit(true, size, P('98.50'), null, gapDown, params())?.fill.price).toBe(P('96.95'));
  });
});

/** One bid/ask: the quote a person sees is the price a market order of a negligible size fills at. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { askOf, bidOf, fillMarket, quoteBar, type MarketParams } from '../../src/core/fill.ts';
import { parsePrice, parseQty, type Price } from '../../src/core/money.ts';
import { quoteFromMid } from '../../src/core/quote.ts';

const book = (spread: number, tick: Price): MarketParams => ({ spread, tick, slippageFactor: 0, minSize: parseQty('0.0001') });

describe('quoteFromMid', () => {
  it.each([
    // mid, spread, tick, bid, ask
    [100, 0.001, '0.01', '99.95', '100.05'],
    [1.1, 0.00002, '0.00001', '1.09998', '1.10002'],
    [4500, 0.0005, '0.25', '4498.75', '4501.25'],
    [50_000.1, 0.0015, '0.5', '49962.5', '50038'],
    // extremes: a mid below one tick never quotes a bid under the tick; a huge spread
    [0.004, 0.5, '0.01', '0.01', '0.01'],
    [0.00000001, 0.001, '0.00000001', '0.00000001', '0.00000002'],
    [0.00000004, 0, '0.5', '0.5', '0.5'], // the ask was 0 here: never below one tick either
    [69_781.18, 0.001, '0.00000001', '69746.28941', '69816.07059'], // a tick of 1e-8 at 70,000: was a tick low
    [80_000_000, 0.1, '1', '76000000', '84000000'],
  ] as const)('mid %d spread %d tick %s -> %s / %s', (mid, spread, tick, bid, ask) => {
    const q = quoteFromMid(mid, spread, parsePrice(tick));
    expect(q.bid).toBe(parsePrice(bid));
    expect(q.ask).toBe(parsePrice(ask));
  });

  it('property: a mid that is an exact decimal gets the exact book (BigInt reference), at any tick', () => {
    const exact = (midUnits: bigint, spreadPpm: bigint, tick: bigint) => {
      const den = 2_000_000n * tick;
      const up = midUnits * (2_000_000n + spreadPpm);
      const ask = up / den + (up % den === 0n ? 0n : 1n);
      const bid = (midUnits * (2_000_000n - spreadPpm)) / den;
      return { ask: (ask < 1n ? 1n : ask) * tick, bid: (bid < 1n ? 1n : bid) * tick };
    };
    const ticks = ['0.00000001', '0.00001', '0.01', '0.25', '0.5'].map(parsePrice);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000_000_000 }),
        fc.constantFrom(0, 2, 5, 8),
        fc.constantFrom(0, 20, 500, 1000, 1500, 200_000),
        fc.constantFrom(...ticks),
        (n, places, spreadPpm, tick) => {
          const midUnits = BigInt(n) * 10n ** BigInt(8 - places); // a mid with `places` decimals, in price units
          if (midUnits > 1_000_000_000_000_000n) return; // up to $10,000,000: a float mid still holds every price unit
          const mid = Number(midUnits) / 1e8;
          const q = quoteFromMid(mid, spreadPpm / 1e6, tick);
          const e = exact(midUnits, BigInt(spreadPpm), BigInt(tick));
          expect([q.bid, q.ask]).toEqual([Number(e.bid), Number(e.ask)]);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('agrees with the fill model: a quote is where a market order fills without slippage', () => {
    const ticks = ['0.00000001', '0.00001', '0.01', '0.25', '0.5', '1'].map(parsePrice);
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 1e7, noNaN: true }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.constantFrom(...ticks),
        (mid, spreadPpm, tick) => {
          const spread = spreadPpm / 1e6;
          const q = quoteFromMid(mid, spread, tick);
          const p = book(spread, tick);
          const bar = quoteBar(mid, 100);
          expect(q.ask).toBe(fillMarket('buy', parseQty('0.0001'), bar, p).price);
          expect(q.bid).toBe(fillMarket('sell', parseQty('0.0001'), bar, p).price);
          expect(q.ask).toBe(askOf(mid, p));
          expect(q.bid).toBe(bidOf(mid, p));
          // on the grid, never crossed, and the bid never below one tick
          expect(q.ask % tick).toBe(0);
          expect(q.bid % tick).toBe(0);
          expect(q.bid).toBeGreaterThanOrEqual(tick);
          expect(q.ask).toBeGreaterThanOrEqual(q.bid);
        },
      ),
      { numRuns: 500 },
    );
  });
});

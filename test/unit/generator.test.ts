import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateCandles } from '../../src/market/generator.ts';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { priceFromFloat } from '../../src/core/money.ts';

const base = (symbol = 'BTC-USD', overrides: Partial<Parameters<typeof generateCandles>[0]> = {}) => {
  const spec = SEED_INSTRUMENTS.find((i) => i.symbol === symbol)!;
  return generateCandles({
    seed: 42,
    symbol,
    stream: 0,
    startPrice: priceFromFloat(spec.synthetic.basePrice),
    tickSize: spec.tickSize,
    dailyVol: spec.synthetic.dailyVol,
    meanVolume: spec.synthetic.meanVolume,
    startTime: Date.UTC(2026, 0, 1),
    count: 2_000,
    ...overrides,
  });
};

describe('synthetic market generator', () => {
  it.each(SEED_INSTRUMENTS.map((i) => i.symbol))('%s: OHLC consistent, positive, on the tick grid', (symbol) => {
    const spec = SEED_INSTRUMENTS.find((i) => i.symbol === symbol)!;
    const c = base(symbol, { count: 5_000 });
    // The checks in plain code and one expect for all (25,000 expect calls took seconds): the
    // first few broken candles are reported with what is wrong with them.
    const broken: string[] = [];
    for (let i = 0; i < 5_000 && broken.length < 5; i++) {
      const [o, h, l, cl, v] = [c.open[i]!, c.high[i]!, c.low[i]!, c.close[i]!, c.volume[i]!];
      const wrong = [
        l > 0 ? '' : 'low <= 0',
        l <= Math.min(o, cl) ? '' : 'low above open/close',
        h >= Math.max(o, cl) ? '' : 'high below open/close',
        v > 0 ? '' : 'volume <= 0',
        [o, h, l, cl].every((p) => priceFromFloat(p) % spec.tickSize === 0) ? '' : 'off the tick grid',
        i === 0 || o === c.close[i - 1] ? '' : 'open is not the previous close',
      ].filter(Boolean);
      if (wrong.length) broken.push(`#${i} o=${o} h=${h} l=${l} c=${cl} v=${v}: ${wrong.join(', ')}`);
    }
    expect(broken).toEqual([]);
  });

  it('is deterministic for a seed and independent of the timestamps', () => {
    const a = base('ETH-USD');
    const b = base('ETH-USD', { startTime: Date.UTC(2030, 5, 1) });
    expect(Array.from(b.close)).toEqual(Array.from(a.close));
    expect(Array.from(b.volume)).toEqual(Array.from(a.volume));
    expect(b.time[0]).toBe(Date.UTC(2030, 5, 1));
  });

  it('differs by seed and by symbol', () => {
    expect(Array.from(base('BTC-USD', { seed: 1 }).close)).not.toEqual(Array.from(base('BTC-USD', { seed: 2 }).close));
    expect(base('BTC-USD').close[100]).not.toBe(base('BTC-FUT').close[100]);
  });

  it('daily volatility of log returns is near the configured 1.5%', () => {
    const c = base('BTC-USD', { count: 1440 * 60 });
    const minute: number[] = [];
    for (let i = 1; i < c.close.length; i++) minute.push(Math.log(c.close[i]! / c.close[i - 1]!));
    const sd = Math.sqrt(minute.reduce((s, x) => s + x * x, 0) / minute.length) * Math.sqrt(1440);
    expect(sd).toBeGreaterThan(0.012);
    expect(sd).toBeLessThan(0.018);
  });

  it('property: any seed gives valid candles', () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(...SEED_INSTRUMENTS.map((i) => i.symbol)), (seed, symbol) => {
        const c = base(symbol, { seed, count: 300 });
        for (let i = 0; i < 300; i++) {
          if (!(
            c.low[i]! > 0 &&
            c.low[i]! <= c.open[i]! &&
            c.low[i]! <= c.close[i]! &&
            c.high[i]! >= c.open[i]! &&
            c.high[i]! >= c.close[i]!
          ))
            return false;
        }
        return true;
      }),
      { numRuns: 50 },
    );
  });
});

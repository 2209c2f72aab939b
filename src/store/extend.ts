/**
 * Extending the synthetic market past the last stored candle, deterministically: always in
 * whole days of 1m candles starting right after the last stored candle, the walk seeded from
 * (market seed, symbol, that start time) and starting at the last close. Extending by 1h twice
 * or by 2h once therefore stores the same candles. Candles past the clock are invisible to
 * every command until the clock reaches them.
 */
import { SEED_INSTRUMENTS } from '../core/instruments.ts';
import { priceFromFloat } from '../core/money.ts';
import { DAY_MS, MINUTE_MS } from '../core/time.ts';
import { generateCandles } from '../market/generator.ts';
import { candleBounds } from './candles.ts';
import type { Store } from './db.ts';
import { newId } from './ids.ts';
import type { Instrument } from './instruments.ts';
import { getSetting } from './settings.ts';

const DEFAULT_DAILY_VOL = 0.015;

/** Make sure 1m candles exist up to `target` for the instrument; returns how many were added. */
export function extendMarket(store: Store, inst: Instrument, target: number): number {
  const bounds = candleBounds(store, inst.id);
  if (!bounds || bounds.last >= target) return 0;
  const seed = Number(getSetting(store, 'market_seed') ?? '42');
  const profile = SEED_INSTRUMENTS.find((s) => s.symbol === inst.symbol)?.synthetic;
  const last = store.prepare(`SELECT close FROM candles WHERE instrument_id = ? AND timeframe = '1m' AND timestamp = ?`).get(inst.id, bounds.last) as { close: number };
  const meanVolume = profile?.meanVolume ?? ((store.prepare(`SELECT AVG(volume) AS v FROM candles WHERE instrument_id = ? AND timeframe = '1m' AND timestamp > ?`)
    .get(inst.id, bounds.last - DAY_MS) as { v: number | null }).v ?? 1);
  const days = Math.ceil((target - bounds.last) / DAY_MS);
  const start = bounds.last + MINUTE_MS;
  const c = generateCandles({
    seed, symbol: inst.symbol, stream: start, startPrice: priceFromFloat(last.close), tickSize: inst.tickSize,
    dailyVol: profile?.dailyVol ?? DEFAULT_DAILY_VOL, meanVolume, startTime: start, count: days * 1440,
  });
  const insert = store.prepare('INSERT INTO candles (id, instrument_id, timeframe, timestamp, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (let i = 0; i < c.time.length; i++) {
    insert.run(newId(), inst.id, '1m', c.time[i], c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i]);
  }
  return c.time.length;
}

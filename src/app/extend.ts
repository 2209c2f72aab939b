/**
 * Extending the synthetic market past the last stored candle, deterministically: always in
 * whole days of 1m candles starting right after the last stored candle, the walk seeded from
 * (market seed, symbol, that start time) and starting at the last close. Extending by 1h twice
 * or by 2h once therefore stores the same candles. Candles past the clock are invisible to
 * every command until the clock reaches them. A use case (called by `market advance`, through
 * app/paper.ts): the candles are generated here (market/generator.ts) and written by the
 * store (store/synthetic-candles.ts).
 */
import { SEED_INSTRUMENTS } from '../core/instruments.ts';
import { priceFromFloat } from '../core/money.ts';
import { lastKnownStart } from '../core/market-data.ts';
import { DAY_MS, MINUTE_MS, TIMEFRAME_MS } from '../core/time.ts';
import { generateCandles } from '../market/generator.ts';
import { baseTimeframe, candleAtOrBefore } from '../store/candles.ts';
import type { Store } from '../store/db.ts';
import type { Instrument } from '../store/instruments.ts';
import { candleSpan, latestCandleStart, setDataOrigin } from '../store/market-data.ts';
import { getSetting } from '../store/settings.ts';
import { insertCandleColumns, meanVolumeAfter, latestCandles } from '../store/synthetic-candles.ts';

const DEFAULT_DAILY_VOL = 0.015;
/** Later than any candle (the end of the representable dates). */
const LATEST = 8.64e15;

/** Make sure 1m candles exist up to `target` for the instrument; returns how many were added. */
export function extendMarket(store: Store, inst: Instrument, target: number): number {
  if (inst.origin !== 'synthetic') return 0; // imported history is never synthesized (see extendImported)
  // the last by the key (one index lookup), not candleBounds' COUNT over every row: this runs
  // for every instrument at every advance (and every `watch` tick)
  const lastStart = latestCandleStart(store, inst.id, '1m', LATEST);
  if (lastStart === undefined || lastStart >= target) return 0;
  const bounds = { last: lastStart };
  const seed = Number(getSetting(store, 'market_seed') ?? '42');
  const profile = SEED_INSTRUMENTS.find((s) => s.symbol === inst.symbol)?.synthetic;
  const last = candleAtOrBefore(store, inst.id, bounds.last, '1m');
  if (!last) return 0;
  const meanVolume = profile?.meanVolume ?? meanVolumeAfter(store, inst.id, '1m', bounds.last - DAY_MS) ?? 1;
  const days = Math.ceil((target - bounds.last) / DAY_MS);
  const start = bounds.last + MINUTE_MS;
  const c = generateCandles({
    seed,
    symbol: inst.symbol,
    stream: start,
    startPrice: priceFromFloat(last.close),
    tickSize: inst.tickSize,
    dailyVol: profile?.dailyVol ?? DEFAULT_DAILY_VOL,
    meanVolume,
    startTime: start,
    count: days * 1440,
  });
  // after the last stored candle (lastStart): appended
  insertCandleColumns(store, inst.id, '1m', c, undefined, true);
  return c.time.length;
}

/** Daily volatility used to continue imported history when the data is too short to measure it. */
const CLASS_DAILY_VOL: Readonly<Record<string, number>> = { crypto: 0.015, forex: 0.005, futures: 0.01, cfd: 0.01, stock: 0.015 };

/**
 * Continue an imported instrument past the end of its data (`market advance --extend
 * synthetic`): candles of its own timeframe up to `target`, from its last close, with the daily
 * volatility measured on its last 250 candles (else its class's). The instrument records the
 * time of its first generated candle (`synthetic_from`): the data is no longer purely real.
 */
export function extendImported(store: Store, inst: Instrument, target: number, nowIso: string): number {
  const base = baseTimeframe(store, inst.id);
  const bounds = base ? candleSpan(store, inst.id, base) : undefined;
  if (!base || !bounds) return 0;
  const step = TIMEFRAME_MS[base];
  const count = Math.floor((lastKnownStart(target, base) - bounds.last) / step);
  if (count <= 0) return 0;
  const recent = latestCandles(store, inst.id, base, 251);
  const rets: number[] = [];
  for (let i = 0; i + 1 < recent.length; i++)
    rets.push(Math.log((recent[i] as { close: number }).close / (recent[i + 1] as { close: number }).close));
  const mean = rets.reduce((a, b) => a + b, 0) / Math.max(1, rets.length);
  const sd = Math.sqrt(rets.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, rets.length - 1));
  const perStepToDaily = Math.sqrt(DAY_MS / step);
  const dailyVol = rets.length >= 20 && sd > 0 ? sd * perStepToDaily : (CLASS_DAILY_VOL[inst.type] ?? DEFAULT_DAILY_VOL);
  const meanVolume = recent.length ? recent.reduce((a, r) => a + r.volume, 0) / recent.length : 1;
  const start = bounds.last + step;
  const seed = Number(getSetting(store, 'market_seed') ?? '42');
  // The generator's sigma is per step = dailyVol / sqrt(1440): rescale for steps longer than 1m.
  const c = generateCandles({
    seed,
    symbol: inst.symbol,
    stream: start,
    startPrice: priceFromFloat((recent[0] as { close: number }).close),
    tickSize: inst.tickSize,
    dailyVol: (dailyVol * Math.sqrt(1440)) / perStepToDaily,
    meanVolume: Math.max(0.0001, meanVolume),
    startTime: start,
    count,
    stepMs: step,
  });
  insertCandleColumns(store, inst.id, base, c);
  if (inst.syntheticFrom === null) setDataOrigin(store, inst.id, 'imported', start, nowIso);
  return c.time.length;
}

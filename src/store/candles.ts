/** Reading candles into column arrays (no per-row objects kept). */
import type { Candles } from '../core/candles.ts';
import { countPacked, loadPacked, readPacked } from './candle-packs.ts';
import type { Store } from './db.ts';
import { TIMEFRAMES, type Timeframe } from '../core/time.ts';

export interface CandleRange { readonly from?: number | undefined; readonly to?: number | undefined }

/**
 * The finest timeframe stored for an instrument: '1m' for the synthetic market, '1h' or '1d'
 * for imported history. Everything else is aggregated from it.
 */
export function baseTimeframe(store: Store, instrumentId: string): Timeframe | null {
  for (const tf of TIMEFRAMES) {
    if (store.prepare('SELECT 1 FROM candles WHERE instrument_id = ? AND timeframe = ? LIMIT 1').get(instrumentId, tf)) return tf;
  }
  return null;
}

export function countCandles(store: Store, instrumentId: string, range: CandleRange = {}, tf: Timeframe = '1m'): number {
  return countPacked(store, instrumentId, tf, range.from ?? -8.64e15, range.to ?? 8.64e15);
}

/**
 * Candles of one stored timeframe (default 1m) with from <= timestamp <= to, oldest first.
 * Whole buckets come from the packed store (migration 012: one memcpy per day of 1m candles),
 * the rest from the rows; counted and read in one snapshot.
 */
export function loadCandles(store: Store, instrumentId: string, range: CandleRange = {}, tf: Timeframe = '1m'): Candles {
  return loadPacked(store, instrumentId, tf, range.from ?? -8.64e15, range.to ?? 8.64e15);
}

/**
 * Read candles straight into column arrays at `offset` (at most `max` rows): no per-row objects
 * are kept. Used to fill shared buffers from several threads at once. Returns the rows read.
 * The table is clustered on (instrument_id, timeframe, timestamp) (migration 010) and whole
 * buckets are read from their packs (migration 012), see candle-packs.ts.
 */
export function loadCandlesInto(store: Store, instrumentId: string, range: CandleRange, tf: Timeframe, out: Candles, offset: number, max: number): number {
  return readPacked(store, instrumentId, tf, range.from ?? -8.64e15, range.to ?? 8.64e15, out, offset, max);
}

/** The timestamp of the row at `offset` in the range (to split a load between threads). */
export function candleTimeAt(store: Store, instrumentId: string, range: CandleRange, tf: Timeframe, offset: number): number | undefined {
  const r = store.prepare(`SELECT timestamp FROM candles WHERE instrument_id = ? AND timeframe = ? AND timestamp >= ? AND timestamp <= ?
    ORDER BY timestamp LIMIT 1 OFFSET ?`).get(instrumentId, tf, range.from ?? -8.64e15, range.to ?? 8.64e15, offset) as { timestamp: number } | undefined;
  return r?.timestamp;
}

export interface LastCandle { readonly timestamp: number; readonly open: number; readonly high: number; readonly low: number; readonly close: number; readonly volume: number }

/** The last candle of timeframe `tf` (default 1m) at or before `t`. */
export function candleAtOrBefore(store: Store, instrumentId: string, t: number, tf: Timeframe = '1m'): LastCandle | undefined {
  return store.prepare(`SELECT timestamp, open, high, low, close, volume FROM candles
    WHERE instrument_id = ? AND timeframe = ? AND timestamp <= ? ORDER BY timestamp DESC LIMIT 1`).get(instrumentId, tf, t) as LastCandle | undefined;
}

export function candleBounds(store: Store, instrumentId: string, tf: Timeframe = '1m'): { first: number; last: number; count: number } | undefined {
  const r = store.prepare(`SELECT MIN(timestamp) AS first, MAX(timestamp) AS last, COUNT(*) AS count FROM candles
    WHERE instrument_id = ? AND timeframe = ?`).get(instrumentId, tf) as { first: number | null; last: number | null; count: number };
  return r.first === null || r.last === null ? undefined : { first: r.first, last: r.last, count: r.count };
}

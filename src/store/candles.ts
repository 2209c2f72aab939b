/** Reading candles into column arrays (no per-row objects kept). */
import { emptyCandles, headCandles, type Candles } from '../market/aggregate.ts';
import type { Store } from './db.ts';

export interface CandleRange { readonly from?: number; readonly to?: number }

export function countCandles(store: Store, instrumentId: string, range: CandleRange = {}): number {
  const row = store.prepare(`SELECT COUNT(*) AS n FROM candles WHERE instrument_id = ? AND timeframe = '1m'
    AND timestamp >= ? AND timestamp <= ?`).get(instrumentId, range.from ?? -8.64e15, range.to ?? 8.64e15) as { n: number };
  return row.n;
}

/** 1m candles of an instrument with from <= timestamp <= to, oldest first. */
export function loadCandles(store: Store, instrumentId: string, range: CandleRange = {}): Candles {
  const from = range.from ?? -8.64e15;
  const to = range.to ?? 8.64e15;
  const n = countCandles(store, instrumentId, { from, to });
  const out = emptyCandles(n);
  const st = store.prepare(`SELECT timestamp, open, high, low, close, volume FROM candles
    WHERE instrument_id = ? AND timeframe = '1m' AND timestamp >= ? AND timestamp <= ? ORDER BY timestamp`).raw(true);
  let i = 0;
  for (const r of st.iterate(instrumentId, from, to) as IterableIterator<number[]>) {
    if (i >= n) break; // a concurrent writer added rows after the count: ignore them
    out.time[i] = r[0] as number; out.open[i] = r[1] as number; out.high[i] = r[2] as number;
    out.low[i] = r[3] as number; out.close[i] = r[4] as number; out.volume[i] = r[5] as number;
    i++;
  }
  return i === n ? out : headCandles(out, i);
}

export interface LastCandle { readonly timestamp: number; readonly open: number; readonly high: number; readonly low: number; readonly close: number; readonly volume: number }

/** The last 1m candle at or before `t`. */
export function candleAtOrBefore(store: Store, instrumentId: string, t: number): LastCandle | undefined {
  return store.prepare(`SELECT timestamp, open, high, low, close, volume FROM candles
    WHERE instrument_id = ? AND timeframe = '1m' AND timestamp <= ? ORDER BY timestamp DESC LIMIT 1`).get(instrumentId, t) as LastCandle | undefined;
}

export function candleBounds(store: Store, instrumentId: string): { first: number; last: number; count: number } | undefined {
  const r = store.prepare(`SELECT MIN(timestamp) AS first, MAX(timestamp) AS last, COUNT(*) AS count FROM candles
    WHERE instrument_id = ? AND timeframe = '1m'`).get(instrumentId) as { first: number | null; last: number | null; count: number };
  return r.first === null || r.last === null ? undefined : { first: r.first, last: r.last, count: r.count };
}

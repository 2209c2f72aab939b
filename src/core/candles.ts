/**
 * The one candle shape (columns of typed arrays, no per-candle objects) and timeframe
 * aggregation of 1m candles on UTC-aligned buckets: open of the first candle, close of
 * the last, max high, min low, summed volume. A bucket with no 1m candle is absent (no
 * synthetic flat candles). Input must be sorted by time.
 */
import { bucketStart, type Timeframe } from './time.ts';

export interface Candles {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export function emptyCandles(n: number): Candles {
  return {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
}

/** Slice of the first `n` rows (views, no copy). */
export function headCandles(c: Candles, n: number): Candles {
  return {
    time: c.time.subarray(0, n),
    open: c.open.subarray(0, n),
    high: c.high.subarray(0, n),
    low: c.low.subarray(0, n),
    close: c.close.subarray(0, n),
    volume: c.volume.subarray(0, n),
  };
}

export function sliceCandles(c: Candles, from: number, to: number): Candles {
  return {
    time: c.time.subarray(from, to),
    open: c.open.subarray(from, to),
    high: c.high.subarray(from, to),
    low: c.low.subarray(from, to),
    close: c.close.subarray(from, to),
    volume: c.volume.subarray(from, to),
  };
}

export function aggregate(src: Candles, tf: Timeframe): Candles {
  const n = src.time.length;
  if (tf === '1m' || n === 0) return src;
  const out = emptyCandles(n);
  let k = -1;
  let current = NaN;
  for (let i = 0; i < n; i++) {
    const b = bucketStart(src.time[i] as number, tf);
    const h = src.high[i] as number;
    const l = src.low[i] as number;
    if (b !== current) {
      k++;
      current = b;
      out.time[k] = b;
      out.open[k] = src.open[i] as number;
      out.high[k] = h;
      out.low[k] = l;
      out.volume[k] = 0;
    } else {
      if (h > (out.high[k] as number)) out.high[k] = h;
      if (l < (out.low[k] as number)) out.low[k] = l;
    }
    out.close[k] = src.close[i] as number;
    out.volume[k] = (out.volume[k] as number) + (src.volume[i] as number);
  }
  return headCandles(out, k + 1);
}

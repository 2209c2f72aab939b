/**
 * The candles the engine is fed while the clock moves, per instrument: the synthetic market's
 * 1m candles as stored; imported history at its own timeframe, each candle at the minute its
 * close is known (core/market-data.ts), so a replay never sees a close before it happened.
 */
import { lastKnownStart } from '../core/market-data.ts';
import { MINUTE_MS, TIMEFRAME_MS, type Timeframe } from '../core/time.ts';
import type { Candles } from '../core/candles.ts';
import { baseTimeframe, loadCandles } from '../store/candles.ts';
import type { Store } from '../store/db.ts';

/** Candles whose close is known in (after, upTo], stamped with that minute. */
export function feedCandles(
  store: Store,
  instrumentId: string,
  after: number,
  upTo: number,
  base = baseTimeframe(store, instrumentId),
): Candles | null {
  if (!base) return null;
  if (base === '1m') return loadCandles(store, instrumentId, { from: after + 1, to: upTo });
  return shifted(loadCandles(store, instrumentId, { from: lastKnownStart(after, base) + 1, to: lastKnownStart(upTo, base) }, base), base);
}

function shifted(c: Candles, tf: Timeframe): Candles {
  const by = TIMEFRAME_MS[tf] - MINUTE_MS;
  for (let i = 0; i < c.time.length; i++) c.time[i] = (c.time[i] as number) + by;
  return c;
}

/**
 * The candle rows the synthetic market's use cases read and write (app/seed.ts, app/extend.ts):
 * generated columns stored as rows and packs, and the recent history a continuation starts from.
 */
import type { Candles } from '../core/candles.ts';
import type { Timeframe } from '../core/time.ts';
import { insertCandles } from './candles.ts';
import { storePacks } from './candle-pack-writes.ts';
import type { Store } from './db.ts';
import { newId } from './ids.ts';

/** Rows per insertCandles call: a progress step of seed, and a bound on the statement batch. */
const CHUNK_ROWS = 20_000;

/**
 * Store generated candles of one instrument and timeframe (new rows, then their packs), in the
 * caller's transaction. `onChunk(rows)` is called after each chunk of rows (a progress count).
 * `appended`: every row of `c` is later than every stored row of the series (the synthetic
 * market's extension): the packs are written without counting the buckets' rows (storePacks).
 */
export function insertCandleColumns(
  store: Store,
  instrumentId: string,
  tf: Timeframe,
  c: Candles,
  onChunk?: (rows: number) => void,
  appended = false,
): void {
  for (let i = 0; i < c.time.length; i += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, c.time.length - i);
    insertCandles(store, instrumentId, tf, c, i, n, newId);
    onChunk?.(n);
  }
  storePacks(store, instrumentId, tf, c, c.time.length, appended);
}

/** Mean volume of the instrument's `tf` candles after `since` (exclusive), or null when there are none. */
export function meanVolumeAfter(store: Store, instrumentId: string, tf: Timeframe, since: number): number | null {
  return (
    store.get(
      store.db
        .selectFrom('candles')
        .select((eb) => eb.fn.avg<number | null>('volume').as('v'))
        .where('instrument_id', '=', instrumentId)
        .where('timeframe', '=', tf)
        .where('timestamp', '>', since),
    )?.v ?? null
  );
}

/** Close and volume of the instrument's last `limit` candles of `tf`, newest first. */
export function latestCandles(store: Store, instrumentId: string, tf: Timeframe, limit: number): { close: number; volume: number }[] {
  return store.all(
    store.db
      .selectFrom('candles')
      .select(['close', 'volume'])
      .where('instrument_id', '=', instrumentId)
      .where('timeframe', '=', tf)
      .orderBy('timestamp', 'desc')
      .limit(limit),
  );
}

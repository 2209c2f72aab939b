/** Reading candles into column arrays (no per-row objects kept). */
import { emptyCandles, headCandles, type Candles } from '../core/candles.ts';
import { param, type Store } from './db.ts';
import { TIMEFRAMES, type Timeframe } from '../core/time.ts';

export interface CandleRange { readonly from?: number | undefined; readonly to?: number | undefined }

/**
 * The finest timeframe stored for an instrument: '1m' for the synthetic market, '1h' or '1d'
 * for imported history. Everything else is aggregated from it.
 */
export function baseTimeframe(store: Store, instrumentId: string): Timeframe | null {
  for (const tf of TIMEFRAMES) {
    if (store.get(store.db.selectFrom('candles').select('timestamp').where('instrument_id', '=', instrumentId).where('timeframe', '=', tf).limit(1))) return tf;
  }
  return null;
}

const inRange = (store: Store, instrumentId: string, tf: Timeframe, range: CandleRange) => store.db.selectFrom('candles')
  .where('instrument_id', '=', instrumentId).where('timeframe', '=', tf)
  .where('timestamp', '>=', range.from ?? -8.64e15).where('timestamp', '<=', range.to ?? 8.64e15);

export function countCandles(store: Store, instrumentId: string, range: CandleRange = {}, tf: Timeframe = '1m'): number {
  const row = store.get(inRange(store, instrumentId, tf, range).select((eb) => eb.fn.countAll<number>().as('n')));
  return row?.n ?? 0;
}

/** Candles of one stored timeframe (default 1m) with from <= timestamp <= to, oldest first. */
export function loadCandles(store: Store, instrumentId: string, range: CandleRange = {}, tf: Timeframe = '1m'): Candles {
  const n = countCandles(store, instrumentId, range, tf);
  const out = emptyCandles(n);
  const got = loadCandlesInto(store, instrumentId, range, tf, out, 0, n);
  return got === n ? out : headCandles(out, got);
}

/** Rows per read in loadCandlesInto: enough to amortise the call, few enough to die young in the GC. */
const READ_CHUNK = 8192;

/**
 * Read candles straight into column arrays at `offset` (at most `max` rows): no per-row objects
 * are kept. Used to fill shared buffers from several threads at once. Returns the rows read.
 *
 * Speed: the table is clustered on (instrument_id, timeframe, timestamp) (migration 010), so a
 * range is one sequential walk. Rows come in chunks of READ_CHUNK with `.all()`, each chunk
 * resuming after the last timestamp read: one native call per chunk instead of one iterator
 * step (and result object) per row, and short-lived arrays the young-generation GC frees cheaply.
 */
export function loadCandlesInto(store: Store, instrumentId: string, range: CandleRange, tf: Timeframe, out: Candles, offset: number, max: number): number {
  // Hot path (SQLite-specific, kept behind this repository): the statement is built with Kysely once
  // per connection and its rows come as arrays (instrument, timeframe, from, to, limit).
  const st = store.hotStatement('candles.range', (db) => db.selectFrom('candles').select(['timestamp', 'open', 'high', 'low', 'close', 'volume'])
    .where('instrument_id', '=', param<string>()).where('timeframe', '=', param<string>())
    .where('timestamp', '>=', param<number>()).where('timestamp', '<=', param<number>()).orderBy('timestamp').limit(param<number>())).raw(true);
  const { time, open, high, low, close, volume } = out;
  const to = range.to ?? 8.64e15;
  let from = range.from ?? -8.64e15;
  let i = offset;
  const end = offset + max; // a concurrent writer may add rows after the count: they are ignored
  while (i < end) {
    const want = Math.min(READ_CHUNK, end - i);
    const rows = st.all(instrumentId, tf, from, to, want) as unknown as number[][]; // raw mode: each row an array of the six columns
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k] as number[];
      time[i] = r[0] as number; open[i] = r[1] as number; high[i] = r[2] as number;
      low[i] = r[3] as number; close[i] = r[4] as number; volume[i] = r[5] as number;
      i++;
    }
    if (rows.length < want) break;
    from = (time[i - 1] as number) + 1; // timestamps are integer epoch ms
  }
  return i - offset;
}

/** The timestamp of the row at `offset` in the range (to split a load between threads). */
export function candleTimeAt(store: Store, instrumentId: string, range: CandleRange, tf: Timeframe, offset: number): number | undefined {
  const r = store.get(inRange(store, instrumentId, tf, range).select('timestamp').orderBy('timestamp').limit(1).offset(offset));
  return r?.timestamp;
}

export interface LastCandle { readonly timestamp: number; readonly open: number; readonly high: number; readonly low: number; readonly close: number; readonly volume: number }

/** The last candle of timeframe `tf` (default 1m) at or before `t`. */
export function candleAtOrBefore(store: Store, instrumentId: string, t: number, tf: Timeframe = '1m'): LastCandle | undefined {
  return store.get(store.db.selectFrom('candles').select(['timestamp', 'open', 'high', 'low', 'close', 'volume'])
    .where('instrument_id', '=', instrumentId).where('timeframe', '=', tf).where('timestamp', '<=', t).orderBy('timestamp', 'desc').limit(1));
}

export function candleBounds(store: Store, instrumentId: string, tf: Timeframe = '1m'): { first: number; last: number; count: number } | undefined {
  const r = store.get(store.db.selectFrom('candles')
    .select((eb) => [eb.fn.min<number | null>('timestamp').as('first'), eb.fn.max<number | null>('timestamp').as('last'), eb.fn.countAll<number>().as('count')])
    .where('instrument_id', '=', instrumentId).where('timeframe', '=', tf));
  return !r || r.first === null || r.last === null ? undefined : { first: r.first, last: r.last, count: r.count };
}

/**
 * Insert candles one row at a time, fast (seeding, extending, importing): a hot statement, built
 * with Kysely once per connection; `orIgnore` skips timestamps already stored. Returns a function
 * that inserts one row and returns the number of rows written (0 or 1).
 */
export function candleInserter(store: Store, orIgnore = false): (id: string, instrumentId: string, tf: string, t: number, o: number, h: number, l: number, c: number, v: number) => number {
  const st = store.hotStatement(orIgnore ? 'candles.insertOrIgnore' : 'candles.insert', (db) => db.insertInto('candles')
    .$if(orIgnore, (q) => q.orIgnore())
    .values({
      id: param<string>(), instrument_id: param<string>(), timeframe: param<string>(), timestamp: param<number>(),
      open: param<number>(), high: param<number>(), low: param<number>(), close: param<number>(), volume: param<number>(),
    }));
  return (id, instrumentId, tf, t, o, h, l, c, v) => st.run(id, instrumentId, tf, t, o, h, l, c, v).changes;
}

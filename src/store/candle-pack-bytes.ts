/**
 * The bytes of a pack (see candle-packs.ts): six native float64 columns of n values each, and how
 * they are copied into candle columns and let go of after a read.
 */
import type { Candles } from '../core/candles.ts';

/** Packs are native float64 bytes: only used on little-endian hosts (all usual ones). */
export const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

export const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/** Copy `k` rows of a pack blob (n rows per column) from its row `from` into the columns at `i`. */
export function copyPack(blob: Uint8Array, n: number, out: Candles, i: number, k: number, from = 0): void {
  for (let c = 0; c < 6; c++) {
    const col = out[COLUMNS[c] as (typeof COLUMNS)[number]];
    new Uint8Array(col.buffer, col.byteOffset + i * 8, k * 8).set(blob.subarray((c * n + from) * 8, (c * n + from + k) * 8));
  }
}

/** The bytes of a pack: six float64 columns of n values (-0 stored as 0, as SQLite's REAL does). */
export function encodePack(c: Candles, from: number, n: number): Buffer {
  const f = new Float64Array(6 * n);
  for (let col = 0; col < 6; col++) {
    const src = c[COLUMNS[col] as (typeof COLUMNS)[number]];
    for (let j = 0; j < n; j++) f[col * n + j] = (src[from + j] as number) + 0;
  }
  return Buffer.from(f.buffer);
}

/** Young garbage of letBlobDie (kept in a variable so that no compiler drops it). */
let _filler: unknown = null;

/**
 * better-sqlite3 hands each pack over as a new Buffer (a day of 1m candles: 69 KB, malloc'd
 * outside V8's heap), dead once copied. V8 frees such buffers only at a GC, and reading packs
 * makes almost no JavaScript garbage to start one: a run over two years of 1m candles left some
 * 30 MB of dead buffers, scattered through malloc's heap and not given back to the system after
 * they were freed (peak RSS ~25 MB higher). An array of the pack's size, garbage at once, makes
 * the scavenger run every few packs: the next packs reuse the memory of the last ones (and skip
 * the page faults of fresh memory). Arrays under 128 KB are allocated in the young generation.
 */
export function letBlobDie(bytes: number): void {
  _filler = new Array<number>(bytes >> 3);
}

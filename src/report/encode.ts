/**
 * Numeric columns of a report travel as one gzip'd, base64'd binary blob next to the page (a
 * million candles as JSON text would be ~60 MB and slow to parse). Each column is stored in the
 * smallest form that gives its values back exactly enough:
 *   i32d  integers of `scale` (prices in ticks, times in seconds), delta-coded: small numbers
 *         that compress well, decoded exactly (acc * scale)
 *   f32   display-only floats (volume, indicators, equity curves): NaN kept
 *   f64   anything else
 * The page (./page.js) decodes with the browser's own DecompressionStream: no library, no request.
 */
import { gzipSync } from 'node:zlib';

export type Encoding = 'i32d' | 'f32' | 'f64';

export interface ColumnInfo {
  readonly enc: Encoding;
  readonly n: number;
  readonly scale: number;
  /** Byte offset in the decompressed blob (a multiple of 8). */
  readonly offset: number;
}

const I32_MAX = 2 ** 31 - 1;

/** Integers of `scale` for every value, or null when one is not (within a millionth of a step). */
function asSteps(values: ArrayLike<number>, scale: number): Int32Array | null {
  const out = new Int32Array(values.length);
  let prev = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const q = Math.round(v / scale);
    if (!Number.isFinite(v) || Math.abs(q * scale - v) > Math.abs(scale) * 1e-6) return null;
    const d = q - prev;
    if (d > I32_MAX || d < -I32_MAX) return null;
    out[i] = d;
    prev = q;
  }
  return out;
}

export class BlobWriter {
  readonly columns: ColumnInfo[] = [];
  private readonly parts: Buffer[] = [];
  private bytes = 0;

  /**
   * Add a column; returns its index. `exact` asks for integers of that step (falling back to
   * f64); otherwise the values are stored as f32 (charts only).
   */
  add(values: ArrayLike<number>, exact?: { readonly scale: number }): number {
    let enc: Encoding = 'f32';
    let buf: Buffer;
    let scale = 1;
    if (exact) {
      const steps = exact.scale > 0 ? asSteps(values, exact.scale) : null;
      if (steps) { enc = 'i32d'; scale = exact.scale; buf = Buffer.from(steps.buffer, steps.byteOffset, steps.byteLength); }
      else { enc = 'f64'; const a = Float64Array.from(values); buf = Buffer.from(a.buffer, a.byteOffset, a.byteLength); }
    } else {
      const a = Float32Array.from(values);
      buf = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    }
    const offset = this.bytes;
    this.parts.push(buf);
    const pad = (8 - (buf.length % 8)) % 8;
    if (pad) this.parts.push(Buffer.alloc(pad));
    this.bytes += buf.length + pad;
    this.columns.push({ enc, n: values.length, scale, offset });
    return this.columns.length - 1;
  }

  /** The blob: gzip, then base64 (safe inside a <script> element). */
  finish(): string {
    return gzipSync(Buffer.concat(this.parts, this.bytes), { level: 6 }).toString('base64');
  }
}

/** Decode a blob made by BlobWriter (the same steps as the page's; used by tests). */
export function decodeColumn(raw: Uint8Array, c: ColumnInfo): Float64Array {
  const out = new Float64Array(c.n);
  if (c.enc === 'f64') out.set(new Float64Array(raw.buffer, raw.byteOffset + c.offset, c.n));
  else if (c.enc === 'f32') out.set(new Float32Array(raw.buffer, raw.byteOffset + c.offset, c.n));
  else {
    const d = new Int32Array(raw.buffer, raw.byteOffset + c.offset, c.n);
    let acc = 0;
    for (let i = 0; i < c.n; i++) { acc += d[i] as number; out[i] = acc * c.scale; }
  }
  return out;
}

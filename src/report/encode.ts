/**
 * Numeric columns of a report travel as one base64'd binary blob next to the page (a million
 * candles as JSON text would be ~60 MB and slow to parse). It is not compressed: delta-coded
 * random-walk prices barely compress (~20%), and inflating tens of MB costs the page seconds. Each column is stored in the
 * smallest form that gives its values back exactly enough:
 *   i32d  integers of `scale` (prices in ticks, times in seconds), delta-coded: small numbers
 *         that compress well, decoded exactly (acc * scale)
 *   q32d  display-only series (volume, indicators, equity curves): rounded to 7 significant
 *         digits of the series' largest value, delta-coded like i32d; NaN kept (a sentinel)
 *   f64   exact columns whose values are off their grid
 * The page (./page.js) decodes it with typed-array views: no library, no request.
 */

export type Encoding = 'i32d' | 'q32d' | 'f64';

export interface ColumnInfo {
  readonly enc: Encoding;
  readonly n: number;
  readonly scale: number;
  /** Bytes per delta (i32d/q32d): 1, 2 or 4. */
  readonly width: 1 | 2 | 4;
  /** Deltas that do not fit the width: [index, delta, index, delta, ...] (their slot holds 0). */
  readonly x: readonly number[];
  /** Byte offset in the decompressed blob (a multiple of 8). */
  readonly offset: number;
}

const I32_MAX = 2 ** 31 - 1;
/** The q32d delta that stands for NaN (no value: warm-up, before an account existed): the lowest of its width. */
const NAN_CODE = -(2 ** 31);
const NAN_OF = { 1: -128, 2: -32768, 4: NAN_CODE } as const;

/**
 * The deltas in the narrowest integer array for most of them: the few that do not fit (the
 * first value, a gap, a spike) become exceptions, stored apart as [index, delta, ...] with a 0
 * in the array. NAN_CODE becomes that width's lowest value.
 */
function narrow(d: Int32Array): { width: 1 | 2 | 4; bytes: Buffer; exceptions: number[] } {
  const fits = (x: number, w: 1 | 2) => x === NAN_CODE || (w === 1 ? x > -128 && x < 128 : x > -32768 && x < 32768);
  let best: { width: 1 | 2 | 4; cost: number } = { width: 4, cost: d.length * 4 };
  for (const w of [2, 1] as const) {
    let misses = 0;
    for (let i = 0; i < d.length; i++) if (!fits(d[i] as number, w)) misses++;
    const cost = d.length * w + misses * 16;
    if (cost < best.cost) best = { width: w, cost };
  }
  const width = best.width;
  const exceptions: number[] = [];
  if (width === 4) return { width, bytes: Buffer.from(d.buffer, d.byteOffset, d.byteLength), exceptions };
  const out = width === 1 ? new Int8Array(d.length) : new Int16Array(d.length);
  for (let i = 0; i < d.length; i++) {
    const x = d[i] as number;
    if (x === NAN_CODE) out[i] = NAN_OF[width];
    else if (fits(x, width)) out[i] = x;
    else exceptions.push(i, x); // out[i] stays 0
  }
  return { width, bytes: Buffer.from(out.buffer, out.byteOffset, out.byteLength), exceptions };
}

/** Display values rounded to a step of `digits` significant digits of the largest, delta-coded. */
function quantized(values: ArrayLike<number>, digits: number): { steps: Int32Array; scale: number } {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i] as number);
    if (Number.isFinite(v) && v > m) m = v;
  }
  const scale = m > 0 ? 10 ** (Math.floor(Math.log10(m)) - (digits - 1)) : 1;
  const steps = new Int32Array(values.length);
  let prev = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      steps[i] = NAN_CODE;
      continue;
    }
    const q = Math.round(v / scale);
    steps[i] = q - prev;
    prev = q;
  }
  return { steps, scale };
}

/** Integers of `scale` for every value, delta-coded, or null when one is not (within a millionth of a step). */
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
   * f64); otherwise the values are rounded for display (q32d).
   */
  add(values: ArrayLike<number>, exact?: { readonly scale: number }, digits = 7): number {
    let enc: Encoding;
    let buf: Buffer;
    let scale = 1;
    let width: 1 | 2 | 4 = 4;
    let x: number[] = [];
    if (exact) {
      const steps = exact.scale > 0 ? asSteps(values, exact.scale) : null;
      if (steps) {
        enc = 'i32d';
        scale = exact.scale;
        ({ width, bytes: buf, exceptions: x } = narrow(steps));
      } else {
        enc = 'f64';
        const a = Float64Array.from(values);
        buf = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      }
    } else {
      const q = quantized(values, digits);
      enc = 'q32d';
      scale = q.scale;
      ({ width, bytes: buf, exceptions: x } = narrow(q.steps));
    }
    const offset = this.bytes;
    this.parts.push(buf);
    const pad = (8 - (buf.length % 8)) % 8;
    if (pad) this.parts.push(Buffer.alloc(pad));
    this.bytes += buf.length + pad;
    this.columns.push({ enc, n: values.length, scale, width, x, offset });
    return this.columns.length - 1;
  }

  /** The blob, base64 (safe inside a <script> element). */
  finish(): string {
    return Buffer.concat(this.parts, this.bytes).toString('base64');
  }
}

/** Decode a blob made by BlobWriter (the same steps as the page's; used by tests). */
export function decodeColumn(raw: Uint8Array, c: ColumnInfo): Float64Array {
  const out = new Float64Array(c.n);
  if (c.enc === 'f64') out.set(new Float64Array(raw.buffer, raw.byteOffset + c.offset, c.n));
  else {
    const at = raw.byteOffset + c.offset;
    const d =
      c.width === 1
        ? new Int8Array(raw.buffer, at, c.n)
        : c.width === 2
          ? new Int16Array(raw.buffer, at, c.n)
          : new Int32Array(raw.buffer, at, c.n);
    const nan = c.enc === 'q32d' ? NAN_OF[c.width] : NaN;
    let acc = 0;
    let e = 0;
    for (let i = 0; i < c.n; i++) {
      const x = d[i] as number;
      if (x === nan) {
        out[i] = NaN;
        continue;
      }
      if (c.x[e] === i) {
        acc += c.x[e + 1] as number;
        e += 2;
      }
      acc += x;
      out[i] = acc * c.scale;
    }
  }
  return out;
}

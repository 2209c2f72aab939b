/**
 * Random UUIDs (v4) and time-ordered ones (v7, RFC 9562) without loading node:crypto: that module
 * and its ~20 internal ones cost a command 4-5 ms of start-up, and placing an order needs but
 * a few ids. The bytes come from /dev/urandom, the kernel's CSPRNG that node:crypto draws from
 * too, 256 bytes at first and 16 KB at a time once those are used; where it cannot be read (Windows), from node:crypto. v7 is the
 * algorithm of the uuid package (v7.js): within one millisecond a 32-bit counter, seeded at random
 * each new millisecond, keeps the ids of one process increasing.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Buffer } from 'node:buffer';

// 256 bytes first (a command needs a few ids); a process that uses them up wants many (candles
// of a market advance, a seed): 16 KB per read from then on.
let pool = new Uint8Array(256);
let at = pool.length;
let filled = false;
let urandom = true;

function fill(): void {
  if (urandom) {
    try {
      const fd = openSync('/dev/urandom', 'r');
      try {
        let n = 0;
        while (n < pool.length) {
          const k = readSync(fd, pool, n, pool.length - n, null);
          if (k <= 0) throw new Error('short read from /dev/urandom');
          n += k;
        }
      } finally {
        closeSync(fd);
      }
      return;
    } catch {
      urandom = false;
    }
  }
  const { randomFillSync } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  randomFillSync(pool);
}

/** The offset in `pool` of `n` (<= 16) fresh random bytes (read them before the next call). */
function take(n: number): number {
  if (at > pool.length - n) {
    if (filled && pool.length < 16_384) pool = new Uint8Array(16_384);
    fill();
    filled = true;
    at = 0;
  }
  return (at += n) - n;
}

/** 16 fresh random bytes (a copy: the caller may keep them). */
export function random16(): Uint8Array {
  const o = take(16);
  return pool.slice(o, o + 16);
}

/** The bytes of the id being formatted: no typed array allocated per id (they cost more than the rest). */
const bytes = new Uint8Array(16);

/** Two ASCII hex digits per byte value, low digit in the high byte (see format). */
const HEX2 = Uint16Array.from({ length: 256 }, (_, i) => {
  const h = (i + 0x100).toString(16);
  return h.charCodeAt(1) | (h.charCodeAt(2) << 8);
});
/** Where each of the 16 bytes' two digits go in the 36 characters (after the dashes). */
const AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
const text = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');

/** The millisecond whose time digits `text` holds (NaN: any other id was formatted since). */
let textMsecs = NaN;

/**
 * The 36 characters written into one reused buffer and decoded as one flat string: ~6x less
 * CPU than a template of 16 pieces (a market advance makes 7,200 candle ids per simulated day),
 * and a flat string binds to SQLite without flattening a rope first. Bytes before `from` are
 * those `text` holds already.
 */
function format(b: Uint8Array, from = 0): string {
  for (let i = from; i < 16; i++) {
    const c = HEX2[b[i] as number] as number;
    const at = AT[i] as number;
    text[at] = c & 0xff;
    text[at + 1] = c >>> 8;
  }
  return text.toString('latin1', 0, 36);
}

/** A random UUID (v4), like crypto.randomUUID(). */
export function uuidV4(): string {
  const o = take(16);
  for (let i = 0; i < 16; i++) bytes[i] = pool[o + i] as number;
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  textMsecs = NaN;
  return format(bytes);
}

const v7State = { msecs: -Infinity, seq: 0 };

/**
 * A time-ordered UUID (v7), as the uuid package's v7() makes them. Random bytes are drawn only
 * where they are used: 10 at a new millisecond (the counter's seed and the tail), 6 for the
 * next ids of the same millisecond (the tail); and the time's 12 digits are written only when
 * the millisecond changes.
 */
export function uuidV7(now = Date.now()): string {
  const s = v7State;
  const b = bytes;
  const fresh = now > s.msecs;
  let o = take(fresh ? 10 : 6);
  const r = pool; // after take: it may have replaced the pool
  if (fresh) {
    s.seq = ((r[o] as number) << 23) | ((r[o + 1] as number) << 16) | ((r[o + 2] as number) << 8) | (r[o + 3] as number);
    s.msecs = now;
    o += 4;
  } else {
    s.seq = (s.seq + 1) | 0;
    if (s.seq === 0) s.msecs++;
  }
  const { msecs, seq } = s;
  b[0] = (msecs / 0x10000000000) & 0xff;
  b[1] = (msecs / 0x100000000) & 0xff;
  b[2] = (msecs / 0x1000000) & 0xff;
  b[3] = (msecs / 0x10000) & 0xff;
  b[4] = (msecs / 0x100) & 0xff;
  b[5] = msecs & 0xff;
  b[6] = 0x70 | ((seq >>> 28) & 0x0f);
  b[7] = (seq >>> 20) & 0xff;
  b[8] = 0x80 | ((seq >>> 14) & 0x3f);
  b[9] = (seq >>> 6) & 0xff;
  b[10] = ((seq << 2) & 0xff) | ((r[o] as number) & 0x03);
  for (let i = 11; i < 16; i++) b[i] = r[o + i - 10] as number;
  const from = msecs === textMsecs ? 6 : 0;
  textMsecs = msecs;
  return format(b, from);
}

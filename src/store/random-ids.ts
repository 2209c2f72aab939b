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

/** The offset in `pool` of 16 fresh random bytes (valid until the next call: read them at once). */
function take16(): number {
  if (at > pool.length - 16) {
    if (filled && pool.length < 16_384) pool = new Uint8Array(16_384);
    fill();
    filled = true;
    at = 0;
  }
  const o = at;
  at += 16;
  return o;
}

/** 16 fresh random bytes (a copy: the caller may keep them). */
export function random16(): Uint8Array {
  const o = take16();
  return pool.slice(o, o + 16);
}

const HEX = Array.from({ length: 256 }, (_, i) => (i + 0x100).toString(16).slice(1));

function format(b: Uint8Array): string {
  const h = (i: number) => HEX[b[i] as number] as string;
  return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}

/** A random UUID (v4), like crypto.randomUUID(). */
export function uuidV4(): string {
  const b = random16();
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  return format(b);
}

const v7State = { msecs: -Infinity, seq: 0, prefixOf: NaN, prefix: '' };

/**
 * A time-ordered UUID (v7), as the uuid package's v7() makes them. Straight from the pool into
 * the string (no byte arrays: a market advance makes one per candle).
 */
export function uuidV7(now = Date.now()): string {
  const o = take16();
  const r = pool;
  const s = v7State;
  if (now > s.msecs) {
    s.seq = ((r[o + 6] as number) << 23) | ((r[o + 7] as number) << 16) | ((r[o + 8] as number) << 8) | (r[o + 9] as number);
    s.msecs = now;
  } else {
    s.seq = (s.seq + 1) | 0;
    if (s.seq === 0) s.msecs++;
  }
  const { msecs, seq } = s;
  const h = (byte: number) => HEX[byte] as string;
  const b = (i: number) => HEX[r[o + i] as number] as string;
  if (s.prefixOf !== msecs) {
    // the 48-bit time, shared by every id of the millisecond
    s.prefix =
      h((msecs / 0x10000000000) & 0xff) +
      h((msecs / 0x100000000) & 0xff) +
      h((msecs / 0x1000000) & 0xff) +
      h((msecs / 0x10000) & 0xff) +
      '-' +
      h((msecs / 0x100) & 0xff) +
      h(msecs & 0xff) +
      '-';
    s.prefixOf = msecs;
  }
  return (
    s.prefix +
    h(0x70 | ((seq >>> 28) & 0x0f)) +
    h((seq >>> 20) & 0xff) +
    '-' +
    h(0x80 | ((seq >>> 14) & 0x3f)) +
    h((seq >>> 6) & 0xff) +
    '-' +
    h(((seq << 2) & 0xff) | ((r[o + 10] as number) & 0x03)) +
    b(11) +
    b(12) +
    b(13) +
    b(14) +
    b(15)
  );
}

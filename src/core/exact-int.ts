/**
 * Exact integer products and quotients on plain numbers, for money.ts: the fast path taken when
 * every intermediate value provably fits in 2^52, so a double holds it exactly and no BigInt is
 * allocated. Each function returns null when it cannot prove that; the caller then takes its
 * BigInt path, which gives the same result (or throws the same error).
 *
 * Why 2^52 and not 2^53: q x d below may exceed |n| by up to d, and must stay exact.
 */
/** money.ts's rounding modes (repeated here: the two modules do not import each other). */
type Rounding = 'half-even' | 'half-up' | 'down' | 'up' | 'floor' | 'ceil';

const LIMIT = 2 ** 52;
/** Exact powers of ten (10^22 is the largest a double holds exactly). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * n / d rounded with `mode`, exactly, for integers |n| < 2^52 and 0 < d <= 2^52 (the caller
 * checks). Same results as money.ts's BigInt divRound.
 */
export function divRoundSmall(n: number, d: number, mode: Rounding): number {
  let q = Math.trunc(n / d);
  let r = n - q * d; // exact: |q x d| <= |n| + d <= 2^53
  // the float quotient may be one off: make q = trunc(n / d) and r its remainder (sign of n, |r| < d)
  if (n >= 0) {
    if (r < 0) {
      q -= 1;
      r += d;
    } else if (r >= d) {
      q += 1;
      r -= d;
    }
  } else if (r > 0) {
    q += 1;
    r -= d;
  } else if (r <= -d) {
    q -= 1;
    r += d;
  }
  if (r === 0) return q === 0 ? 0 : q; // no -0
  const negative = n < 0;
  switch (mode) {
    case 'down':
      return q === 0 ? 0 : q;
    case 'up':
      return negative ? q - 1 : q + 1;
    case 'floor':
      return negative ? q - 1 : q;
    case 'ceil':
      return negative ? (q === 0 ? 0 : q) : q + 1;
    case 'half-up':
    case 'half-even': {
      const twice = 2 * Math.abs(r);
      if (twice < d) return q === 0 ? 0 : q;
      if (twice > d || mode === 'half-up' || q % 2 !== 0) return negative ? q - 1 : q + 1;
      return q === 0 ? 0 : q;
    }
  }
}

/** The power of ten cancelTens left in the divisor (a scratch result: the function returns x). */
let left = 0;

/**
 * x / 10^k for a k <= e with 10^k dividing the safe integer x (10^8 while it divides, then 10^4, 10^2, 10 in
 * turn: a price or size has many zeros); k is subtracted from e into `left`. A division and a
 * product test divisibility exactly (q x 10^k === x only when q is the exact quotient), faster
 * than the remainder operator on doubles.
 */
/** The largest step of cancelTens: 10^8, a decimal shift (not a money scale; those are in money.ts). */
const TEN_POW_8 = 1e8;

function cancelTens(x: number, e: number): number {
  while (e >= 8) {
    const q = x / TEN_POW_8;
    if (!(Number.isInteger(q) && q * TEN_POW_8 === x)) break;
    x = q;
    e -= 8;
  }
  if (e >= 4) {
    const q = x / 1e4;
    if (Number.isInteger(q) && q * 1e4 === x) {
      x = q;
      e -= 4;
    }
  }
  if (e >= 2) {
    const q = x / 100;
    if (Number.isInteger(q) && q * 100 === x) {
      x = q;
      e -= 2;
    }
  }
  if (e >= 1) {
    const q = x / 10;
    if (Number.isInteger(q) && q * 10 === x) {
      x = q;
      e -= 1;
    }
  }
  left = e;
  return x;
}

/**
 * The last factor pair (a, c) mulDivPow10 cancelled, and the result: [a, c, exp, a' x c', power
 * left]. Fills repeat it (the same size and contract size, for the notional, the margin and the
 * PnL), so most calls cancel only b. Numbers in a Float64Array: stored unboxed.
 */
const pair = new Float64Array([NaN, NaN, NaN, 0, 0]);

/**
 * a x b x c / 10^exp rounded with `mode` (a, b, c safe integers), or null when it cannot be done
 * exactly on numbers. A product that fits as it is (a fee on an amount) is divided at once;
 * otherwise the factors of ten shared by a factor and the divisor are cancelled first (prices sit
 * on a tick grid and sizes on a lot grid, so most products then fit). Each factor cancels
 * min(its trailing zeros, the power left), so the total cancelled, the numerator and the result
 * do not depend on the order the factors are taken in (and equal the uncancelled quotient's).
 */
export function mulDivPow10(a: number, b: number, c: number, exp: number, mode: Rounding): number | null {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(c)) return null;
  if (a === 0 || b === 0 || c === 0) return 0;
  let ac = a * c;
  if (exp <= 15 && Math.abs(ac) < LIMIT) {
    const n = ac * b;
    if (Math.abs(n) < LIMIT) return exp === 0 ? n : divRoundSmall(n, POW10[exp] as number, mode);
  }
  let e: number;
  if (a === pair[0] && c === pair[1] && exp === pair[2]) {
    ac = pair[3] as number;
    e = pair[4] as number;
  } else {
    // a and c first: a size and a contract size repeat from call to call
    const a1 = cancelTens(a, exp);
    const c1 = cancelTens(c, left);
    e = left;
    ac = a1 * c1;
    if (!(Math.abs(ac) < LIMIT)) return null; // a product past 2^52 may be rounded: never trusted
    pair[0] = a;
    pair[1] = c;
    pair[2] = exp;
    pair[3] = ac;
    pair[4] = e;
  }
  if (e > 0) {
    b = cancelTens(b, e);
    e = left;
  }
  const n = ac * b;
  if (!(Math.abs(n) < LIMIT)) return null;
  // every ten cancelled (a size on its lot grid, a price on its tick grid): nothing to round
  return e === 0 ? n : divRoundSmall(n, POW10[e] as number, mode);
}

/** Greatest common divisor of two positive safe integers. */
function gcd(x: number, y: number): number {
  while (y !== 0) {
    const r = x % y;
    x = y;
    y = r;
  }
  return x;
}

/**
 * a x b / d rounded with `mode` (integers, d > 0), or null when it cannot be done exactly on
 * numbers. A product past 2^52 is tried again with the factor b and d share cancelled
 * (money x 10^6 / (leverage x 10^6): the scale cancels).
 */
export function mulDiv(a: number, b: number, d: number, mode: Rounding): number | null {
  if (!Number.isInteger(a) || !Number.isInteger(b) || !Number.isInteger(d) || !(d > 0 && d <= LIMIT)) return null;
  let n = a * b;
  if (!(Math.abs(n) < LIMIT)) {
    if (b === 0 || !(Math.abs(b) < LIMIT)) return null;
    const g = gcd(Math.abs(b), d);
    if (g === 1) return null;
    n = a * (b / g);
    if (!(Math.abs(n) < LIMIT)) return null;
    d = d / g;
  }
  return divRoundSmall(n, d, mode);
}

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
  REG[N] = n;
  REG[D] = d;
  divRoundReg(mode);
  return REG[OUT] as number;
}

/**
 * The doubles the `*Reg` functions of this module take and give: a double passed to or returned
 * from a function that is not inlined is boxed (a heap object per call), one read from or
 * written to a Float64Array is not. A caller writes the arguments, calls, and reads OUT at once.
 */
export const REG = new Float64Array(7);
/** Indices in REG: the factors a, b, c (mulDivPow10Reg; a, b and the divisor D for mulDivReg), the result. */
export const A = 0;
export const B = 1;
export const C = 2;
export const D = 3;
export const OUT = 4;
/** divRoundReg's numerator; cancelReg's scratch. */
const N = 5;

/** REG[N] / REG[D] rounded with `mode`, into REG[OUT] (divRoundSmall). */
function divRoundReg(mode: Rounding): void {
  const n = REG[N] as number;
  const d = REG[D] as number;
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
  const v = r === 0 ? q : q + roundingStep(q % 2 !== 0, 2 * Math.abs(r) - d, n < 0, mode);
  REG[OUT] = v === 0 ? 0 : v; // no -0
}

/**
 * What `mode` adds to trunc(n / d) = q (-1, 0 or 1) for a non-zero remainder r; `half` is 2|r| - d
 * (its sign: past, at or short of the half). Small integers in and out: never boxed.
 */
function roundingStep(odd: boolean, half: number, negative: boolean, mode: Rounding): number {
  switch (mode) {
    case 'down':
      return 0;
    case 'up':
      return negative ? -1 : 1;
    case 'floor':
      return negative ? -1 : 0;
    case 'ceil':
      return negative ? 0 : 1;
    case 'half-up':
    case 'half-even':
      if (half < 0) return 0;
      if (half > 0 || mode === 'half-up' || odd) return negative ? -1 : 1;
      return 0;
  }
}

/**
 * x / 10^k for a k <= e with 10^k dividing the safe integer x (10^8 while it divides, then 10^4, 10^2, 10 in
 * turn: a price or size has many zeros), for x = REG[k], written back there; returns e - k. A division and a
 * product test divisibility exactly (q x 10^k === x only when q is the exact quotient), faster
 * than the remainder operator on doubles.
 */
/** The largest step of cancelReg: 10^8, a decimal shift (not a money scale; those are in money.ts). */
const TEN_POW_8 = 1e8;

function cancelReg(k: number, e: number): number {
  let x = REG[k] as number;
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
  REG[k] = x;
  return e;
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
  REG[A] = a;
  REG[B] = b;
  REG[C] = c;
  return mulDivPow10Reg(exp, mode) ? (REG[OUT] as number) : null;
}

/** `mulDivPow10` of REG[A], REG[B], REG[C] into REG[OUT]: true when done, false when it declines. */
export function mulDivPow10Reg(exp: number, mode: Rounding): boolean {
  const a = REG[A] as number;
  let b = REG[B] as number;
  const c = REG[C] as number;
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(c)) return false;
  if (a === 0 || b === 0 || c === 0) {
    REG[OUT] = 0;
    return true;
  }
  let ac = a * c;
  if (exp <= 15 && Math.abs(ac) < LIMIT) {
    const n = ac * b;
    if (Math.abs(n) < LIMIT) {
      if (exp === 0) REG[OUT] = n;
      else {
        REG[N] = n;
        REG[D] = POW10[exp] as number;
        divRoundReg(mode);
      }
      return true;
    }
  }
  let e: number;
  if (a === pair[0] && c === pair[1] && exp === pair[2]) {
    ac = pair[3] as number;
    e = pair[4] as number;
  } else {
    // a and c first: a size and a contract size repeat from call to call
    e = cancelReg(A, exp);
    e = cancelReg(C, e);
    ac = (REG[A] as number) * (REG[C] as number);
    if (!(Math.abs(ac) < LIMIT)) return false; // a product past 2^52 may be rounded: never trusted
    pair[0] = a;
    pair[1] = c;
    pair[2] = exp;
    pair[3] = ac;
    pair[4] = e;
  }
  if (e > 0) {
    e = cancelReg(B, e);
    b = REG[B] as number;
  }
  const n = ac * b;
  if (!(Math.abs(n) < LIMIT)) return false;
  // every ten cancelled (a size on its lot grid, a price on its tick grid): nothing to round
  if (e === 0) REG[OUT] = n;
  else {
    REG[N] = n;
    REG[D] = POW10[e] as number;
    divRoundReg(mode);
  }
  return true;
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
  REG[A] = a;
  REG[B] = b;
  REG[D] = d;
  return mulDivReg(mode) ? (REG[OUT] as number) : null;
}

/** `mulDiv` of REG[A], REG[B] and the divisor REG[D] into REG[OUT]: true when done, false when it declines. */
export function mulDivReg(mode: Rounding): boolean {
  const a = REG[A] as number;
  const b = REG[B] as number;
  let d = REG[D] as number;
  if (!Number.isInteger(a) || !Number.isInteger(b) || !Number.isInteger(d) || !(d > 0 && d <= LIMIT)) return false;
  let n = a * b;
  if (!(Math.abs(n) < LIMIT)) {
    if (b === 0 || !(Math.abs(b) < LIMIT)) return false;
    const g = gcd(Math.abs(b), d);
    if (g === 1) return false;
    n = a * (b / g);
    if (!(Math.abs(n) < LIMIT)) return false;
    d = d / g;
  }
  REG[N] = n;
  REG[D] = d;
  divRoundReg(mode);
  return true;
}

/**
 * The text JavaScript gives a fixed-point amount as a float, `String(n / 10 ** k)`, made with
 * integer arithmetic instead of V8's shortest-digits search (a backtest's trade log writes some
 * 160,000 prices and amounts, twice with --json: the search was most of its time).
 *
 * Why it is the same text: when n is an integer with |n| < 10^15, the decimal n x 10^-k has at
 * most 15 significant digits, and n / 10^k (one correctly rounded division of two exact
 * doubles) is the double nearest to it. Two different decimals of at most 15 significant digits
 * never round to the same double (a double holds 15 decimal digits), so no shorter decimal reads
 * back as that double either: the shortest round-trip digits String() looks for are those of
 * n x 10^-k without its trailing zeros. JavaScript writes them in plain notation from 1e-6 up to
 * 1e21. Anything else (not an integer, too many digits, below 1e-6, k out of range) is String()'s.
 */

/** 10^0 .. 10^15, by exact integer products. */
const POW10: readonly number[] = Array.from({ length: 16 }, (_, k) => {
  let p = 1;
  for (let j = 0; j < k; j++) p *= 10;
  return p;
});
const ZEROS = '000000000000000';

/** `String(n / 10 ** k)` for 0 <= k <= 15, exactly (see above). */
export function scaledText(n: number, k: number): string {
  const b = POW10[k];
  if (b === undefined) return String(n / 10 ** k);
  const a = n < 0 ? -n : n;
  // an integer of at most 15 digits, whose value is 0 or at least 1e-6 (plain notation)
  if (!(a < 1e15) || a % 1 !== 0 || (a !== 0 && k > 6 && a < (POW10[k - 6] as number))) return String(n / b);
  let r = a % b; // exact: integers below 2^53
  const whole = String((a - r) / b);
  const head = n < 0 && a !== 0 ? `-${whole}` : whole;
  if (r === 0) return head;
  let places = k;
  while (r % 10 === 0) {
    r /= 10;
    places--;
  }
  const digits = String(r);
  return `${head}.${digits.length < places ? ZEROS.slice(0, places - digits.length) : ''}${digits}`;
}

/** `String(x)` for a value rounded to `k` decimals as core/metrics.ts `round` does (Math.round(x * 10^k) / 10^k, -0 as 0). */
export function roundedText(x: number, k: number): string {
  if (!Number.isFinite(x)) return '0';
  const b = POW10[k];
  if (b === undefined) return String(x);
  return scaledText(Math.round(x * b), k);
}

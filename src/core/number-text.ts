/**
 * Numbers for humans: thousands separators in the integer part ("43,210.50", "-1,234"), one sign
 * convention for money ("-$57.85", never "$-57.85"). Machine output (--json, CSV) never groups.
 * Pure; used by the CLI renderers and the report views.
 */

/** "43210.5" -> "43,210.5"; "-1234" -> "-1,234"; anything that is not a plain decimal is returned as it is. */
export function group(text: string): string {
  const m = /^([-+]?)(\d+)(\.\d+)?$/.exec(text);
  if (!m) return text;
  return `${m[1]}${(m[2] as string).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}

/** Dollars held as a float (metrics, reports): "-$1,234.50", "$0.00". */
export function dollars(x: number, places = 2): string {
  const text = Math.abs(x).toFixed(places);
  const negative = x < 0 && Number(text) !== 0;
  return `${negative ? '-' : ''}$${group(text)}`;
}

/**
 * `x.toFixed(2)`, without its slow exact-decimal path for the common case (a reason per order
 * in a backtest formats prices this way). x * 100 is within 2^-12 of its exact value below
 * 2^40, so when it is not that close to a half its rounding is toFixed's (half up on the exact
 * value); anything else goes to toFixed.
 */
export function fixed2(x: number): string {
  const a = x < 0 ? -x : x;
  const y = a * 100;
  if (!(y >= 100 && y < 2 ** 40)) return x.toFixed(2);
  const f = y - Math.floor(y);
  if (Math.abs(f - 0.5) < 1e-3) return x.toFixed(2);
  // the digits of round(y) with a point before the last two: whole part and cents as integers
  // (exact below 2^40), no string slicing
  const r = Math.round(y);
  const whole = Math.floor(r / 100);
  const cents = r - whole * 100;
  return (x < 0 ? '-' : '') + whole + (cents < 10 ? '.0' : '.') + cents;
}

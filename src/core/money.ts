/**
 * Fixed-point amounts. Every amount the product stores or sums is an integer count of a
 * smallest unit; this module is the only place that knows the scales.
 *
 *   Money  micro-units of the quote currency (1e-6):  $10,000.00  -> 10_000_000_000
 *   Price  1e-8 of the quote currency per unit:       50,000.5    -> 5_000_050_000_000
 *   Qty    1e-8 of a contract (sizes, contract sizes): 0.1 BTC     -> 10_000_000
 *   Rate   parts per million (fees, spreads, funding): 0.05%      -> 500
 *
 * Values are JS numbers holding safe integers (|x| <= 2^53 - 1). Products of two scaled values
 * (size x price x contract size) can pass 2^53, so they go through BigInt and are rounded once,
 * explicitly, back to a safe integer; when the product provably fits (after cancelling the
 * factors of ten it shares with the divisor), exact-int.ts computes the same result on numbers.
 * Anything that leaves the safe range throws `FixedPointOverflowError` instead of silently losing precision.
 *
 * Limits: the largest money amount is MAX_MONEY (~9.0e9 in quote currency); the largest price
 * is ~9.0e7 per unit; the largest size is ~9.0e7 contracts.
 *
 * Branded types stop a Price being passed where Money is expected at compile time.
 */

import { A, B, C, D, divRoundSmall, mulDivPow10Reg, mulDivReg, OUT, REG } from './exact-int.ts';

export type Money = number & { readonly __unit: 'money' };
export type Price = number & { readonly __unit: 'price' };
export type Qty = number & { readonly __unit: 'qty' };
/** Parts per million. */
export type Ppm = number & { readonly __unit: 'ppm' };

export const MONEY_DECIMALS = 6;
export const PRICE_DECIMALS = 8;
export const QTY_DECIMALS = 8;
export const PPM_DECIMALS = 6;

export const MONEY_SCALE = 1_000_000;
export const PRICE_SCALE = 100_000_000;
export const QTY_SCALE = 100_000_000;
export const PPM_SCALE = 1_000_000;

export const MAX_MONEY = Number.MAX_SAFE_INTEGER as Money;

export type Rounding = 'half-even' | 'half-up' | 'down' | 'up' | 'floor' | 'ceil';

export class FixedPointOverflowError extends Error {
  constructor(
    readonly what: string,
    readonly value: string,
  ) {
    super(`${what} is out of range (${value}); the largest accepted amount is ${formatFixed(MAX_MONEY, MONEY_DECIMALS)}`);
    this.name = 'FixedPointOverflowError';
  }
}

export class DecimalParseError extends Error {
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`"${input}" is not a valid amount: ${reason}`);
    this.name = 'DecimalParseError';
  }
}

function checkSafe(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new FixedPointOverflowError(what, String(value));
}

const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE_BIG = -MAX_SAFE_BIG;

function fromBig(value: bigint, what: string): number {
  if (value > MAX_SAFE_BIG || value < MIN_SAFE_BIG) {
    throw new FixedPointOverflowError(what, value.toString());
  }
  return Number(value);
}

/** Integer division of BigInts with an explicit rounding mode. */
export function divRound(num: bigint, den: bigint, mode: Rounding = 'half-even'): bigint {
  if (den === 0n) throw new RangeError('division by zero');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const q = num / den; // truncates toward zero
  const r = num - q * den;
  if (r === 0n) return q;
  const negative = num < 0n;
  switch (mode) {
    case 'down':
      return q;
    case 'up':
      return negative ? q - 1n : q + 1n;
    case 'floor':
      return negative ? q - 1n : q;
    case 'ceil':
      return negative ? q : q + 1n;
    case 'half-up':
    case 'half-even': {
      const twice = 2n * (r < 0n ? -r : r);
      if (twice < den) return q;
      if (twice > den || mode === 'half-up' || (q & 1n) === 1n) return negative ? q - 1n : q + 1n;
      return q;
    }
  }
}

/**
 * Parse a decimal string exactly into a scaled integer. Accepts an optional sign, digits and
 * at most `decimals` fraction digits (extra digits are an error, never silently rounded),
 * plus an optional exponent ("1e-3"). Rejects NaN, Infinity, empty and out-of-range input.
 */
export function parseFixed(input: string, decimals: number, what = 'amount'): number {
  const text = input.trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new DecimalParseError(input, `expected a decimal number`);
  const sign = m[1] === '-' ? -1n : 1n;
  let intPart = m[2] ?? '';
  let frac = m[3] ?? '';
  const exp = m[4] ? Number(m[4]) : 0;
  if (!Number.isFinite(exp) || Math.abs(exp) > 30) throw new DecimalParseError(input, 'exponent out of range');
  // Shift the decimal point by the exponent on the digit string itself: no float involved.
  let digits = intPart + frac;
  let point = intPart.length + exp;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) {
    digits = digits + '0'.repeat(point - digits.length);
  }
  intPart = digits.slice(0, point);
  frac = digits.slice(point).replace(/0+$/, '');
  if (frac.length > decimals) {
    throw new DecimalParseError(input, `at most ${decimals} decimal places are allowed`);
  }
  const scaled = BigInt((intPart || '0') + frac.padEnd(decimals, '0')) * sign;
  if (scaled > MAX_SAFE_BIG || scaled < MIN_SAFE_BIG) {
    throw new FixedPointOverflowError(what, input);
  }
  return Number(scaled);
}

/** Render a scaled integer as a plain decimal string with exactly `decimals` places (or trimmed). */
export function formatFixed(value: number, decimals: number, opts: { trim?: boolean; places?: number } = {}): string {
  checkSafe(value, 'value');
  let v = value;
  let d = decimals;
  if (opts.places !== undefined && opts.places < decimals) {
    // rounded on numbers (exact-int.ts) when they hold it exactly, else in BigInt: the same digits
    const div = 10 ** (decimals - opts.places);
    if (!(Math.abs(value) < 2 ** 52 && Number.isInteger(div) && div <= 2 ** 52)) return formatFixedBig(value, decimals, opts);
    v = divRoundSmall(value, div, 'half-even');
    d = opts.places;
  }
  // a safe integer's String is its exact decimal digits (no exponent below 1e21)
  const negative = v < 0;
  return fixedText(String(negative ? -v : v), negative, d, opts.trim === true);
}

/** `formatFixed` in BigInt (values past 2^52 rounded to fewer places). */
function formatFixedBig(value: number, decimals: number, opts: { trim?: boolean; places?: number }): string {
  let v = BigInt(value);
  let d = decimals;
  if (opts.places !== undefined && opts.places < decimals) {
    v = divRound(v, 10n ** BigInt(decimals - opts.places), 'half-even');
    d = opts.places;
  }
  const negative = v < 0n;
  return fixedText((negative ? -v : v).toString(), negative, d, opts.trim === true);
}

/** The digits of |v| with a point before the last `d`, trimmed if asked, with the sign of a non-zero value. */
function fixedText(digits: string, negative: boolean, d: number, trim: boolean): string {
  const abs = digits.padStart(d + 1, '0');
  let intPart = abs.slice(0, abs.length - d);
  let frac = d > 0 ? abs.slice(abs.length - d) : '';
  if (trim) frac = frac.replace(/0+$/, '');
  intPart = intPart || '0';
  const out = frac ? `${intPart}.${frac}` : intPart;
  return negative && /[1-9]/.test(out) ? `-${out}` : out;
}

export const parseMoney = (s: string): Money => parseFixed(s, MONEY_DECIMALS, 'money') as Money;
export const parsePrice = (s: string): Price => parseFixed(s, PRICE_DECIMALS, 'price') as Price;
export const parseQty = (s: string): Qty => parseFixed(s, QTY_DECIMALS, 'size') as Qty;

/** Money as a decimal string with 2 places (display); `exact` keeps all 6. */
export function formatMoney(m: Money | number, exact = false): string {
  return formatFixed(m, MONEY_DECIMALS, exact ? { trim: false } : { places: 2 });
}
/** A price with the given number of display decimals (usually the instrument's tick decimals). */
export function formatPrice(p: Price | number, places = PRICE_DECIMALS): string {
  return formatFixed(p, PRICE_DECIMALS, { places });
}
export function formatQty(q: Qty | number): string {
  return formatFixed(q, QTY_DECIMALS, { trim: true });
}

/** Float -> scaled integer, rounded once. Only for values born as floats (candle mids, rates). */
export function toScaled(x: number, scale: number, mode: 'nearest' | 'floor' | 'ceil' = 'nearest'): number {
  if (!Number.isFinite(x)) throw new FixedPointOverflowError('value', String(x));
  const y = x * scale;
  // Remove float noise such as 50000.1 * 1e8 = 5000010000000.001 before directed rounding.
  const snapped = Math.abs(y - Math.round(y)) < 1e-6 ? Math.round(y) : y;
  const r = mode === 'floor' ? Math.floor(snapped) : mode === 'ceil' ? Math.ceil(snapped) : Math.round(snapped);
  checkSafe(r, 'value');
  return r;
}
export const priceFromFloat = (x: number, mode: 'nearest' | 'floor' | 'ceil' = 'nearest'): Price => toScaled(x, PRICE_SCALE, mode) as Price;
export const priceToFloat = (p: Price | number): number => p / PRICE_SCALE;
export const moneyToFloat = (m: Money | number): number => m / MONEY_SCALE;
export const qtyToFloat = (q: Qty | number): number => q / QTY_SCALE;
export const moneyFromFloat = (x: number): Money => toScaled(x, MONEY_SCALE) as Money;
export const ppmFromRate = (rate: number): Ppm => toScaled(rate, PPM_SCALE) as Ppm;
/** A float rounded to the price unit (1e-8), for values shown next to prices (indicators). */
export const roundToPriceUnit = (x: number): number => Math.round(x * PRICE_SCALE) / PRICE_SCALE;
/**
 * size (Qty) x price (Price) x contract size (Qty) / PNL_DIVISOR = money units. For float marks
 * only (equity curves, the liquidation screen); amounts that are posted go through `pnl`.
 */
export const PNL_DIVISOR = (QTY_SCALE * PRICE_SCALE * QTY_SCALE) / MONEY_SCALE;

/**
 * Percentages, exactly. A percentage typed by a person ("7", "7%", "0.25%") is parsed as a
 * decimal string into parts per million of the whole (7% -> 70_000 ppm, at most 4 decimals of
 * a percent), never through a float multiplication (7 / 100 * 100 = 7.000000000000001).
 */
export const PERCENT_DECIMALS = PPM_DECIMALS - 2;
export function parsePercent(input: string, what = 'percentage'): Ppm {
  const text = input.trim().replace(/%$/, '');
  return parseFixed(text, PERCENT_DECIMALS, what) as Ppm;
}
/** ppm of a whole as a percentage: 70_000 -> "7%", 70 -> "0.007%", 2_500 -> "0.25%". */
export function formatPercent(ppm: Ppm | number): string {
  return `${formatFixed(ppm, PERCENT_DECIMALS, { trim: true })}%`;
}
/** A fraction in (-1, 1) held as ppm in a float (70_000 ppm -> 0.07: the nearest double to the decimal). */
export const ppmToRate = (ppm: Ppm | number): number => ppm / PPM_SCALE;

/** Decimal places a rate held as a float (a stored REAL: funding rate, spread, a strategy's size) is shown to. */
const RATE_DECIMALS = 12;
/**
 * A rate held as a float shown as a percentage, from its shortest decimal form (the digits the
 * rate was written with): 0.00007 -> "0.007%", 0.07 -> "7%", 1/3 -> "33.3333333333%"
 * (at most 10 decimals of a percent).
 */
export function formatRatePercent(rate: number): string {
  let units: number;
  try {
    units = parseFixed(String(rate), RATE_DECIMALS, 'rate');
  } catch {
    units = toScaled(rate, 10 ** RATE_DECIMALS); // more digits than shown: rounded once
  }
  return `${formatFixed(units, RATE_DECIMALS - 2, { trim: true })}%`;
}

/** a + b with overflow check. */
export function addMoney(a: Money, b: Money): Money {
  const s = a + b;
  checkSafe(s, 'money');
  return s as Money;
}
export function subMoney(a: Money, b: Money): Money {
  const s = a - b;
  checkSafe(s, 'money');
  return s as Money;
}
export function sumMoney(values: Iterable<Money>): Money {
  let s = 0;
  for (const v of values) {
    s += v;
    checkSafe(s, 'money');
  }
  return s as Money;
}

// size (1e-8) * price (1e-8) * contract size (1e-8) -> money (1e-6): divide by 1e18.
const NOTIONAL_DIVISOR = (BigInt(QTY_SCALE) * BigInt(PRICE_SCALE) * BigInt(QTY_SCALE)) / BigInt(MONEY_SCALE);
/** The same divisor as a power of ten (the exact number fast path, exact-int.ts). */
const NOTIONAL_EXP = QTY_DECIMALS + PRICE_DECIMALS + QTY_DECIMALS - MONEY_DECIMALS;

/** notional = |size| x price x contract size, in money, rounded once. */
export function notional(size: Qty, price: Price, contractSize: Qty, mode: Rounding = 'half-even'): Money {
  REG[A] = Math.abs(size);
  REG[B] = price;
  REG[C] = contractSize;
  if (mulDivPow10Reg(NOTIONAL_EXP, mode)) return REG[OUT] as Money;
  return bigNotional(size, price, contractSize, mode);
}

/** `notional` in BigInt (kept apart: the number path stays small enough to inline). */
function bigNotional(size: Qty, price: Price, contractSize: Qty, mode: Rounding): Money {
  const n = BigInt(Math.abs(size)) * BigInt(price) * BigInt(contractSize);
  return fromBig(divRound(n, NOTIONAL_DIVISOR, mode), 'notional') as Money;
}

/** PnL of `size` (signed: + long, - short) moved from `entry` to `exit`. */
export function pnl(size: Qty, entry: Price, exit: Price, contractSize: Qty): Money {
  const diff = exit - entry; // exact when it is a safe integer (both are)
  if (Number.isSafeInteger(entry) && Number.isSafeInteger(exit) && Number.isSafeInteger(diff)) {
    REG[A] = size;
    REG[B] = diff;
    REG[C] = contractSize;
    if (mulDivPow10Reg(NOTIONAL_EXP, 'half-even')) return REG[OUT] as Money;
  }
  return bigPnl(size, entry, exit, contractSize);
}

/** `pnl` in BigInt. */
function bigPnl(size: Qty, entry: Price, exit: Price, contractSize: Qty): Money {
  const n = BigInt(size) * (BigInt(exit) - BigInt(entry)) * BigInt(contractSize);
  return fromBig(divRound(n, NOTIONAL_DIVISOR, 'half-even'), 'pnl') as Money;
}

/** amount x rate (ppm), rounded once. Fees round up (the house never undercharges). */
export function applyPpm(amount: Money, rate: Ppm, mode: Rounding = 'half-even'): Money {
  REG[A] = rate; // the rate first (exact-int.ts)
  REG[B] = amount;
  REG[C] = 1;
  if (mulDivPow10Reg(PPM_DECIMALS, mode)) return REG[OUT] as Money;
  return fromBig(divRound(BigInt(amount) * BigInt(rate), BigInt(PPM_SCALE), mode), 'money') as Money;
}

/** amount / divisor for a float divisor such as leverage (2.5x), rounded up (margin is never understated). */
export function divMoneyByFactor(amount: Money, factor: number, mode: Rounding = 'ceil'): Money {
  if (!(factor > 0) || !Number.isFinite(factor)) throw new RangeError(`invalid factor ${factor}`);
  // Represent the factor exactly to 1e-6 so that the division is integer arithmetic.
  REG[A] = amount;
  REG[B] = 1_000_000;
  REG[D] = Math.round(factor * 1_000_000);
  if (mulDivReg(mode)) return REG[OUT] as Money;
  const f = BigInt(Math.round(factor * 1_000_000));
  return fromBig(divRound(BigInt(amount) * 1_000_000n, f, mode), 'money') as Money;
}

/** Weighted average of two prices by size (entry averaging), rounded to the price unit. */
export function averagePrice(sizeA: Qty, priceA: Price, sizeB: Qty, priceB: Price): Price {
  const total = BigInt(Math.abs(sizeA)) + BigInt(Math.abs(sizeB));
  if (total === 0n) return priceB;
  const weighted = BigInt(Math.abs(sizeA)) * BigInt(priceA) + BigInt(Math.abs(sizeB)) * BigInt(priceB);
  return fromBig(divRound(weighted, total, 'half-even'), 'price') as Price;
}

/** Decimal places needed to show a step exactly (tick 0.25 -> 2, tick 0.00001 -> 5). */
export function decimalsOf(step: number, scaleDecimals: number): number {
  let d = scaleDecimals;
  let s = step;
  while (d > 0 && s % 10 === 0) {
    s /= 10;
    d--;
  }
  return d;
}

/** Money for people: "$1,234.56", "-$0.05" (quote currency assumed USD-like). */
export function formatCash(m: Money | number): string {
  const s = formatMoney(Math.abs(m));
  const point = s.indexOf('.');
  return `${m < 0 && s !== '0.00' ? '-' : ''}$${thousands(s.slice(0, point))}${s.slice(point)}`;
}

/** Digits with a comma every three from the right ("1234567" -> "1,234,567"). */
function thousands(digits: string): string {
  const n = digits.length;
  if (n <= 3) return digits;
  let out = digits.slice(0, ((n - 1) % 3) + 1);
  for (let i = out.length; i < n; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return out;
}

/**
 * Strict parsers for command-line values, one per kind of value; each throws a UsageError (exit 2)
 * naming the flag. Every command option of a kind goes through its parser here.
 *
 * Numbers are plain decimals: digits with an optional fraction (`5`, `5.`, `.5`, `2500.25`),
 * surrounding spaces ignored. Not accepted anywhere: exponents (`1e3`), hex (`0x10`), signs where
 * the value cannot be negative (`-0`, `+5`), `Infinity`/`NaN`, more decimals than the kind holds
 * (never silently rounded), and values beyond the exact range.
 */
import { UsageError } from '../core/errors.ts';
import { durationProblem, isTimeframe, parseDuration, parseIsoTime, TIMEFRAMES, type Timeframe } from '../core/time.ts';
import { controlCharIn } from '../core/text.ts';
import {
  MONEY_DECIMALS,
  parseFixed,
  PPM_DECIMALS,
  PPM_SCALE,
  PRICE_DECIMALS,
  QTY_DECIMALS,
  type Money,
  type Ppm,
  type Price,
  type Qty,
} from '../core/money.ts';

const PLAIN = /^\d+\.?\d*$|^\.\d+$/;
const SIGNED = /^-?(\d+\.?\d*|\.\d+)$/;

/** Why `text` is not a plain decimal, for the error message. */
function notPlain(text: string): string {
  if (/^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/.test(text)) return 'plain decimals only, no exponent';
  if (/^[+-]?0x/i.test(text)) return 'plain decimals only, no hex';
  if (/^-/.test(text)) return 'it cannot be negative';
  return 'not a number';
}

/**
 * A non-negative plain decimal (or, with `signed`, a leading minus) as an exact scaled integer
 * with `decimals` places. `example` shows the expected form in the message.
 */
function scaled(value: string | undefined, flag: string, decimals: number, what: string, example: string, signed = false): number {
  const text = (value ?? '').trim();
  if (!(signed ? SIGNED : PLAIN).test(text)) {
    throw new UsageError(`${flag} must be ${what} like ${example}, got "${value ?? ''}" (${notPlain(text)})`);
  }
  const frac = /\.(\d*)$/.exec(text)?.[1]?.replace(/0+$/, '') ?? '';
  if (frac.length > decimals) throw new UsageError(`${flag} takes at most ${decimals} decimal places, got "${text}"`);
  try {
    const n = parseFixed(text, decimals, flag);
    return Object.is(n, -0) ? 0 : n;
  } catch {
    throw new UsageError(`${flag} is too large (out of range), got "${text}"`);
  }
}

/** A size (quantity of contracts or units), above 0. */
export function parseSizeArg(value: string | undefined, flag: string): Qty {
  const q = scaled(value, flag, QTY_DECIMALS, 'a positive number', '0.5');
  if (q <= 0) throw new UsageError(`${flag} must be positive (above 0), got "${value ?? ''}"`);
  return q as Qty;
}

/** A price (or a price distance), above 0. */
export function parsePriceArg(value: string | undefined, flag: string): Price {
  const p = scaled(value, flag, PRICE_DECIMALS, 'a positive price', '2500 or 99.95');
  if (p <= 0) throw new UsageError(`${flag} must be positive (above 0), got "${value ?? ''}"`);
  return p as Price;
}

/** An amount of money in the quote currency, above 0 (or from 0 with `allowZero`). */
export function parseMoneyArg(value: string | undefined, flag: string, opts: { allowZero?: boolean } = {}): Money {
  const m = scaled(value, flag, MONEY_DECIMALS, opts.allowZero ? 'an amount' : 'a positive amount', '2500 or 99.95');
  if (m < 0 || (m === 0 && !opts.allowZero)) throw new UsageError(`${flag} must be positive (above 0), got "${value ?? ''}"`);
  return m as Money;
}

/**
 * A rate as a fraction (0.0005 = 0.05%), exactly, as parts per million: from `min` to `max`
 * (rates as fractions; `min` below 0 allows a minus sign).
 */
export function parseRateArg(value: string | undefined, flag: string, opts: { min?: number; max: number; maxExclusive?: boolean }): Ppm {
  const min = opts.min ?? 0;
  const ppm = scaled(value, flag, PPM_DECIMALS, 'a rate', '0.0005 (= 0.05%)', min < 0);
  const lo = Math.round(min * PPM_SCALE);
  const hi = Math.round(opts.max * PPM_SCALE);
  if (ppm < lo || ppm > hi || (opts.maxExclusive && ppm === hi)) {
    throw new UsageError(
      `${flag} must be a rate from ${min} to ${opts.maxExclusive ? 'below ' : ''}${opts.max} (0.0005 = 0.05%), got "${value ?? ''}"`,
    );
  }
  return ppm as Ppm;
}

/**
 * A unitless plain decimal (a share, a factor, a number of seconds) from `min` to `max` with at
 * most `decimals` places; `above` makes `min` itself invalid.
 */
export function parseNumberArg(
  value: string | undefined,
  flag: string,
  opts: { min: number; max: number; decimals: number; above?: boolean; what?: string },
): number {
  const what = opts.what ?? `a number from ${opts.min} to ${opts.max}`;
  const n = scaled(value, flag, opts.decimals, what, String(opts.max), opts.min < 0) / 10 ** opts.decimals;
  if (n < opts.min || n > opts.max || (opts.above && n === opts.min)) throw new UsageError(`${flag} must be ${what}, got "${value ?? ''}"`);
  return n;
}

/** A percentage written `70%` or `70`, above 0 and below `max` (default 100), at most 4 decimals. */
export function parsePercentArg(value: string | undefined, flag: string, opts: { max?: number } = {}): number {
  const max = opts.max ?? 100;
  const text = (value ?? '').trim().replace(/%$/, '');
  const what = `a percentage above 0 and below ${max} like 20%`;
  const n = scaled(text, flag, 4, what, '20%') / 10_000;
  if (!(n > 0 && n < max)) throw new UsageError(`${flag} must be ${what}, got "${value ?? ''}"`);
  return n;
}

/**
 * Leverage: `5`, `2.5` or `5x`, 2 decimals at most, from 1 (or above 0 with `min: 0`) to `max`
 * (default 125; null: no upper bound here, e.g. an order's, which the account's maximum rejects).
 */
export function parseLeverageArg(value: string | undefined, flag: string, opts: { min?: number; max?: number | null } = {}): number {
  const min = opts.min ?? 1;
  const max = opts.max === undefined ? 125 : opts.max;
  const text = (value ?? '').trim().replace(/x$/i, '');
  const what = `a number ${min === 0 ? 'above 0' : `from ${min}`}${max === null ? '' : ` to ${max}`} like 5 or 2.5 (or 5x)`;
  const n = scaled(text, flag, 2, what, '5') / 100;
  if ((max !== null && n > max) || (min === 0 ? n <= 0 : n < min)) throw new UsageError(`${flag} must be ${what}, got "${value ?? ''}"`);
  return n;
}

/** A duration like 15m, 4h, 2d, 1w or 1d12h, in milliseconds. */
export function parseDurationArg(value: string | undefined, flag: string): number {
  const ms = parseDuration(value ?? '');
  if (ms === null) {
    const p = durationProblem(value ?? '');
    throw new UsageError(flag ? `${flag}: ${p.message}` : p.message, p.hint);
  }
  return ms;
}

/** A display name: 1-max characters, trimmed, no control characters (they could drive a terminal). */
export function parseName(value: string, what: string, max = 64): string {
  const c = controlCharIn(value);
  if (c !== null || /[\n\t]/.test(value)) {
    throw new UsageError(
      `${what} contains a control character (\\x${(c ?? (/\n/.test(value) ? '\n' : '\t')).charCodeAt(0).toString(16).padStart(2, '0')})`,
      'use printable characters only',
    );
  }
  const clean = value.trim();
  if (!clean || clean.length > max) throw new UsageError(`${what} must be 1-${max} characters, got "${value}"`);
  return clean;
}

export function parsePositiveInt(value: string | undefined, flag: string, opts: { min?: number; max?: number } = {}): number {
  const min = opts.min ?? 1;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  const text = (value ?? '').trim();
  if (!/^\d+$/.test(text))
    throw new UsageError(
      `${flag} must be a whole number >= ${min}, got "${value ?? ''}" (${/^\d*\.\d*$/.test(text) && text !== '.' ? 'no fraction' : notPlain(text)})`,
    );
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${text}`);
  return n;
}

export function parseIntArg(value: string | undefined, flag: string): number {
  const text = (value ?? '').trim();
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw new UsageError(`${flag} must be an integer, got "${value ?? ''}"`);
  return Number(text) || 0; // never -0
}

export function parseTimeframe(value: string | undefined, flag = '--timeframe'): Timeframe {
  const v = (value ?? '').trim();
  if (!isTimeframe(v)) throw new UsageError(`unknown timeframe "${value ?? ''}" for ${flag}`, `use one of ${TIMEFRAMES.join(', ')}`);
  return v;
}

export function parseTime(value: string, flag: string): number {
  const t = parseIsoTime(value);
  if (t === null) throw new UsageError(`${flag} "${value}" is not an ISO-8601 date or time`, 'e.g. 2026-01-31 or 2026-01-31T12:00:00Z');
  return t;
}

export function parseSymbolList(value: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError('--instruments needs at least one symbol');
  return [...new Set(items)];
}

/** --strategy-timeout: the time limit per candle of a user strategy file, in seconds (default 1). */
export function parseStrategyTimeout(value: string | undefined): number {
  if (value === undefined) return 1000;
  return Math.round(
    parseNumberArg(value, '--strategy-timeout', { min: 0.01, max: 3600, decimals: 3, what: 'a number of seconds from 0.01 to 3600' }) *
      1000,
  );
}

/** Strict parsers for command-line values; each throws a UsageError naming the flag. */
import { UsageError } from '../core/errors.ts';
import { isTimeframe, parseIsoTime, TIMEFRAMES, type Timeframe } from '../core/time.ts';
import { controlCharIn } from '../core/text.ts';

/** A display name: 1-max characters, trimmed, no control characters (they could drive a terminal). */
export function parseName(value: string, what: string, max = 64): string {
  const c = controlCharIn(value);
  if (c !== null || /[\n\t]/.test(value)) {
    throw new UsageError(`${what} contains a control character (\\x${(c ?? (/\n/.test(value) ? '\n' : '\t')).charCodeAt(0).toString(16).padStart(2, '0')})`, 'use printable characters only');
  }
  const clean = value.trim();
  if (!clean || clean.length > max) throw new UsageError(`${what} must be 1-${max} characters, got "${value}"`);
  return clean;
}

export function parsePositiveInt(value: string | undefined, flag: string, opts: { min?: number; max?: number } = {}): number {
  const min = opts.min ?? 1;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  const text = (value ?? '').trim();
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number >= ${min}, got "${value ?? ''}"`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${text}`);
  return n;
}

export function parseIntArg(value: string | undefined, flag: string): number {
  const text = (value ?? '').trim();
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new UsageError(`${flag} must be an integer, got "${value ?? ''}"`);
  return Number(text);
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
  const items = value.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  if (items.length === 0) throw new UsageError('--instruments needs at least one symbol');
  return [...new Set(items)];
}

/** --strategy-timeout: the time limit per candle of a user strategy file, in seconds (default 1). */
export function parseStrategyTimeout(value: string | undefined): number {
  if (value === undefined) return 1000;
  const text = value.trim();
  const n = Number(text);
  if (!/^(\d+\.?\d*|\.\d+)$/.test(text) || !(n >= 0.01 && n <= 3600)) {
    throw new UsageError(`--strategy-timeout must be a number of seconds from 0.01 to 3600, got "${value}"`, 'e.g. --strategy-timeout 5');
  }
  return Math.round(n * 1000);
}

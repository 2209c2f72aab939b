/**
 * Time in the core is epoch milliseconds (UTC). Nothing here reads the wall clock: callers pass
 * the time in. Timeframes are UTC-aligned buckets (a 4h candle starts at 00:00, 04:00, ...).
 */

export type Timeframe = '1m' | '5m' | '15m' | '30m' | '1h' | '2h' | '4h' | '1d' | '1w';
/** Finest first. Weeks start on Monday 00:00 UTC. */
export const TIMEFRAMES: readonly Timeframe[] = ['1m', '5m', '15m', '30m', '1h', '2h', '4h', '1d', '1w'];

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = {
  '1m': MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '30m': 30 * MINUTE_MS,
  '1h': HOUR_MS,
  '2h': 2 * HOUR_MS,
  '4h': 4 * HOUR_MS,
  '1d': DAY_MS,
  '1w': 7 * DAY_MS,
};

/** 1970-01-01 was a Thursday: weekly buckets are shifted so that they start on Mondays. */
const WEEK_OFFSET = 4 * DAY_MS;

export function isTimeframe(s: string): s is Timeframe {
  return (TIMEFRAMES as readonly string[]).includes(s);
}

/** Start of the UTC-aligned bucket of `tf` containing `t`. */
export function bucketStart(t: number, tf: Timeframe): number {
  const ms = TIMEFRAME_MS[tf];
  if (tf === '1w') return Math.floor((t - WEEK_OFFSET) / ms) * ms + WEEK_OFFSET;
  return Math.floor(t / ms) * ms;
}

export const floorToMinute = (t: number): number => Math.floor(t / MINUTE_MS) * MINUTE_MS;

const DURATION_UNITS: Record<string, number> = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS };

/**
 * Parse "15m", "4h", "2d", "1w", or combinations like "1d12h". Returns ms, or null when invalid.
 * An upper-case "M" is refused, not read as minutes: elsewhere it means months (not supported).
 */
export function parseDuration(text: string): number | null {
  if (text.includes('M')) return null;
  const s = text.trim().toLowerCase();
  if (!/^(\d+[mhdw])+$/.test(s)) return null;
  let total = 0;
  for (const m of s.matchAll(/(\d+)([mhdw])/g)) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] as number);
  }
  return total > 0 && Number.isSafeInteger(total) ? total : null;
}

export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms / MINUTE_MS);
  const d = Math.floor(rest / 1440);
  rest -= d * 1440;
  const h = Math.floor(rest / 60);
  rest -= h * 60;
  if (d) parts.push(`${d}d`);
  if (h) parts.push(`${h}h`);
  if (rest || parts.length === 0) parts.push(`${rest}m`);
  return parts.join('');
}

/**
 * Parse an ISO-8601 date or date-time. A date alone means 00:00 UTC; a date-time without a zone
 * is taken as UTC (the simulator has no local time). Returns epoch ms or null.
 */
export function parseIsoTime(text: string): number | null {
  const s = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Number((m[7] ?? '0').padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  let t = utc(year, month - 1, day, hour, minute, second, millis);
  if (new Date(utc(year, month - 1, day)).getUTCDate() !== day) return null; // 2026-02-30
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    if (Number(digits.slice(0, 2)) > 14 || Number(digits.slice(2)) > 59) return null; // no zone is past +-14:00
    t -= sign * (Number(digits.slice(0, 2)) * HOUR_MS + Number(digits.slice(2)) * MINUTE_MS);
  }
  return Number.isFinite(t) ? t : null;
}

/** Date.UTC without its two-digit-year rule (it reads years 0-99 as 1900-1999): year 0050 is year 50. */
function utc(year: number, month: number, day: number, h = 0, m = 0, s = 0, ms = 0): number {
  const t = Date.UTC(2000, month, day, h, m, s, ms);
  const d = new Date(t);
  d.setUTCFullYear(year + d.getUTCFullYear() - 2000);
  return d.getTime();
}

export const toIso = (t: number): string => new Date(t).toISOString();

/** Why `text` is not a duration, with a hint, for error messages. */
export function durationProblem(text: string): { readonly message: string; readonly hint: string } {
  if (/^\s*\d+M\s*$/.test(text) || text.includes('M')) {
    return {
      message: `"${text}" is ambiguous: minutes are written m, and months are not supported`,
      hint: `e.g. ${text.replace(/M/g, 'm')} for minutes, or 30d`,
    };
  }
  return { message: `"${text}" is not a duration`, hint: 'e.g. 15m, 4h, 2d, 1w or 1d12h (m = minutes)' };
}

/**
 * `new Date(t).toISOString()` for many timestamps in a row (trade logs: tens of thousands): the
 * date part is formatted once per UTC day, the time of day with integer arithmetic. The same
 * text as toISOString for every input; timestamps outside 1970..9999 or not whole milliseconds
 * go through Date.
 */
const DAY_MS = 86_400_000;
const LAST_MS = 253_402_300_800_000; // 10000-01-01T00:00:00Z: toISOString switches to a 6-digit year there

let cachedDay = NaN;
let cachedPrefix = '';

/** "00".."59" and "000".."999": the fields of a time of day, looked up rather than formatted. */
const TWO: readonly string[] = Array.from({ length: 60 }, (_, n) => `${n < 10 ? '0' : ''}${n}`);
const THREE: readonly string[] = Array.from({ length: 1000 }, (_, n) => `${n < 10 ? '00' : n < 100 ? '0' : ''}${n}`);

/** ISO 8601 UTC text of `t` (ms since the epoch), exactly as `new Date(t).toISOString()`. */
export function isoText(t: number): string {
  if (!(t >= 0 && t < LAST_MS) || !Number.isInteger(t)) return new Date(t).toISOString();
  const day = Math.floor(t / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11); // YYYY-MM-DDT
  }
  let ms = t - day * DAY_MS;
  const h = Math.floor(ms / 3_600_000);
  ms -= h * 3_600_000;
  const m = Math.floor(ms / 60_000);
  ms -= m * 60_000;
  const s = Math.floor(ms / 1000);
  ms -= s * 1000;
  return `${cachedPrefix}${TWO[h] as string}:${TWO[m] as string}:${TWO[s] as string}.${THREE[ms] as string}Z`;
}

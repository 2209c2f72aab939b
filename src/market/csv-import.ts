/**
 * Checking candle CSV rows one at a time (the file is streamed: see app/import.ts). Layouts,
 * detected from the first record:
 * - a header naming the columns (any order, any case): a time column (`date`, `time`,
 *   `datetime`, `timestamp`, `open_time`, ...), `open`, `high`, `low`, `close`, an optional
 *   `volume`; other columns are ignored. Yahoo's `Adj Close` is used with `adjusted` (OHLC are
 *   scaled by Adj Close / Close). A pandas `DataFrame.to_csv()` file has an empty first header
 *   cell: the index column holds the time.
 * - no header: Binance kline dumps (12 columns, open time in epoch ms or µs), or rows of
 *   time, open, high, low, close[, volume].
 * Times are ISO-8601 (a date alone is 00:00 UTC; offsets are honoured) or epoch s / ms / µs / ns.
 * Every row is checked and each problem is reported with its line number: the time parses, lies
 * in 1900-2199, sits on the timeframe grid and is after the previous row; prices are plain
 * decimal numbers (no hex, no Infinity), at least one tick after rounding to the tick, and below
 * the instrument's largest representable price (core/market-data.ts); low <= open, close <= high;
 * volume is a number >= 0.
 */
import { END_CANDLE_TIME, FIRST_CANDLE_TIME } from '../core/market-data.ts';
import { PRICE_SCALE } from '../core/money.ts';
import { bucketStart, parseIsoTime, toIso, type Timeframe } from '../core/time.ts';

export interface RowError {
  readonly line: number;
  readonly message: string;
}

export type CsvLayout = 'generic' | 'yahoo' | 'pandas' | 'binance' | 'headerless';

export interface RowCheckOptions {
  readonly timeframe: Timeframe;
  /** Tick size in Price units (money.ts). */
  readonly tick: number;
  /** Largest accepted price (a float, see maxCandlePrice). */
  readonly maxPrice: number;
  /** Scale OHLC by Adj Close / Close (Yahoo layout). */
  readonly adjusted: boolean;
}

/** Where a validated row goes: column arrays (a batch). */
export interface RowSink {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** A file-level problem (no usable header, --adjusted without Adj Close): nothing can be imported. */
export class LayoutError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'LayoutError';
  }
}

const TIME_NAMES = ['date', 'time', 'datetime', 'timestamp', 'open_time', 'opentime', 'date_time', 'dt', 'index'];
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$/;
const EPOCH = /^\d+(\.\d+)?$/;
const MAX_KEPT_ERRORS = 100;

/** The delimiter of a CSV from its first line: ',' unless ';' or a tab is clearly meant. */
export function sniffDelimiter(firstLine: string): ',' | ';' | '\t' {
  const count = (ch: string) => firstLine.split(ch).length - 1;
  const [comma, semi, tab] = [count(','), count(';'), count('\t')];
  if (tab > comma && tab >= semi) return '\t';
  if (semi > comma) return ';';
  return ',';
}

const NS_PER_MS = 1_000_000;

/** Epoch seconds / ms / µs / ns, or ISO-8601; null when neither (or out of range for Date). */
export function parseCandleTime(v: string): number | null {
  const s = v.trim();
  if (EPOCH.test(s)) {
    const n = Number(s);
    if (n >= 1e17) return Math.floor(n / NS_PER_MS); // nanoseconds
    if (n >= 1e14) return Math.floor(n / 1000); // microseconds
    if (n >= 1e11) return Math.floor(n); // milliseconds
    return Math.round(n * 1000); // seconds
  }
  // Date.UTC maps years 0-99 to 1900-1999: such years are refused before parsing.
  const year = /^(\d{4})-/.exec(s);
  if (year && Number(year[1]) < 1900) return FIRST_CANDLE_TIME - 1;
  return parseIsoTime(s);
}

const num = (s: string | undefined): number => (s !== undefined && NUMBER.test(s) ? Number(s) : NaN);

interface Columns {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  adj: number;
}

export class CandleRowChecker {
  layout: CsvLayout | null = null;
  /** Data rows seen (header excluded). */
  rows = 0;
  rounded = 0;
  errorCount = 0;
  /** The first errors (at most 100 kept). */
  readonly errors: RowError[] = [];
  private cols: Columns = { t: 0, o: 1, h: 2, l: 3, c: 4, v: 5, adj: -1 };
  private prevTime = -Infinity;
  private readonly step: number;

  constructor(private readonly opts: RowCheckOptions) {
    this.step = opts.tick;
  }

  private fail(line: number, message: string): false {
    this.errorCount++;
    if (this.errors.length < MAX_KEPT_ERRORS) this.errors.push({ line, message });
    return false;
  }

  /** Decide the layout from the first record; true when it was a header (not data). */
  private detect(record: readonly string[], line: number): boolean {
    const first = record[0] ?? '';
    if (record.length >= 11 && /^\d{12,17}$/.test(first)) {
      this.layout = 'binance';
      return false;
    }
    if (record.length >= 5 && parseCandleTime(first) !== null && record.slice(1, 5).every((x) => NUMBER.test(x))) {
      this.layout = 'headerless';
      return false;
    }
    const header = record.map((h) => h.toLowerCase().replace(/[^a-z_]/g, ''));
    const find = (names: readonly string[]) => header.findIndex((h) => names.includes(h));
    const cols: Columns = {
      t: find(TIME_NAMES),
      o: find(['open', 'o']),
      h: find(['high', 'h']),
      l: find(['low', 'l']),
      c: find(['close', 'c', 'last', 'price']),
      v: find(['volume', 'vol', 'v']),
      adj: find(['adjclose', 'adj_close', 'adjusted_close']),
    };
    let layout: CsvLayout = cols.adj >= 0 ? 'yahoo' : 'generic';
    if (cols.t < 0 && first.trim() === '') {
      cols.t = 0;
      layout = 'pandas';
    }
    const missing = Object.entries({ time: cols.t, open: cols.o, high: cols.h, low: cols.l, close: cols.c })
      .filter(([, i]) => i < 0)
      .map(([k]) => k);
    if (missing.length) {
      const found = record
        .slice(0, 12)
        .map((x) => JSON.stringify(x.slice(0, 20)))
        .join(', ');
      const expected = 'expected date/time, open, high, low, close[, volume], a pandas or Yahoo export, or a Binance kline dump';
      throw new LayoutError(line, `no ${missing.join(', ')} column in the header (found: ${found}); ${expected}`);
    }
    if (this.opts.adjusted && cols.adj < 0)
      throw new LayoutError(line, '--adjusted needs an "Adj Close" column (Yahoo layout); the header has none');
    this.cols = cols;
    this.layout = layout;
    return true;
  }

  /** Round a price to the tick; NaN when below one tick. */
  private snap(x: number): number {
    const units = Math.round(x * PRICE_SCALE);
    const r = Math.round(units / this.step) * this.step;
    if (r !== units) this.rounded++;
    return r < this.step ? NaN : r / PRICE_SCALE;
  }

  /**
   * Check one record; write it at `out[k]` when valid. Returns true when a candle was written,
   * false for the header or an invalid row (recorded in `errors`).
   */
  accept(record: readonly string[], line: number, out: RowSink, k: number): boolean {
    if (this.layout === null && this.detect(record, line)) return false;
    this.rows++;
    const { cols, opts } = this;
    const get = (i: number): string | undefined => (i >= 0 ? record[i] : undefined);
    const timeText = get(cols.t) ?? '';
    const t = parseCandleTime(timeText);
    if (t === null) return this.fail(line, `"${timeText.slice(0, 40)}" is not a date or time`);
    if (!(t >= FIRST_CANDLE_TIME && t < END_CANDLE_TIME))
      return this.fail(line, `"${timeText.slice(0, 40)}" is outside the years 1900-2199`);
    if (bucketStart(t, opts.timeframe) !== t) return this.fail(line, `${toIso(t)} is not on the ${opts.timeframe} grid`);
    if (t <= this.prevTime) return this.fail(line, `${toIso(t)} is not after the previous row (${toIso(this.prevTime)})`);
    const texts = [cols.o, cols.h, cols.l, cols.c].map((i) => get(i) ?? '');
    let nums = texts.map(num);
    if (nums.some((x) => !Number.isFinite(x) || x <= 0)) {
      return this.fail(
        line,
        `open, high, low and close must be positive decimal numbers (got ${texts.map((x) => x.slice(0, 20)).join(', ')})`,
      );
    }
    if (opts.adjusted) {
      const adj = num(get(cols.adj));
      if (!Number.isFinite(adj) || adj <= 0)
        return this.fail(line, `Adj Close must be a positive number (got "${(get(cols.adj) ?? '').slice(0, 20)}")`);
      const f = adj / (nums[3] as number);
      nums = nums.map((x) => x * f);
    }
    const big = nums.find((x) => x > opts.maxPrice);
    if (big !== undefined)
      return this.fail(line, `price ${big} is above the largest this instrument can carry (${Math.floor(opts.maxPrice)})`);
    const volText = get(cols.v);
    const vol = volText === undefined || volText === '' ? 0 : num(volText);
    if (!Number.isFinite(vol) || vol < 0)
      return this.fail(line, `volume must be a decimal number >= 0 (got "${(volText ?? '').slice(0, 20)}")`);
    const snapped = nums.map((x) => this.snap(x));
    const small = snapped.findIndex((x) => Number.isNaN(x));
    if (small >= 0) return this.fail(line, `price ${nums[small]} is below the tick size ${this.step / PRICE_SCALE}`);
    const [o, h, l, c] = snapped as [number, number, number, number];
    if (l > Math.min(o, c) || h < Math.max(o, c) || l > h)
      return this.fail(line, `inconsistent candle: low ${l} / high ${h} do not contain open ${o} and close ${c}`);
    this.prevTime = t;
    out.time[k] = t;
    out.open[k] = o;
    out.high[k] = h;
    out.low[k] = l;
    out.close[k] = c;
    out.volume[k] = vol;
    return true;
  }
}

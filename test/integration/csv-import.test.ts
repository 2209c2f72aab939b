/**
 * `import candles` on a temp database: malformed files never crash and never write (one
 * clear line with the line number, a usage error = exit 2), the common real-world layouts import
 * as they are, and imported rows are never mixed silently with stored ones.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCandles, type ImportOptions } from '../../src/app/import.ts';
import { TunicoinError } from '../../src/core/errors.ts';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { parseQty, priceFromFloat } from '../../src/core/money.ts';
import type { SqliteStore as Store } from '../../src/store/db.ts';
import { insertInstrument } from '../../src/store/instruments.ts';
import { tempStore } from '../helpers/store.ts';

let store: Store;
let dir: string;
let cleanup: () => void;
let n = 0;

const spec = (symbol: string, over: Partial<(typeof SEED_INSTRUMENTS)[number]> = {}) => ({
  ...(SEED_INSTRUMENTS[0] as (typeof SEED_INSTRUMENTS)[number]),
  symbol,
  name: symbol,
  tickSize: priceFromFloat(0.01),
  contractSize: parseQty('1'),
  minSize: parseQty('0.01'),
  maxSize: parseQty('1000'),
  ...over,
});

function file(content: string | Buffer, ext = '.csv'): string {
  const p = join(dir, `f${n++}${ext}`);
  writeFileSync(p, content);
  return p;
}

const count = (symbol: string): number =>
  (
    store.sqlite
      .prepare('SELECT COUNT(*) AS n FROM candles c JOIN instruments i ON i.id = c.instrument_id WHERE i.symbol = ?')
      .get(symbol) as { n: number }
  ).n;
const rows = (symbol: string) =>
  store.sqlite
    .prepare(
      'SELECT timestamp, open, high, low, close, volume FROM candles c JOIN instruments i ON i.id = c.instrument_id WHERE i.symbol = ? ORDER BY timestamp',
    )
    .all(symbol) as Array<{ timestamp: number; open: number; high: number; low: number; close: number; volume: number }>;
const run = (f: string, over: Partial<ImportOptions> = {}) =>
  importCandles(store, { file: f, symbol: 'REAL', timeframe: '1d', mode: 'refuse', skipInvalid: false, adjusted: false, ...over });

async function refused(p: Promise<unknown>): Promise<TunicoinError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TunicoinError) return e;
    throw e;
  }
  throw new Error('the import was accepted');
}

beforeAll(async () => {
  const t = await tempStore();
  store = t.store;
  cleanup = t.cleanup;
  dir = t.path.replace(/\/[^/]+$/, '');
  store.tx(() => {
    insertInstrument(store, spec('REAL'), '2026-01-01T00:00:00.000Z');
    insertInstrument(
      store,
      spec('EUR', { contractSize: parseQty('100000'), tickSize: priceFromFloat(0.00001) }),
      '2026-01-01T00:00:00.000Z',
    );
    insertInstrument(store, spec('MINUTES'), '2026-01-01T00:00:00.000Z');
    insertInstrument(store, spec('SYN'), '2026-01-01T00:00:00.000Z', 'synthetic');
  });
});
afterAll(() => cleanup());

const HEADER = 'date,open,high,low,close,volume\n';
const OK = '2020-01-02,10,11,9,10.5,100\n';

describe('malformed CSVs: one line with the line number, exit 2, nothing written', () => {
  const cases: Array<[name: string, content: () => string | Buffer, message: RegExp, symbol?: string, tf?: ImportOptions['timeframe']]> = [
    [
      'an unbalanced quote',
      () => `${HEADER}${OK}"2020-01-03,10,11,9,10.5,100\n2020-01-06,1,2,0.5,1,1\n`,
      /line \d+: not a readable CSV: Quote Not Closed/,
    ],
    ['random bytes', () => randomBytes(4096), /(line 1: binary data, not a CSV file|line \d+:)/],
    ['printable garbage', () => 'x9#@!,,;;\n\u00e9\u00e8 zz\n', /line 1: no time, open, high, low, close column/],
    ['a stray quote', () => 'x9#@!,,;;"\n\u00e9\u00e8 zz\n', /line 1: not a readable CSV: Invalid Opening Quote/],
    [
      'a timestamp of 9e18',
      () => `${HEADER}${OK}9000000000000000000,10,11,9,10.5,100\n`,
      /line 3: "9000000000000000000" is outside the years 1900-2199/,
    ],
    [
      'a price below the tick',
      () => `${HEADER}${OK}2020-01-03,0.001,0.001,0.001,0.001,1\n`,
      /line 3: price 0.001 is below the tick size 0.01/,
    ],
    [
      'a price of 1e12',
      () => `${HEADER}2020-01-02,1e12,1e12,1e12,1e12,1\n`,
      /line 2: price 1000000000000 is above the largest this instrument can carry \(90071992\)/,
    ],
    ['a price of 1e300', () => `${HEADER}2020-01-02,1,1e300,1,1,1\n`, /line 2: price 1e\+300 is above the largest/],
    [
      'a price that overflows the notional of one contract',
      () => `${HEADER}2020-01-02,100000,100000,100000,100000,1\n`,
      /price 100000 is above the largest this instrument can carry \(90071\)/,
      'EUR',
    ],
    [
      'a hex number',
      () => `${HEADER}2020-01-02,0x10,20,5,10,1\n`,
      /line 2: open, high, low and close must be positive decimal numbers \(got 0x10, 20, 5, 10\)/,
    ],
    ['Infinity', () => `${HEADER}2020-01-02,Infinity,20,5,10,1\n`, /must be positive decimal numbers/],
    ['a hex volume', () => `${HEADER}2020-01-02,10,20,5,10,0x1\n`, /line 2: volume must be a decimal number >= 0/],
    ['year 0050', () => `${HEADER}0050-01-02,10,11,9,10.5,1\n`, /line 2: "0050-01-02" is outside the years 1900-2199/],
    ['year 0000', () => `${HEADER}0000-01-03,10,11,9,10.5,1\n`, /outside the years 1900-2199/],
    ['a header only', () => HEADER, /no data rows after the header; nothing imported/],
    ['an empty file', () => '', /no data rows; nothing imported/],
    [
      'rows out of order',
      () => `${HEADER}2020-01-03,10,11,9,10.5,1\n${OK}`,
      /line 3: 2020-01-02T00:00:00.000Z is not after the previous row/,
    ],
    ['a time off the grid', () => `${HEADER}2020-01-02T12:00,10,11,9,10.5,1\n`, /line 2: 2020-01-02T12:00:00.000Z is not on the 1d grid/],
    ['an inconsistent candle', () => `${HEADER}2020-01-02,10,9,11,10,1\n`, /line 2: inconsistent candle/],
    [
      'a gzip file that is corrupt',
      () => Buffer.concat([gzipSync(HEADER + OK).subarray(0, 12), Buffer.from('garbage')]),
      /gzip data is corrupt|line \d+/,
    ],
  ];
  it.each(cases)('%s', async (_name, content, message, symbol = 'REAL', tf = '1d') => {
    const before = count(symbol);
    const e = await refused(run(file(content()), { symbol, timeframe: tf }));
    expect(e.kind).toBe('usage');
    expect(e.message).toMatch(message);
    expect(e.message).not.toContain('\n');
    expect(count(symbol)).toBe(before);
  });

  it('1d rows into an instrument whose 1m rows would shadow them: refused, exit 4', async () => {
    await run(file('time,open,high,low,close\n2020-01-02T00:00,1,1,1,1\n2020-01-02T00:01,1,1,1,1\n'), {
      symbol: 'MINUTES',
      timeframe: '1m',
    });
    const e = await refused(run(file(HEADER + OK), { symbol: 'MINUTES' }));
    expect(e.kind).toBe('conflict');
    expect(e.message).toMatch(/MINUTES holds 1m candles; 1d rows would be mixed with them/);
    expect(count('MINUTES')).toBe(2);
  });

  it('--skip-invalid imports the valid rows and reports the others', async () => {
    const r = await run(file(`${HEADER}2021-01-04,10,11,9,10.5,1\n2021-01-05,0x1,1,1,1,1\n2021-01-06,10,11,9,10.5,1\n`), {
      skipInvalid: true,
    });
    expect(r.imported).toBe(2);
    expect(r.skipped).toBe(1);
    expect(r.skippedRows[0]).toEqual({ line: 3, message: expect.stringContaining('positive decimal numbers') });
    store.sqlite.exec("DELETE FROM candles WHERE instrument_id = (SELECT id FROM instruments WHERE symbol = 'REAL')");
  });
});

describe('real-world layouts', () => {
  const expectDays = (symbol: string, closes: number[], first = Date.UTC(2020, 0, 2)) => {
    const got = rows(symbol);
    expect(got.map((r) => r.close)).toEqual(closes);
    expect(got[0]?.timestamp).toBe(first);
  };
  const reset = (symbol: string) =>
    store.sqlite.prepare('DELETE FROM candles WHERE instrument_id = (SELECT id FROM instruments WHERE symbol = ?)').run(symbol);

  it.each([
    [
      'pandas DataFrame.to_csv() (empty first header cell)',
      ',Open,High,Low,Close,Volume\n2020-01-02,10,11,9,10.5,100\n2020-01-03,10.5,12,10,11,50\n',
      'pandas',
    ],
    [
      'Yahoo Date,Open,High,Low,Close,Adj Close,Volume',
      'Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,10,11,9,10.5,5.25,100\n2020-01-03,10.5,12,10,11,5.5,50\n',
      'yahoo',
    ],
    ['epoch seconds', 'timestamp,open,high,low,close\n1577923200,10,11,9,10.5\n1578009600,10.5,12,10,11\n', 'generic'],
    ['epoch milliseconds', 'timestamp,open,high,low,close\n1577923200000,10,11,9,10.5\n1578009600000,10.5,12,10,11\n', 'generic'],
    ['epoch microseconds', 'timestamp,open,high,low,close\n1577923200000000,10,11,9,10.5\n1578009600000000,10.5,12,10,11\n', 'generic'],
    [
      'ISO times with offsets',
      'datetime,open,high,low,close\n2020-01-02T01:00:00+01:00,10,11,9,10.5\n2020-01-02T19:00:00-05:00,10.5,12,10,11\n',
      'generic',
    ],
    ['; delimiter', 'Date;Open;High;Low;Close;Volume\n2020-01-02;10;11;9;10.5;100\n2020-01-03;10.5;12;10;11;50\n', 'generic'],
    [
      'tab delimiter',
      'Date\tOpen\tHigh\tLow\tClose\tVolume\n2020-01-02\t10\t11\t9\t10.5\t100\n2020-01-03\t10.5\t12\t10\t11\t50\n',
      'generic',
    ],
    ['a UTF-8 BOM', '\uFEFFdate,open,high,low,close\n2020-01-02,10,11,9,10.5\n2020-01-03,10.5,12,10,11\n', 'generic'],
    ['no header', '2020-01-02,10,11,9,10.5,100\n2020-01-03,10.5,12,10,11,50\n', 'headerless'],
    ['CRLF line ends', 'date,open,high,low,close\r\n2020-01-02,10,11,9,10.5\r\n2020-01-03,10.5,12,10,11\r\n', 'generic'],
  ])('%s', async (_name, content, layout) => {
    reset('REAL');
    const r = await run(file(content));
    expect(r.layout).toBe(layout);
    expect(r.imported).toBe(2);
    expectDays('REAL', [10.5, 11]);
  });

  it('a gzip file (.csv.gz)', async () => {
    reset('REAL');
    const r = await run(file(gzipSync(`${HEADER}2020-01-02,10,11,9,10.5,100\n2020-01-03,10.5,12,10,11,50\n`), '.csv.gz'));
    expect(r.gzip).toBe(true);
    expectDays('REAL', [10.5, 11]);
  });

  it('--adjusted scales OHLC by Adj Close / Close', async () => {
    reset('REAL');
    await run(file('Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,10,11,9,10.5,5.25,100\n'), { adjusted: true });
    expect(rows('REAL')[0]).toMatchObject({ open: 5, high: 5.5, low: 4.5, close: 5.25, volume: 100 });
    const e = await refused(run(file(HEADER + OK), { adjusted: true }));
    expect(e.message).toMatch(/--adjusted needs an "Adj Close" column/);
  });

  it('a Binance kline dump (the fixture)', async () => {
    const r = await run(join(import.meta.dirname, '..', '..', 'fixtures', 'binance-klines-sample.csv'), {
      symbol: 'MINUTES',
      timeframe: '1m',
      mode: 'merge',
    });
    expect(r.layout).toBe('binance');
    expect(r.imported).toBe(4);
  });
});

describe('imports never mix silently', () => {
  const csv = (days: Array<[string, number]>) => HEADER + days.map(([d, c]) => `${d},${c},${c},${c},${c},1\n`).join('');
  beforeAll(() => {
    store.sqlite.exec("DELETE FROM candles WHERE instrument_id = (SELECT id FROM instruments WHERE symbol = 'REAL')");
  });

  it('an overlapping range is refused; a following one is appended', async () => {
    await run(
      file(
        csv([
          ['2020-01-02', 1],
          ['2020-01-03', 2],
          ['2020-01-06', 3],
        ]),
      ),
    );
    let e = await refused(
      run(
        file(
          csv([
            ['2020-01-06', 30],
            ['2020-01-07', 4],
          ]),
        ),
      ),
    );
    expect(e.kind).toBe('conflict');
    expect(e.message).toMatch(
      /REAL already has 1d candles from 2020-01-02T00:00:00.000Z to 2020-01-06T00:00:00.000Z; the file overlaps them \(line 2/,
    );
    e = await refused(
      run(
        file(
          csv([
            ['2019-12-31', 30],
            ['2020-01-08', 4],
          ]),
        ),
      ),
    ); // spans the stored range
    expect(e.kind).toBe('conflict');
    await run(file(csv([['2020-01-07', 4]])));
    expect(rows('REAL').map((r) => r.close)).toEqual([1, 2, 3, 4]);
  });

  it('--merge adds only new timestamps; --replace replaces the file range in one go', async () => {
    const m = await run(
      file(
        csv([
          ['2020-01-06', 30],
          ['2020-01-08', 5],
        ]),
      ),
      { mode: 'merge' },
    );
    expect(m).toMatchObject({ imported: 1, alreadyStored: 1 });
    expect(rows('REAL').map((r) => r.close)).toEqual([1, 2, 3, 4, 5]);
    const r = await run(
      file(
        csv([
          ['2020-01-03', 20],
          ['2020-01-07', 40],
        ]),
      ),
      { mode: 'replace' },
    );
    expect(r).toMatchObject({ imported: 2, replaced: 3 }); // 01-03, 01-06, 01-07 were stored in that range
    expect(rows('REAL').map((x) => x.close)).toEqual([1, 20, 40, 5]);
  });

  it('a synthetic instrument refuses an import unless --merge/--replace', async () => {
    const e = await refused(run(file(HEADER + OK), { symbol: 'SYN' }));
    expect(e.kind).toBe('conflict');
    expect(e.message).toMatch(/SYN is a synthetic instrument; real rows would be mixed with generated ones, nothing imported/);
    expect(count('SYN')).toBe(0);
    await run(file(HEADER + OK), { symbol: 'SYN', mode: 'merge' });
    expect(count('SYN')).toBe(1);
  });
});

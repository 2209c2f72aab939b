/**
 * End-to-end: real market data as a world of its own (issue 10). Imported history is never
 * synthesized, stale prices are said, windows end at the data, and a database of imported
 * instruments replays its history with `clock set` + `market advance`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { json, ROOT, runCli, tempDir } from '../helpers/cli.ts';

const SPX = join(ROOT, 'fixtures', 'sp500-daily-2015-2020.csv');
const KLINES = join(ROOT, 'fixtures', 'binance-klines-sample.csv');
let t: ReturnType<typeof tempDir>;

beforeAll(() => {
  t = tempDir();
});
afterAll(() => t.cleanup());

const count = (db: string, sql: string): number => {
  const s = new BetterSqlite3(db, { readonly: true });
  try {
    return (s.prepare(sql).get() as { n: number }).n;
  } finally {
    s.close();
  }
};

describe('market replay of the S&P 500 fixture', () => {
  let db: string;
  beforeAll(async () => {
    db = join(t.dir, 'replay.db');
    expect((await runCli(['instruments', 'add', 'SPX500', '--type', 'cfd', '--tick', '0.01'], { db })).code).toBe(0);
    expect((await runCli(['import', 'candles', SPX, '--symbol', 'SPX500', '--timeframe', '1d'], { db })).code).toBe(0);
  });

  it('old history is visible without --from: candles, indicators, chart, instruments', async () => {
    const c = json<{ candles: Array<{ time: string; close: string }> }>(
      await runCli(['candles', 'SPX500', '--timeframe', '1d', '--limit', '3', '--json'], { db }),
    );
    expect(c.candles.map((x) => x.time.slice(0, 10))).toEqual(['2020-04-15', '2020-04-16', '2020-04-17']);
    const w = json<{ candles: Array<{ time: string }> }>(
      await runCli(['candles', 'SPX500', '--timeframe', '1w', '--from', '2020-03-01', '--to', '2020-03-31', '--json'], { db }),
    );
    expect(w.candles.map((x) => x.time.slice(0, 10))).toEqual([
      '2020-02-24',
      '2020-03-02',
      '2020-03-09',
      '2020-03-16',
      '2020-03-23',
      '2020-03-30',
    ]);
    const ind = json<{ rows: Array<{ time: string; ema_12: number | null }> }>(
      await runCli(['indicators', 'SPX500', '--timeframe', '1d', '--last', '2', '--json'], { db }),
    );
    expect(ind.rows.map((r) => r.time.slice(0, 10))).toEqual(['2020-04-16', '2020-04-17']);
    expect(ind.rows[1]!.ema_12).toBeGreaterThan(2000);
    const ch = await runCli(['chart', 'SPX500', '--timeframe', '1d', '--last', '10', '--height', '4'], { db });
    expect(ch.code, ch.stderr).toBe(0);
    expect(ch.stdout).toMatch(/^SPX500 1d {2}2020-04-03T00:00:00.000Z \.\. 2020-04-17T23:59:00.000Z {2}last 2874.56/);
    expect(json<Array<{ symbol: string; origin: string }>>(await runCli(['instruments', '--json'], { db }))).toEqual([
      expect.objectContaining({ symbol: 'SPX500', origin: 'imported' }),
    ]);
  });

  it('clock set, trade, advance over the real candles, stop at the end of the data', async () => {
    expect((await runCli(['market', 'advance', '1d'], { db })).stderr).toMatch(/no clock yet.*clock set ISO/);
    const set = await runCli(['clock', 'set', '2020-02-03T23:59'], { db });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe('clock (none) -> 2020-02-03T23:59:00.000Z\n');
    expect((await runCli(['account', 'create', 'Replay', '--balance', '100000'], { db })).code).toBe(0);
    const q = json<{ mid: string; stale: boolean; priceTime: string }>(await runCli(['quote', 'SPX500', '--json'], { db }));
    expect(q).toMatchObject({ mid: '3248.92', stale: false, priceTime: '2020-02-03T00:00:00.000Z' });
    const buy = await runCli(['order', 'buy', 'SPX500', '10', '--sl', '3000', '--yes', '--json'], { db });
    expect(buy.code, buy.stderr).toBe(0);
    // 2020-02-03 .. 03-04: the crash of late February hits the stop-loss at a real close
    const a1 = json<{
      to: string;
      bars: number;
      generatedCandles: number;
      stopped: string | null;
      fills: Array<{ source: string; time: string }>;
    }>(await runCli(['market', 'advance', '30d', '--json'], { db }));
    expect(a1).toMatchObject({ to: '2020-03-04T23:59:00.000Z', bars: 21, generatedCandles: 0, stopped: null });
    expect(a1.fills).toEqual([expect.objectContaining({ source: 'stop_loss', time: '2020-02-27T23:59:00.000Z' })]);
    const a2 = await runCli(['market', 'advance', '60d'], { db });
    expect(a2.code, a2.stderr).toBe(0);
    expect(a2.stdout).toContain(
      'clock 2020-03-04T23:59:00.000Z -> 2020-04-17T23:59:00.000Z (31 bars)\nSPX500 has no data after 2020-04-17; the clock stopped there',
    );
    const a3 = await runCli(['market', 'advance', '1d'], { db });
    expect(a3.code).toBe(4);
    expect(a3.stderr).toMatch(/^error: SPX500 has no data after 2020-04-17; the clock stopped there \(pass --extend synthetic/);
    expect((await runCli(['ledger', 'verify'], { db })).code).toBe(0);
  });

  it('clock set backwards over activity names what happened; nothing moves', async () => {
    const r = await runCli(['clock', 'set', '2020-01-01'], { db });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /cannot set the clock to 2020-01-01T00:00:00.000Z: 2 order\(s\), 2 fill\(s\), 4 ledger journal\(s\) happened after it \(the first at 2020-02-03T23:59:00.000Z\)/,
    );
    expect(json<{ clock: string }>(await runCli(['clock', '--json'], { db })).clock).toBe('2020-04-17T23:59:00.000Z');
  });

  it('--extend synthetic continues the replay past the data, and says so', async () => {
    const r = json<{ to: string; generatedCandles: number }>(
      await runCli(['market', 'advance', '3d', '--extend', 'synthetic', '--json'], { db }),
    );
    expect(r).toMatchObject({ to: '2020-04-20T23:59:00.000Z', generatedCandles: 3 });
    expect(json<Array<{ syntheticFrom: string }>>(await runCli(['instruments', '--json'], { db }))[0]!.syntheticFrom).toBe(
      '2020-04-18T00:00:00.000Z',
    );
    expect((await runCli(['market', 'advance', '1d', '--extend', 'sideways'], { db })).code).toBe(2);
  });

  it('refused clean-ups and clock moves write nothing and say why in one line', async () => {
    expect((await runCli(['order', 'buy', 'SPX500', '1', '--yes'], { db })).code).toBe(0);
    const before = count(db, 'SELECT COUNT(*) AS n FROM candles');
    const cases: Array<[string[], number, RegExp]> = [
      [
        ['candles', 'delete', 'SPX500'],
        4,
        /SPX500 has 1 open position\(s\) and 0 working order\(s\) that need its prices; nothing deleted/,
      ],
      [['instruments', 'remove', 'SPX500', '--force', '--yes'], 4, /SPX500 has 1 open position\(s\); nothing removed \(close them first/],
      [['candles', 'delete', 'SPX500', '--from', '2020-02-01', '--to', '2020-01-01'], 2, /--from 2020-02-01T00:00:00.000Z is after --to/],
      [['clock', 'set', 'soon'], 2, /is not an ISO-8601 date or time/],
      [['clock', 'set', '2020-04-01'], 4, /clock set replays imported history; SPX500 continues synthetically from 2020-04-18/],
    ];
    for (const [args, code, message] of cases) {
      const r = await runCli(args, { db });
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(count(db, 'SELECT COUNT(*) AS n FROM candles')).toBe(before);
    const empty = await runCli(['clock', 'set', '2020-01-01'], { db: join(t.dir, 'empty.db') });
    expect(empty.code).toBe(4);
    expect(empty.stderr).toMatch(/there is no imported history to replay/);
  });
});

describe('imported instruments in the seeded synthetic world', () => {
  let db: string;
  beforeAll(async () => {
    db = join(t.dir, 'mixed.db');
    expect((await runCli(['seed', '--days', '1', '--end', '2026-01-01T00:00:00Z', '--instruments', 'BTC-USD,EURUSD'], { db })).code).toBe(
      0,
    );
    expect((await runCli(['instruments', 'add', 'BTCUSDT', '--type', 'crypto', '--min-size', '0.0001'], { db })).code).toBe(0);
    expect((await runCli(['import', 'candles', KLINES, '--symbol', 'BTCUSDT'], { db })).code).toBe(0);
  });

  it('a 1m import is never synthesized: advance extends only the synthetic instruments', async () => {
    const r = json<{ generatedCandles: number }>(await runCli(['market', 'advance', '1d', '--json'], { db }));
    expect(r.generatedCandles).toBe(2 * 1440);
    expect(count(db, "SELECT COUNT(*) AS n FROM candles c JOIN instruments i ON i.id = c.instrument_id WHERE i.symbol = 'BTCUSDT'")).toBe(
      4,
    );
  });

  it('a stale price is said by quote and refuses an order with the same words', async () => {
    const q = json<{ stale: boolean; staleReason: string }>(await runCli(['quote', 'BTCUSDT', '--json'], { db }));
    expect(q).toMatchObject({ stale: true, staleReason: 'last price 2025-01-01 00:03, 365 days before the clock' });
    expect((await runCli(['quote', 'BTCUSDT'], { db })).stdout).toMatch(/stale: last price 2025-01-01 00:03, 365 days before the clock/);
    const o = await runCli(['order', 'buy', 'BTCUSDT', '0.01', '--yes'], { db });
    expect(o.code).toBe(5);
    expect(o.stderr).toMatch(/rejected: BTCUSDT: last price 2025-01-01 00:03, 365 days before the clock/);
    expect(json<{ stale: boolean }>(await runCli(['quote', 'BTC-USD', '--json'], { db })).stale).toBe(false);
  });

  it('importing into a synthetic instrument and clock set are refused; nothing written', async () => {
    const before = count(db, 'SELECT COUNT(*) AS n FROM candles');
    const r = await runCli(['import', 'candles', KLINES, '--symbol', 'BTC-USD'], { db });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/BTC-USD is a synthetic instrument/);
    expect((await runCli(['import', 'candles', KLINES, '--symbol', 'BTC-USD', '--merge', '--replace'], { db })).code).toBe(2);
    const c = await runCli(['clock', 'set', '2025-01-01'], { db });
    expect(c.code).toBe(4);
    expect(c.stderr).toMatch(/clock set replays imported history; BTC-USD, EURUSD are synthetic/);
    expect(count(db, 'SELECT COUNT(*) AS n FROM candles')).toBe(before);
  });

  it('candles delete and instruments remove clean up', async () => {
    expect((await runCli(['candles', 'delete', 'BTC-USD', '--from', '2026-01-01'], { db })).code).toBe(4); // a hole in synthetic history
    const refused = await runCli(['candles', 'delete', 'BTCUSDT', '--from', '2025-01-01T00:02'], { db }); // off a terminal: --yes or nothing
    expect(refused).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/would delete 2 candle\(s\): not confirmed, nothing changed \(pass --yes to confirm\)/),
    });
    const d = json<{ deleted: number }>(
      await runCli(['candles', 'delete', 'BTCUSDT', '--from', '2025-01-01T00:02', '--json', '--yes'], { db }),
    );
    expect(d.deleted).toBe(2);
    expect((await runCli(['candles', 'delete', 'BTCUSDT', '--from', '2025-01-01T00:02', '--yes'], { db })).code).toBe(4); // nothing left there
    // the rejected order refers to it: kept as inactive, candles gone
    const r = json<{ removed: boolean; retired: boolean; candles: number }>(
      await runCli(['instruments', 'remove', 'BTCUSDT', '--json', '--yes'], { db }),
    );
    expect(r).toMatchObject({ removed: false, retired: true, candles: 2 });
    expect((await runCli(['instruments', 'add', 'SOL-USD', '--type', 'crypto'], { db })).code).toBe(0);
    expect((await runCli(['bot', 'create', 'sol', '--strategy', 'ema_crossover', '--symbol', 'SOL-USD'], { db })).code).toBe(0);
    const blocked = await runCli(['instruments', 'remove', 'SOL-USD'], { db });
    expect(blocked.code).toBe(4);
    expect(blocked.stderr).toMatch(/SOL-USD is used by 1 bot\(s\); nothing removed/);
    expect(
      json<{ removed: boolean; bots: number }>(await runCli(['instruments', 'remove', 'SOL-USD', '--force', '--yes', '--json'], { db })),
    ).toMatchObject({ removed: true, bots: 1 });
    expect((await runCli(['quote', 'SOL-USD'], { db })).code).toBe(3);
  });
});

describe('indicators compute over the history they need', () => {
  it('sma:600 --last 1 with 721 hourly candles stored', async () => {
    const db = join(t.dir, 'hourly.db');
    const start = Date.UTC(2024, 0, 1);
    const closes = Array.from({ length: 721 }, (_, i) => 100 + (i % 50));
    const csv = `timestamp,open,high,low,close\n${closes.map((c, i) => `${(start + i * 3_600_000) / 1000},${c},${c},${c},${c}`).join('\n')}\n`;
    writeFileSync(join(t.dir, 'hourly.csv'), csv);
    expect((await runCli(['instruments', 'add', 'HOURLY'], { db })).code).toBe(0);
    expect((await runCli(['import', 'candles', join(t.dir, 'hourly.csv'), '--symbol', 'HOURLY', '--timeframe', '1h'], { db })).code).toBe(
      0,
    );
    const r = json<{ rows: Array<{ time: string; sma_600: number | null }> }>(
      await runCli(['indicators', 'HOURLY', '--timeframe', '1h', '--ind', 'sma:600', '--last', '1', '--json'], { db }),
    );
    const expected = closes.slice(-600).reduce((a, b) => a + b, 0) / 600;
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]!.sma_600).toBeCloseTo(expected, 8);
    const ranged = json<{ rows: Array<{ time: string; sma_600: number | null }> }>(
      await runCli(
        [
          'indicators',
          'HOURLY',
          '--timeframe',
          '1h',
          '--ind',
          'sma:600',
          '--from',
          '2024-01-30T22:00',
          '--to',
          '2024-01-31T00:00',
          '--json',
        ],
        { db },
      ),
    );
    expect(ranged.rows.map((x) => x.time.slice(11, 16))).toEqual(['22:00', '23:00', '00:00']);
    expect(ranged.rows.every((x) => x.sma_600 !== null)).toBe(true);
  });
});

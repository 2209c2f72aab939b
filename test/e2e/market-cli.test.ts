/** End-to-end: the built CLI on temp databases (issue: foundation, market data, bad input). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { json, runCli, runCliProcess, tempDir } from '../helpers/cli.ts';
import { MIGRATION_NAMES } from '../../migrations/names.ts';

const END = '2026-03-01T12:00:00Z';
let t: ReturnType<typeof tempDir>;
let db: string;

const rows = (path: string, sql: string) => {
  const s = new BetterSqlite3(path, { readonly: true });
  try {
    return (s.prepare(sql).get() as { n: number }).n;
  } finally {
    s.close();
  }
};

beforeAll(async () => {
  t = tempDir();
  db = join(t.dir, 'market.db');
  const r = await runCli(['seed', '--days', '2', '--end', END, '--json'], { db });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});
afterAll(() => t.cleanup());

describe('seed and market data', () => {
  it('seeded 2 days of 1m candles for five instruments, owner-only file', () => {
    expect(rows(db, 'SELECT COUNT(*) AS n FROM candles')).toBe(2 * 1440 * 5);
    expect(statSync(db).mode & 0o777).toBe(0o600);
  });

  it('a second seed says "already seeded" and changes nothing', async () => {
    const before = readFileSync(db);
    const r = await runCli(['seed', '--days', '5'], { db });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/already seeded/);
    expect(rows(db, 'SELECT COUNT(*) AS n FROM candles')).toBe(14_400);
    expect(rows(db, 'SELECT COUNT(*) AS n FROM ledger_entries')).toBe(2);
    expect(readFileSync(db).length).toBe(before.length);
  });

  it('instruments --json lists the five spec instruments', async () => {
    const list = json<Array<{ symbol: string; type: string; tickSize: string }>>(await runCli(['instruments', '--json'], { db }));
    expect(list.map((i) => i.symbol)).toEqual(['BTC-USD', 'ETH-USD', 'BTC-FUT', 'SPX-FUT', 'EURUSD']);
    expect(list.map((i) => i.type)).toEqual(['crypto', 'crypto', 'futures', 'futures', 'forex']);
    const table = await runCli(['instruments'], { db });
    expect(table.stdout).toContain('Bitcoin / US Dollar');
    expect(table.stdout).not.toContain('\x1b['); // NO_COLOR / non-TTY: no escapes
  });

  it('quote: bid < mid < ask at the clock, with the 24h change', async () => {
    const q = json<{ bid: string; ask: string; mid: string; time: string; change24hPct: number }>(
      await runCli(['quote', 'btc-usd', '--json'], { db }),
    );
    expect(Number(q.bid)).toBeLessThan(Number(q.mid));
    expect(Number(q.mid)).toBeLessThan(Number(q.ask));
    expect(q.time).toBe('2026-03-01T12:00:00.000Z');
    expect(typeof q.change24hPct).toBe('number');
    const last = new BetterSqlite3(db, { readonly: true })
      .prepare(
        "SELECT close FROM candles c JOIN instruments i ON i.id = c.instrument_id WHERE i.symbol = 'BTC-USD' ORDER BY timestamp DESC LIMIT 1",
      )
      .get() as { close: number };
    expect(Number(q.mid)).toBe(last.close);
  });

  it('candles: 1h aggregated from 1m, csv and json agree', async () => {
    const j = json<{ candles: Array<{ time: string; open: string; high: string; low: string; close: string; volume: number }> }>(
      await runCli(['candles', 'BTC-USD', '--timeframe', '1h', '--limit', '3', '--json'], { db }),
    );
    expect(j.candles.map((c) => c.time)).toEqual(['2026-03-01T10:00:00.000Z', '2026-03-01T11:00:00.000Z', '2026-03-01T12:00:00.000Z']);
    const s = new BetterSqlite3(db, { readonly: true });
    const agg = s
      .prepare(
        `SELECT MAX(high) AS h, MIN(low) AS l, SUM(volume) AS v FROM candles c JOIN instruments i ON i.id = c.instrument_id
      WHERE i.symbol = 'BTC-USD' AND timestamp >= ? AND timestamp < ?`,
      )
      .get(Date.parse('2026-03-01T10:00:00Z'), Date.parse('2026-03-01T11:00:00Z')) as { h: number; l: number; v: number };
    s.close();
    expect(j.candles[0]!.high).toBe(agg.h.toFixed(2)); // prices in --json are decimal strings at the tick
    expect(j.candles[0]!.low).toBe(agg.l.toFixed(2));
    expect(j.candles[0]!.volume).toBeCloseTo(agg.v, 6);
    const csv = await runCli(['candles', 'BTC-USD', '--timeframe', '1h', '--limit', '3', '--format', 'csv'], { db });
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('time,open,high,low,close,volume');
    expect(lines).toHaveLength(4);
    expect(Number(lines[1]!.split(',')[2])).toBe(agg.h);
  });

  it('candles --from/--to select a range and never pass the clock', async () => {
    const j = json<{ candles: Array<{ time: string }> }>(
      await runCli(['candles', 'EURUSD', '--timeframe', '4h', '--from', '2026-03-01', '--to', '2026-03-09', '--json'], { db }),
    );
    expect(j.candles.map((c) => c.time)).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-03-01T04:00:00.000Z',
      '2026-03-01T08:00:00.000Z',
      '2026-03-01T12:00:00.000Z',
    ]);
  });

  it('chart prints a header and an ascii chart', async () => {
    const r = await runCli(['chart', 'SPX-FUT', '--timeframe', '15m', '--last', '30', '--height', '6'], { db });
    expect(r.code).toBe(0);
    const [header, ...plot] = r.stdout.trimEnd().split('\n');
    // The clock is one minute into its 15m bucket: that last candle is marked partial.
    expect(header).toMatch(
      /^SPX-FUT 15m {2}\S+ \.\. \S+ {2}last \d+\.\d{2} {2}[+-]\d+\.\d{2}% {2}\(last candle partial: open at the clock\)$/,
    );
    expect(header).toContain(`.. ${END.replace('Z', '.000Z')}`);
    expect(plot).toHaveLength(7);
    expect(r.stdout).toMatch(/[┤┼]/);
  });
});

describe('CLI conventions', () => {
  it('--version and --help with examples on every command', async () => {
    // the real binary: the version is set by the build
    expect(runCliProcess(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    for (const cmd of [
      [],
      ['seed'],
      ['instruments'],
      ['candles'],
      ['quote'],
      ['chart'],
      ['db'],
      ['db', 'path'],
      ['db', 'status'],
      ['db', 'migrate'],
      ['db', 'rollback'],
      ['db', 'create'],
    ]) {
      const r = await runCli([...cmd, '--help']);
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.stdout, cmd.join(' ')).toContain('Examples:');
    }
  });

  it('db path follows --db, TUNICOIN_DB, XDG_DATA_HOME, HOME', async () => {
    expect((await runCli(['db', 'path', '--db', '/tmp/x.db'])).stdout.trim()).toBe('/tmp/x.db');
    expect((await runCli(['db', 'path'], { env: { TUNICOIN_DB: '/tmp/y.db' } })).stdout.trim()).toBe('/tmp/y.db');
    expect((await runCli(['db', 'path'], { env: { XDG_DATA_HOME: '/tmp/xdg' } })).stdout.trim()).toBe('/tmp/xdg/tunicoin/tunicoin.db');
    expect((await runCli(['db', 'path'], { env: { HOME: '/tmp/home' } })).stdout.trim()).toBe(
      '/tmp/home/.local/share/tunicoin/tunicoin.db',
    );
  });

  it('db status, rollback --all and migrate', async () => {
    const d = join(t.dir, 'migrate.db');
    expect(await runCli(['db', 'status', '--json'], { db: d })).toMatchObject({ code: 6, stdout: '' }); // read-only: no file is made
    expect(existsSync(d)).toBe(false);
    expect((await runCli(['db', 'migrate'], { db: d })).code).toBe(0);
    expect(json<{ applied: string[] }>(await runCli(['db', 'status', '--json'], { db: d })).applied).toEqual([...MIGRATION_NAMES]);
    expect(await runCli(['db', 'rollback', '--to', '001_initial_schema'], { db: d })).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/pass --yes/),
    });
    expect(json<{ applied: string[] }>(await runCli(['db', 'status', '--json'], { db: d })).applied).toEqual([...MIGRATION_NAMES]); // refused: nothing reverted
    expect(
      json<{ reverted: string[] }>(await runCli(['db', 'rollback', '--to', '001_initial_schema', '--json', '--yes'], { db: d })).reverted,
    ).toEqual(MIGRATION_NAMES.slice(1).reverse());
    expect(json<{ reverted: string[] }>(await runCli(['db', 'rollback', '--all', '--json', '--yes'], { db: d })).reverted).toEqual([
      '001_initial_schema',
    ]);
    expect((await runCli(['db', 'rollback', '--to', 'nope'], { db: d })).code).toBe(3);
    expect((await runCli(['instruments', '--json'], { db: d })).stdout.trim()).toBe('[]'); // auto-migrated on open
  });
});

describe('db create', () => {
  it('writes a numbered migration from the template and registers it', async () => {
    const dir = join(t.dir, 'migs');
    mkdirSync(dir);
    writeFileSync(join(dir, '001_initial_schema.ts'), '// placeholder\n');
    const r = await runCli(['db', 'create', 'Add bot notes!', '--dir', dir, '--json']);
    expect(r.code).toBe(0);
    const file = json<{ file: string }>(r).file;
    expect(file).toBe(join(dir, '002_add_bot_notes.ts'));
    expect(readFileSync(file, 'utf8')).toMatch(/export async function up[\s\S]*export async function down/);
    expect(readFileSync(join(dir, 'index.ts'), 'utf8')).toContain("{ name: '002_add_bot_notes', module: m1 }");
    expect(readFileSync(join(dir, 'names.ts'), 'utf8')).toContain("['001_initial_schema', '002_add_bot_notes']");
    expect((await runCli(['db', 'create', '---', '--dir', dir])).code).toBe(2);
  });
});

describe('bad input: a clear error, a documented exit code, nothing written', () => {
  const fresh = (name: string) => join(t.dir, name);

  it.each([
    [['seed', '--days', '0'], 2, /--days must be between 1 and 3650/],
    [['seed', '--days=-1'], 2, /--days must be a whole number/],
    [['seed', '--days', 'abc'], 2, /--days must be a whole number/],
    [['seed', '--end', 'yesterday'], 2, /--end "yesterday" is not an ISO-8601/],
    [['seed', '--instruments', 'DOGE-USD'], 3, /unknown symbol "DOGE-USD"/],
  ])('%j -> exit %d, no db file', async (args, code, message) => {
    const d = fresh(`bad-${args.join('_').replace(/[^a-z0-9]/gi, '')}.db`);
    const r = await runCli(args, { db: d });
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
    expect(existsSync(d)).toBe(false);
  });

  it('unknown symbol: exit 3 and the known symbols', () => {
    const r = runCliProcess(['quote', 'DOGE-USD'], { db }); // exit codes through the real binary
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/unknown symbol "DOGE-USD".*BTC-USD/);
  });

  it('unknown timeframe: exit 2', () => {
    const r = runCliProcess(['candles', 'BTC-USD', '--timeframe', '2m'], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/2m.*invalid|Allowed choices/i);
  });

  it('--from after --to: exit 2', async () => {
    const r = await runCli(['candles', 'BTC-USD', '--from', '2026-03-01T10:00:00Z', '--to', '2026-03-01T09:00:00Z'], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--from .* is after --to/);
  });

  it('unwritable database directory: exit 6', async () => {
    const file = fresh('a-file');
    writeFileSync(file, 'x');
    const r = await runCli(['instruments'], { db: join(file, 'sub', 't.db') });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/cannot create the database/);
  });

  it('a file that is not SQLite: exit 6, file untouched', async () => {
    const file = fresh('notes.txt');
    writeFileSync(file, 'my notes\n'.repeat(10));
    const r = await runCli(['seed'], { db: file });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/not a tunicoin database/);
    expect(readFileSync(file, 'utf8')).toBe('my notes\n'.repeat(10));
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('a schema newer than the binary: exit 6, untouched', async () => {
    const d = fresh('newer.db');
    expect((await runCli(['db', 'migrate'], { db: d })).code).toBe(0);
    const s = new BetterSqlite3(d);
    s.prepare("INSERT INTO schema_migrations (name, applied_at) VALUES ('900_future', 'x')").run();
    s.close();
    const r = await runCli(['seed', '--days', '1'], { db: d });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/newer than this tunicoin/);
    expect(rows(d, 'SELECT COUNT(*) AS n FROM instruments')).toBe(0);
  });

  it('errors have no stack trace unless --verbose', async () => {
    const r = await runCli(['quote', 'NOPE'], { db });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await runCli(['quote', 'NOPE', '--verbose'], { db })).stderr).toMatch(/\n\s+at /);
  });
});

// Candles at scale, SQLite vs PostgreSQL (issue 16 point 4): for DAYS of 1m candles (default a
// year: 5 instruments x 525,600 = 2.6 M rows) on each database, `seed --days DAYS`, an
// `import candles` of a one-instrument 1m CSV of DAYS, and a backtest over the whole span, each a
// whole process (wall time, rows/s, the client's peak RSS; the server's own memory is not in it),
// and the ratio PG / SQLite (target: within 2x).
//
// Needs a PostgreSQL server, so it runs only when named: `npm run bench -- pg-scale [--json]`, or
// `node bench/pg-scale.bench.mjs`. It starts a throw-away server (scripts/pg-throwaway.mjs:
// fsync off, as SQLite's synchronous = NORMAL does not sync each commit either) and stops it.
// TUNICOIN_BENCH_PG_DAYS=N measures a shorter span (rows/s then shows the rate to extrapolate).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startThrowawayPostgres } from '../scripts/pg-throwaway.mjs';
import { writeCsv } from './import-rows.mjs';
import { BIN, fmt, record, report, timedNode, tmp } from './lib.mjs';

const DAYS = Number(process.env.TUNICOIN_BENCH_PG_DAYS ?? 365);
const END = '2026-01-01T00:00:00Z';
const FROM = new Date(Date.parse(END) - (DAYS - 1) * 86_400_000).toISOString();
const IMPORT_ROWS = DAYS * 1440;

async function createDatabase(serverUrl, name) {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE "${name}"`);
  } finally {
    await c.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** seed, import, backtest on one database (`seedDb`/`importDb`: a file path or a URL). */
function measure(seedDb, importDb, csv) {
  timedNode([BIN, '--db', seedDb, 'db', 'migrate'], { rss: false });
  const seed = timedNode([BIN, '--db', seedDb, 'seed', '--days', String(DAYS), '--end', END, '--json']);
  const rows = JSON.parse(seed.stdout).candles;
  const bt = timedNode([BIN, '--db', seedDb, 'backtest', 'ema_crossover', '--symbol', 'ETH-USD', '--from', FROM, '--json']);
  const trades = JSON.parse(bt.stdout).metrics.trades;
  timedNode(
    [BIN, '--db', importDb, 'instruments', 'add', 'BIG', '--type', 'crypto', '--tick', '0.01', '--min-size', '0.001', '--max-size', '100'],
    { rss: false },
  );
  const imp = timedNode([BIN, '--db', importDb, 'import', 'candles', csv, '--symbol', 'BIG', '--timeframe', '1m', '--json']);
  const imported = JSON.parse(imp.stdout).imported;
  if (imported !== IMPORT_ROWS) throw new Error(`imported ${imported} of ${IMPORT_ROWS}`);
  return { seed, rows, bt, trades, imp };
}

export async function run() {
  const named = process.argv.slice(2).includes('pg-scale') || process.argv[1] === fileURLToPath(import.meta.url);
  if (!named) {
    report('pg-scale: skipped (needs a PostgreSQL server; run it by name: npm run bench -- pg-scale)', []);
    return;
  }
  const t = tmp();
  const server = await startThrowawayPostgres();
  try {
    const csv = join(t.dir, 'big.csv');
    await writeCsv(csv, IMPORT_ROWS);
    // SQLite first, then PostgreSQL (the server idles meanwhile)
    const lite = measure(join(t.dir, 'seed.db'), join(t.dir, 'import.db'), csv);
    const pgUrl = await createDatabase(server.url, 'bench_seed');
    const pgImportUrl = await createDatabase(server.url, 'bench_import');
    const post = measure(pgUrl, pgImportUrl, csv);
    if (post.trades !== lite.trades) throw new Error(`backtest trades differ: PostgreSQL ${post.trades}, SQLite ${lite.trades}`);

    const rate = (n, ms) => `${fmt(n / (ms / 1000), 0)} rows/s`;
    const line = (label, n, a, b) => [
      label,
      `SQLite ${fmt(a.ms / 1000, 1)} s (${n ? `${rate(n, a.ms)}, ` : ''}RSS ${fmt(a.rssMb, 0)} MB) · PostgreSQL ${fmt(b.ms / 1000, 1)} s (${n ? `${rate(n, b.ms)}, ` : ''}RSS ${fmt(b.rssMb, 0)} MB) · PG/SQLite ${fmt(b.ms / a.ms)}`,
      '<= 2',
    ];
    report(`pg-scale: ${DAYS} days of 1m candles, SQLite vs PostgreSQL ${server.version} (whole processes)`, [
      line(`seed --days ${DAYS} (${post.rows.toLocaleString('en-US')} rows)`, post.rows, lite.seed, post.seed),
      line(`import candles, one instrument (${IMPORT_ROWS.toLocaleString('en-US')} rows)`, IMPORT_ROWS, lite.imp, post.imp),
      line(`backtest ema_crossover (1h) over the ${DAYS} days (${post.trades} trades)`, 0, lite.bt, post.bt),
    ]);
    const cases = [
      ['seed', `\`seed --days ${DAYS}\`, 5 instruments (${post.rows.toLocaleString('en-US')} 1m candles)`, 'seed', post.rows],
      ['import', `\`import candles\`, a ${IMPORT_ROWS.toLocaleString('en-US')}-row 1m CSV`, 'imp', IMPORT_ROWS],
      ['backtest', `\`backtest ema_crossover\` (1h) over ${DAYS} days of 1m candles`, 'bt', null],
    ];
    for (const [id, title, key, rows] of cases) {
      const a = lite[key];
      const b = post[key];
      record({
        id: `pg-scale-${id}`,
        title: `${title} on PostgreSQL (whole process)`,
        unit: 'ms',
        samples: [b.ms],
        rssMb: b.rssMb,
        cpu: { samples: [b.cpuMs], reference: a.cpuMs },
        ratio: { value: b.ms / a.ms, reference: `the same on SQLite (${fmt(a.ms, 0)} ms, peak RSS ${fmt(a.rssMb, 0)} MB)` },
        target: 'ratio <= 2',
        extra: {
          days: DAYS,
          ...(rows ? { rows, rowsPerSecond: Math.round(rows / (b.ms / 1000)), sqliteRowsPerSecond: Math.round(rows / (a.ms / 1000)) } : {}),
        },
      });
    }
  } finally {
    await server.stop();
    t.cleanup();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();

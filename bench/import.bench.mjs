// Import: a 2.6-million-row 1m CSV (generated here) streamed into one instrument, rows/s and peak
// RSS, against a bare better-sqlite3 insert of the same rows; then a market replay of that
// history: `clock set` + `market advance 7d` over the imported candles (nothing generated).
import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, fmt, record, report, ROOT, timedNode, tmp } from './lib.mjs';
import { writeCsv } from './import-rows.mjs';

const ROWS = Number(process.env.TUNICOIN_BENCH_IMPORT_ROWS ?? 2_600_000);

export async function run() {
  const t = tmp();
  try {
    const csv = join(t.dir, 'big.csv');
    await writeCsv(csv, ROWS);
    const empty = join(t.dir, 'empty.db');
    timedNode(
      [BIN, '--db', empty, 'instruments', 'add', 'BIG', '--type', 'crypto', '--tick', '0.01', '--min-size', '0.001', '--max-size', '100'],
      { rss: false },
    );
    const db = join(t.dir, 'import.db');
    const base = join(t.dir, 'base.db');
    copyFileSync(empty, db);
    copyFileSync(empty, base);
    const imp = timedNode([BIN, '--db', db, 'import', 'candles', csv, '--symbol', 'BIG', '--timeframe', '1m', '--json']);
    const got = JSON.parse(imp.stdout);
    if (got.imported !== ROWS) throw new Error(`imported ${got.imported} of ${ROWS}`);
    const b = timedNode([join(ROOT, 'bench', 'baseline-import.mjs'), base, String(ROWS)]);
    const baseMs = JSON.parse(b.stdout).insertMs;
    report(`import candles: ${ROWS.toLocaleString('en-US')} 1m rows, ${fmt(statSync(csv).size / 1e6, 0)} MB CSV`, [
      ['tunicoin import wall (whole process)', `${fmt(imp.ms, 0)} ms`],
      ['rows/s', fmt(ROWS / (imp.ms / 1000), 0)],
      ['peak RSS', `${fmt(imp.rssMb, 1)} MB`, '< 300 MB'],
      ['baseline: bare prepared INSERT of the same rows, one tx', `${fmt(baseMs, 0)} ms (${fmt(ROWS / (baseMs / 1000), 0)} rows/s)`],
      ['ratio import / baseline', fmt(imp.ms / baseMs)],
    ]);
    record({
      id: 'import-1m',
      title: `\`import candles\`, a ${ROWS.toLocaleString('en-US')}-row 1m CSV (whole process)`,
      unit: 'ms',
      samples: [imp.ms],
      rssMb: imp.rssMb,
      cpu: { samples: [imp.cpuMs] },
      ratio: { value: imp.ms / baseMs, reference: `bare prepared INSERT of the same rows, one tx (${fmt(baseMs, 0)} ms)` },
      target: 'peak RSS < 300 MB',
    });

    // Market replay over the imported history: 7 days of 1m candles through the engine.
    timedNode([BIN, '--db', db, 'clock', 'set', '2020-01-02T00:00'], { rss: false });
    timedNode([BIN, '--db', db, 'account', 'create', 'Replay', '--balance', '100000'], { rss: false });
    timedNode([BIN, '--db', db, 'order', 'buy', 'BIG', '1', '--sl', '20000', '--yes'], { rss: false });
    const adv = timedNode([BIN, '--db', db, 'market', 'advance', '7d', '--json']);
    const a = JSON.parse(adv.stdout);
    report('market replay: market advance 7d over imported 1m history (one instrument, one position)', [
      ['bars replayed', String(a.bars)],
      ['generated candles', String(a.generatedCandles), '0'],
      ['wall (whole process)', `${fmt(adv.ms, 0)} ms`],
      ['bars/s', fmt(a.bars / (adv.ms / 1000), 0)],
      ['peak RSS', `${fmt(adv.rssMb, 1)} MB`],
    ]);
    record({
      id: 'replay-7d',
      title: '`market advance 7d` over imported 1m history (whole process)',
      unit: 'ms',
      samples: [adv.ms],
      rssMb: adv.rssMb,
      cpu: { samples: [adv.cpuMs] },
      target: '0 candles generated',
      extra: { bars: a.bars, generatedCandles: a.generatedCandles },
    });
  } finally {
    t.cleanup();
  }
}

// Seed of 216,000 candles vs a bare better-sqlite3 insert of the same rows; CLI latency vs node -e 0.
import { copyFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, fileMb, fmt, median, record, report, timedNode, tmp, ROOT } from './lib.mjs';

export function run() {
  const t = tmp();
  try {
    const empty = join(t.dir, 'empty.db');
    timedNode([BIN, '--db', empty, 'db', 'migrate'], { rss: false });
    const seedRuns = [];
    const baseRuns = [];
    let seeded;
    for (let i = 0; i < 3; i++) {
      // interleaved: seed, then the baseline on the rows just written
      const db = join(t.dir, `seed-${i}.db`);
      copyFileSync(empty, db);
      const s = timedNode([BIN, '--db', db, 'seed', '--end', '2026-01-01T00:00:00Z', '--json']);
      seedRuns.push(s);
      seeded = db;
      const target = join(t.dir, `base-${i}.db`);
      copyFileSync(empty, target);
      const b = timedNode([join(ROOT, 'bench', 'baseline-insert.mjs'), db, target]);
      baseRuns.push({ ...b, ...JSON.parse(b.stdout) });
    }
    const rows = baseRuns[0].rows;
    const seedMs = median(seedRuns.map((r) => r.ms));
    const baseMs = median(baseRuns.map((r) => r.insertMs));
    const rss = Math.max(...seedRuns.map((r) => r.rssMb));
    report('seed: 5 instruments x 30 days of 1m candles', [
      ['rows', String(rows)],
      ['tunicoin seed wall (median of 3, whole process)', `${fmt(seedMs, 0)} ms`],
      ['rows/s', fmt(rows / (seedMs / 1000), 0)],
      ['peak RSS', `${fmt(rss, 1)} MB`, '< 250 MB'],
      ['baseline: bare prepared INSERT, one tx (median)', `${fmt(baseMs, 0)} ms`],
      ['ratio seed / baseline', fmt(seedMs / baseMs), '<= 1.5'],
    ]);
    record({
      cpu: { samples: seedRuns.map((r) => r.cpuMs) },
      id: 'seed',
      title: `\`seed\` (${rows.toLocaleString('en-US')} candles, whole process)`,
      unit: 'ms',
      samples: seedRuns.map((r) => r.ms),
      rssMb: rss,
      ratio: { value: seedMs / baseMs, reference: `bare prepared INSERT of the same rows, one tx (median ${fmt(baseMs, 0)} ms)` },
      target: 'ratio <= 1.5',
      extra: { fileMb: Math.round(fileMb(seeded)) },
    });

    // CLI latency, interleaved. The seeds and the baseline above (and the scale bench before
    // this one) leave hundreds of MB of dirty pages: flush them first, so the kernel's write-back
    // is not measured against the first runs (as the trading bench does before its orders).
    execSync('sync');
    const q = [];
    const n = [];
    const qCpu = [];
    const nCpu = [];
    for (let i = 0; i < 15; i++) {
      const a = timedNode(['-e', '0']);
      const b = timedNode([BIN, '--db', seeded, 'quote', 'BTC-USD', '--json']);
      n.push(a.ms);
      q.push(b.ms);
      nCpu.push(a.cpuMs);
      qCpu.push(b.cpuMs);
    }
    report('CLI latency: tunicoin quote BTC-USD --json (15 interleaved runs each)', [
      ['node -e 0 (median)', `${fmt(median(n), 1)} ms`],
      ['tunicoin quote (median)', `${fmt(median(q), 1)} ms`],
      ['ratio', fmt(median(q) / median(n)), '<= 1.4'],
      [
        'CPU time node -e 0 / quote (median)',
        `${fmt(median(nCpu), 1)} ms / ${fmt(median(qCpu), 1)} ms: ratio ${fmt(median(qCpu) / median(nCpu))}`,
      ],
    ]);
    record({
      id: 'cli-quote',
      title: '`quote BTC-USD --json` (whole process)',
      unit: 'ms',
      samples: q,
      ratio: { value: median(q) / median(n), reference: `node -e 0 (median ${fmt(median(n), 1)} ms)` },
      target: 'ratio <= 1.4',
      cpu: { samples: qCpu, reference: median(nCpu) },
    });
  } finally {
    t.cleanup();
  }
}

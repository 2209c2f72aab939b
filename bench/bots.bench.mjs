// Bots: `bot run --for 30d` of one ema_crossover bot on 1h candles, and of five bots at once
// (one per instrument), on a seeded database; the market is extended as it goes (216,000 new
// 1m candles). The floor in the same run: the bare prepared INSERT of the candle rows that run
// wrote (after the seeded end) into the same database as it was before the run
// (baseline-insert.mjs), interleaved.
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, fmt, median, record, report, timedNode, tmp } from './lib.mjs';

const END = '2026-01-01T00:00:00Z';
const RUNS = 3;

export function run() {
  const t = tmp();
  try {
    const seeded = join(t.dir, 'seeded.db');
    timedNode([BIN, '--db', seeded, 'seed', '--end', END], { rss: false });
    const rows = [];
    for (const bots of [1, 5]) {
      const db = join(t.dir, `bots-${bots}.db`);
      copyFileSync(seeded, db);
      const symbols = ['BTC-USD', 'ETH-USD', 'BTC-FUT', 'SPX-FUT', 'EURUSD'].slice(0, bots);
      symbols.forEach((s, k) => {
        timedNode([BIN, '--db', db, 'account', 'create', `acct${k}`, '--balance', '100000'], { rss: false });
        timedNode(
          [
            BIN,
            '--db',
            db,
            'bot',
            'create',
            `bot${k}`,
            '--strategy',
            'ema_crossover',
            '--symbol',
            s,
            '--timeframe',
            '1h',
            '--account',
            `acct${k}`,
            '--size',
            '50%',
          ],
          { rss: false },
        );
        if (k > 0) timedNode([BIN, '--db', db, 'bot', 'start', `bot${k}`], { rss: false });
      });
      const runs = [];
      const base = [];
      let out;
      for (let i = 0; i < RUNS; i++) {
        // interleaved: the command on a copy of the set-up database, then the bare insert of the
        // rows it wrote into another copy
        const run = join(t.dir, `run-${bots}-${i}.db`);
        copyFileSync(db, run);
        const r = timedNode([BIN, '--db', run, 'bot', 'run', 'bot0', '--for', '30d', '--json']);
        runs.push(r);
        out = JSON.parse(r.stdout);
        const target = join(t.dir, `base-${bots}-${i}.db`);
        copyFileSync(db, target);
        const b = timedNode([join(ROOT, 'bench', 'baseline-insert.mjs'), run, target, String(Date.parse(END) + 1)], { rss: false });
        base.push(JSON.parse(b.stdout));
        for (const f of [run, target]) for (const x of ['', '-wal', '-shm']) rmSync(f + x, { force: true });
      }
      const ms = median(runs.map((r) => r.ms));
      const baseMs = median(base.map((b) => b.insertMs));
      const baseCpu = median(base.map((b) => b.insertCpuMs));
      const candles = base[0].rows;
      const bars = 30 * 1440 * 5; // every instrument steps every minute
      record({
        id: `bot-run-30d-${bots}`,
        title: `\`bot run --for 30d\`, ${bots} bot(s), 5 instruments (whole process)`,
        unit: 'ms',
        samples: runs.map((r) => r.ms),
        rssMb: Math.max(...runs.map((r) => r.rssMb)),
        ratio: {
          value: ms / baseMs,
          reference: `bare prepared INSERT of the same ${candles.toLocaleString('en-US')} candle rows into the same database, one tx (median ${fmt(baseMs, 0)} ms, CPU ${fmt(baseCpu, 0)} ms)`,
        },
        cpu: { samples: runs.map((r) => r.cpuMs), reference: baseCpu },
        target: '<= 1000 ms',
      });
      rows.push([
        `${bots} bot(s), 30d, 5 instruments x 1m`,
        `${fmt(ms, 0)} ms wall (median of ${RUNS}), ${fmt(bars / (ms / 1000), 0)} 1m candles/s, ${out.decisions} decisions by bot0, ${out.bot.stats.trades} trades, peak RSS ${fmt(Math.max(...runs.map((r) => r.rssMb)), 0)} MB`,
      ]);
      rows.push([`  floor: bare INSERT of its ${candles} candle rows`, `${fmt(baseMs, 0)} ms (median), ratio ${fmt(ms / baseMs)}`]);
    }
    report('bot run --for 30d (ema_crossover on 1h; the market advances 30 days, generating its candles)', rows);
  } finally {
    t.cleanup();
  }
}

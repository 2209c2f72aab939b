// Bots: `bot run --for 30d` of one ema_crossover bot on 1h candles, and of five bots at once
// (one per instrument), on a seeded database; the market is extended as it goes.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, fmt, record, report, timedNode, tmp } from './lib.mjs';

export function run() {
  const t = tmp();
  try {
    const seeded = join(t.dir, 'seeded.db');
    timedNode([BIN, '--db', seeded, 'seed', '--end', '2026-01-01T00:00:00Z'], { rss: false });
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
      const r = timedNode([BIN, '--db', db, 'bot', 'run', 'bot0', '--for', '30d', '--json']);
      const out = JSON.parse(r.stdout);
      const bars = 30 * 1440 * 5; // every instrument steps every minute
      record({
        id: `bot-run-30d-${bots}`,
        title: `\`bot run --for 30d\`, ${bots} bot(s), 5 instruments (whole process)`,
        unit: 'ms',
        samples: [r.ms],
        rssMb: r.rssMb,
        cpu: { samples: [r.cpuMs] },
        target: '<= 1000 ms',
      });
      rows.push([
        `${bots} bot(s), 30d, 5 instruments x 1m`,
        `${fmt(r.ms, 0)} ms wall, ${fmt(bars / (r.ms / 1000), 0)} 1m candles/s, ${out.decisions} decisions by bot0, ${out.bot.stats.trades} trades, peak RSS ${fmt(r.rssMb, 0)} MB`,
      ]);
    }
    report('bot run --for 30d (ema_crossover on 1h; the market advances 30 days, generating its candles)', rows);
  } finally {
    t.cleanup();
  }
}

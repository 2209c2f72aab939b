// Scale: one year of 1m candles for the five instruments (2.6 M rows). `seed --days 365` (time,
// file size, peak RSS), a backtest over the year, and `market advance 30d` with five running
// bots, each a whole process with its peak RSS (bounded: nothing loads every instrument's
// history at once).
import { join } from 'node:path';
import { BIN, fileMb, fmt, record, report, timedNode, tmp } from './lib.mjs';

export function run() {
  const t = tmp();
  try {
    const db = join(t.dir, 'year.db');
    const seed = timedNode([BIN, '--db', db, 'seed', '--days', '365', '--end', '2026-01-01T00:00:00Z', '--json']);
    const rows = JSON.parse(seed.stdout).candles;
    const size = fileMb(db) + fileMb(`${db}-wal`);

    const bt = timedNode([BIN, '--db', db, 'backtest', 'ema_crossover', '--symbol', 'ETH-USD', '--from', '2025-01-01T00:00:00Z', '--json']);
    const btOut = JSON.parse(bt.stdout);

    const symbols = ['BTC-USD', 'ETH-USD', 'BTC-FUT', 'SPX-FUT', 'EURUSD'];
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
      timedNode([BIN, '--db', db, 'bot', 'start', `bot${k}`], { rss: false });
    });
    const adv = timedNode([BIN, '--db', db, 'market', 'advance', '30d', '--json']);
    const sizeAfter = fileMb(db) + fileMb(`${db}-wal`);

    report(`scale: one year of 1m candles for the five instruments (${rows.toLocaleString('en-US')} rows), whole processes`, [
      [
        'seed --days 365',
        `${fmt(seed.ms / 1000, 1)} s, ${fmt(rows / (seed.ms / 1000), 0)} rows/s, file ${fmt(size, 0)} MB, peak RSS ${fmt(seed.rssMb, 0)} MB`,
      ],
      ['backtest ema_crossover (1h) over the year', `${fmt(bt.ms, 0)} ms, ${btOut.metrics.trades} trades, peak RSS ${fmt(bt.rssMb, 0)} MB`],
      [
        'market advance 30d, 5 running bots',
        `${fmt(adv.ms / 1000, 1)} s, peak RSS ${fmt(adv.rssMb, 0)} MB, file ${fmt(sizeAfter, 0)} MB after`,
      ],
    ]);
    record({
      id: 'scale-seed-365d',
      title: `\`seed --days 365\`, 5 instruments (${rows.toLocaleString('en-US')} 1m candles, whole process)`,
      unit: 'ms',
      samples: [seed.ms],
      rssMb: seed.rssMb,
      cpu: { samples: [seed.cpuMs] },
      extra: { rows, fileMb: Math.round(size) },
    });
    record({
      id: 'scale-backtest-year',
      title: '`backtest ema_crossover` (1h) over a year of 1m candles (whole process)',
      unit: 'ms',
      samples: [bt.ms],
      rssMb: bt.rssMb,
      cpu: { samples: [bt.cpuMs] },
      extra: { trades: btOut.metrics.trades },
    });
    record({
      id: 'scale-advance-30d-5-bots',
      title: '`market advance 30d` on the year, 5 running bots (whole process)',
      unit: 'ms',
      samples: [adv.ms],
      rssMb: adv.rssMb,
      cpu: { samples: [adv.cpuMs] },
      extra: { fileMbAfter: Math.round(sizeAfter) },
    });
  } finally {
    t.cleanup();
  }
}

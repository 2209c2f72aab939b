// `tunicoin watch --speed 3600` (one simulated hour per wall second) with 5 instruments and 3
// running bots, in a real terminal (tmux, 120x40), for WATCH_BENCH_SECONDS (default 20) of wall
// time: simulated minutes per wall second (60 = keeping up), redraws per second, CPU, and the
// lag between the clock and wall time x speed. The screen writes its counters on exit
// (TUNICOIN_WATCH_STATS).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { BIN, fmt, report, timedNode, tmp } from './lib.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function run() {
  if (spawnSync('tmux', ['-V']).status !== 0) {
    report('watch --speed 3600', [['skipped', 'tmux is not installed']]);
    return;
  }
  const seconds = Number(process.env.WATCH_BENCH_SECONDS ?? 20);
  const t = tmp();
  const socket = `tunicoin-bench-${process.pid}`;
  const tmux = (...a) => spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...a], { encoding: 'utf8' });
  try {
    const db = join(t.dir, 'watch.db');
    timedNode([BIN, '--db', db, 'seed', '--end', '2026-01-01T00:00:00Z'], { rss: false });
    const bots = [
      ['trend', 'ema_crossover', 'BTC-USD', '15m'],
      ['revert', 'rsi_reversion', 'ETH-USD', '15m'],
      ['slow', 'ema_crossover', 'SPX-FUT', '1h'],
    ];
    for (const [name, strategy, symbol, tf] of bots) {
      timedNode([BIN, '--db', db, 'account', 'create', name, '--balance', '100000'], { rss: false });
      timedNode(
        [
          BIN,
          '--db',
          db,
          'bot',
          'create',
          name,
          '--strategy',
          strategy,
          '--symbol',
          symbol,
          '--timeframe',
          tf,
          '--account',
          name,
          '--size',
          '50%',
        ],
        { rss: false },
      );
      timedNode([BIN, '--db', db, 'bot', 'start', name], { rss: false });
    }
    const stats = join(t.dir, 'stats.json');
    const clock0 = JSON.parse(timedNode([BIN, '--db', db, 'clock', '--json'], { rss: false }).stdout).clock;
    tmux(
      'new-session',
      '-d',
      '-s',
      'w',
      '-x',
      '120',
      '-y',
      '40',
      `env TUNICOIN_WATCH_STATS='${stats}' TERM=xterm-256color '${process.execPath}' '${BIN}' --db '${db}' watch --speed 3600 --account trend; sleep 60`,
    );
    const t0 = Date.now();
    while (!tmux('capture-pane', '-p', '-t', 'w').stdout.includes('quotes')) {
      if (Date.now() - t0 > 60_000) throw new Error('the watch screen did not come up');
      await sleep(50);
    }
    const firstScreenMs = Date.now() - t0;
    await sleep(seconds * 1000);
    tmux('send-keys', '-t', 'w', 'q');
    while (!existsSync(stats)) {
      if (Date.now() - t0 > seconds * 1000 + 120_000) throw new Error('watch did not quit');
      await sleep(50);
    }
    const s = JSON.parse(readFileSync(stats, 'utf8'));
    const clock1 = JSON.parse(timedNode([BIN, '--db', db, 'clock', '--json'], { rss: false }).stdout).clock;
    const decisions = bots.map(([name]) => JSON.parse(timedNode([BIN, '--db', db, 'bot', 'show', name, '--json'], { rss: false }).stdout));
    const simMinPerSec = s.simMs / 60_000 / (s.runningWallMs / 1000);
    const cpuPct = ((s.cpuUserMs + s.cpuSystemMs) / s.wallMs) * 100;
    report(`watch --speed 3600, 5 instruments, 3 running bots, 120x40 tmux, ${seconds} s`, [
      ['simulated minutes per wall second', `${fmt(simMinPerSec, 1)} (60 = keeping up with wall time x 3600)`],
      [
        'simulated time',
        `${fmt(s.simMs / 3_600_000, 1)} h in ${fmt(s.runningWallMs / 1000, 1)} s running (${clock0} -> ${clock1}), ${s.ticks} ticks`,
      ],
      ['redraws per second', `${fmt(s.draws / (s.wallMs / 1000), 1)} (at most 10)`],
      [
        'wall time per tick / per redraw',
        `${fmt(s.tickWallMs / Math.max(1, s.ticks), 0)} ms (advance + re-read) / ${fmt(s.drawWallMs / Math.max(1, s.draws), 0)} ms (view + Ink)`,
      ],
      ['CPU (user + system) / wall', `${fmt(cpuPct, 0)}% of one core`],
      [
        'largest lag behind wall x speed',
        `${fmt(s.maxLagMs / 60_000, 1)} simulated min; dropped (not caught up): ${fmt(s.droppedMs / 60_000, 1)} min`,
      ],
      ['first screen after start', `${fmt(firstScreenMs, 0)} ms`],
      ['machine load average (1 min) during the run', fmt(loadavg()[0], 1)],
      ['bots', decisions.map((b) => `${b.name ?? b.bot?.name ?? '?'}: ${b.status ?? b.bot?.status ?? '?'}`).join(', ')],
    ]);
  } finally {
    tmux('kill-server');
    t.cleanup();
  }
}

// Backtests: ema_crossover over 1,000,000 1m candles (engine bars/s against a bare typed-array
// EMA-crossover loop over the same closes, checked to make the same trades), end to end through
// the CLI with loading from SQLite and peak RSS; a 48-combination sweep on 1 and 2 workers, with
// the strategy on 1h candles (the default: loading dominates) and on 1m candles (the backtests do),
// each next to this machine's 2-process ceiling measured between its sweeps (ceiling.mjs) and
// the Amdahl bound from the 1-worker command's own serial part (the sweeps: optimize-case.mjs).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, fmt, median, record, report, ROOT, timedNode, tmp } from './lib.mjs';
import { optimizeCases } from './optimize-case.mjs';

const N = 1_000_000;

/**
 * The bare loop: SMA-seeded EMAs over the closes of `tfMs` candles (the last 1m close of each
 * UTC bucket), strict crosses, long only; entries/exits at the next 1m bar.
 */
function bareCrossover(close, time, fastN, slowN, tfMs = 60_000) {
  const kf = 2 / (fastN + 1);
  const ks = 2 / (slowN + 1);
  let ef = 0;
  let es = 0;
  let prev = NaN;
  let long = false;
  const events = [];
  let k = -1;
  for (let j = 0; j < close.length - 1; j++) {
    if (tfMs !== 60_000 && Math.floor(time[j + 1] / tfMs) === Math.floor(time[j] / tfMs)) continue; // bucket not closed yet
    const i = ++k;
    const x = close[j];
    if (i < fastN) {
      ef += x;
      if (i === fastN - 1) ef /= fastN;
    } else ef += kf * (x - ef);
    if (i < slowN) {
      es += x;
      if (i === slowN - 1) es /= slowN;
    } else es += ks * (x - es);
    if (i < slowN - 1) continue;
    const d = ef - es;
    if (prev === prev) {
      if (prev <= 0 && d > 0 && !long) {
        long = true;
        events.push(time[j + 1]);
      } else if (prev >= 0 && d < 0 && long) {
        long = false;
        events.push(time[j + 1]);
      }
    }
    prev = d;
  }
  return events;
}

/** The reference read: every row through chunked raw SELECTs (the read path before the packed store). */
function readRows(sqlite, instrumentId, n) {
  const st = sqlite
    .prepare(
      `SELECT timestamp, open, high, low, close, volume FROM candles
    WHERE instrument_id = ? AND timeframe = '1m' AND timestamp >= ? ORDER BY timestamp LIMIT 8192`,
    )
    .raw(true);
  const cols = ['time', 'open', 'high', 'low', 'close', 'volume'].map(() => new Float64Array(n));
  const [time, open, high, low, close, volume] = cols;
  let i = 0;
  let from = -8.64e15;
  for (;;) {
    const rows = st.all(instrumentId, from);
    for (const r of rows) {
      time[i] = r[0];
      open[i] = r[1];
      high[i] = r[2];
      low[i] = r[3];
      close[i] = r[4];
      volume[i] = r[5];
      i++;
    }
    if (rows.length < 8192) break;
    from = time[i - 1] + 1;
  }
  return { time, open, high, low, close, volume };
}

export async function run() {
  const lib = await import(pathToFileURL(join(ROOT, 'dist', 'lib.js')).href);
  const spec = lib.SEED_INSTRUMENTS[0];
  const c = lib.generateCandles({
    seed: 1,
    symbol: 'BTC-USD',
    stream: 0,
    startPrice: spec.tickSize * 5_000_000,
    tickSize: spec.tickSize,
    dailyVol: 0.015,
    meanVolume: 12,
    startTime: Date.UTC(2024, 0, 1),
    count: N,
  });
  const strat = lib.BUILTIN_STRATEGIES.find((s) => s.id === 'ema_crossover');
  for (const [tf, tfMs] of [
    ['1h', 3_600_000],
    ['1m', 60_000],
  ]) {
    const cfg = () => ({
      candles: c,
      instrumentId: 'I',
      spec,
      timeframe: tf,
      strategy: strat.create(lib.resolveParams(strat, {})),
      capital: lib.money.parseMoney('1000000'),
      leverage: 1,
      maxLeverage: 1,
      makerFee: 200,
      takerFee: 500,
      sizing: { kind: 'fixed', size: lib.money.parseQty('0.1') },
    });
    const engineMs = [];
    const bareMs = [];
    const engineCpu = [];
    const bareCpu = [];
    let outcome;
    let events;
    const cpuMs = (u) => (u.user + u.system) / 1000; // CPU time: steadier than the wall clock on a shared machine
    for (let k = 0; k < 14; k++) {
      // interleaved; the first five warm the JIT up, so both sides are measured in steady state
      let t0 = process.hrtime.bigint();
      let c0 = process.cpuUsage();
      outcome = lib.runBacktest(cfg());
      const e = Number(process.hrtime.bigint() - t0) / 1e6;
      const ec = cpuMs(process.cpuUsage(c0));
      t0 = process.hrtime.bigint();
      c0 = process.cpuUsage();
      events = bareCrossover(c.close, c.time, 12, 26, tfMs);
      const b = Number(process.hrtime.bigint() - t0) / 1e6;
      const bc = cpuMs(process.cpuUsage(c0));
      if (k >= 5) {
        engineMs.push(e);
        bareMs.push(b);
        engineCpu.push(ec);
        bareCpu.push(bc);
      }
    }
    const engineEvents = outcome.sink.trades.flatMap((t) => [t.entryTime, t.exitTime]);
    // the engine closes a position still open at the end: the bare loop has no such exit
    const same = events.every((t, i) => t === engineEvents[i]) && engineEvents.length - events.length <= 1;
    report(`ema_crossover(12, 26) on ${tf} candles over 1,000,000 1m candles, in-process (median of 9 after 5 warm-up runs)`, [
      ['engine', `${fmt(median(engineMs), 0)} ms = ${fmt(N / median(engineMs) / 1e3, 2)} M 1m bars/s`, '>= 5 M bars/s'],
      ['bare typed-array loop', `${fmt(median(bareMs), 1)} ms = ${fmt(N / median(bareMs) / 1e3, 0)} M bars/s`],
      ['ratio engine / bare', fmt(median(engineMs) / median(bareMs), 1), tf === '1m' ? '<= 8' : '<= 3'],
      [
        'on CPU time: engine / bare',
        `${fmt(median(engineCpu), 0)} ms / ${fmt(median(bareCpu), 1)} ms = ${fmt(median(engineCpu) / median(bareCpu), 1)}`,
      ],
      ['trades (round trips)', `${outcome.sink.trades.length}; same entry/exit times as the bare loop: ${same ? 'yes' : 'NO'}`],
    ]);
    record({
      id: `engine-${tf}`,
      title: `\`backtest ema_crossover\` on ${tf} candles over 1,000,000 1m candles, in-process (${outcome.sink.trades.length} trades)`,
      unit: 'M 1m bars/s',
      samples: engineMs.map((ms) => N / ms / 1e3),
      ratio: {
        value: median(engineMs) / median(bareMs),
        reference: `bare typed-array EMA loop making the same trades (median ${fmt(median(bareMs), 1)} ms)`,
      },
      target: tf === '1m' ? 'ratio <= 8' : 'ratio <= 3',
      cpu: { samples: engineCpu, reference: median(bareCpu) },
      extra: { sameTradesAsBareLoop: same },
    });
  }

  const t = tmp();
  try {
    const db = join(t.dir, 'million.db');
    const seed = timedNode(
      [BIN, '--db', db, 'seed', '--instruments', 'BTC-USD', '--days', '695', '--end', '2026-01-01T00:00:00Z', '--json'],
      { rss: false },
    );
    const candles = JSON.parse(seed.stdout).candles;

    // reading the 1m candles into column arrays, in-process (the first run warms the JIT up),
    // interleaved with the reference: the same rows through the row path alone (what every read
    // was before the packed store: chunked raw SELECTs on the clustered table)
    const store = await lib.openStore(db);
    const inst = lib.listInstruments(store)[0];
    const packedRows = store.sqlite.prepare('SELECT COALESCE(SUM(n), 0) AS n FROM candle_packs WHERE instrument_id = ?').get(inst.id).n;
    const readMs = [];
    const readCpu = [];
    const rowMs = [];
    const rowCpu = [];
    for (let k = 0; k < 4; k++) {
      let t0 = process.hrtime.bigint();
      let c0 = process.cpuUsage();
      const got = lib.loadCandles(store, inst.id);
      let cu = process.cpuUsage(c0);
      if (k > 0) {
        readMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
        readCpu.push((cu.user + cu.system) / 1000);
      }
      if (got.time.length !== candles) throw new Error(`read ${got.time.length} of ${candles} candles`);
      t0 = process.hrtime.bigint();
      c0 = process.cpuUsage();
      const rows = readRows(store.sqlite, inst.id, candles);
      cu = process.cpuUsage(c0);
      if (k > 0) {
        rowMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
        rowCpu.push((cu.user + cu.system) / 1000);
      }
      if (rows.close[candles - 1] !== got.close[candles - 1] || rows.time[0] !== got.time[0])
        throw new Error('packed and row reads differ');
    }
    store.close();
    report(
      `reading ${candles.toLocaleString('en-US')} 1m candles from SQLite into column arrays, in-process (median of 3 after a warm-up; ${fmt((100 * packedRows) / candles, 1)}% of them in packs)`,
      [
        [
          'read (packed store + rows)',
          `${fmt(median(readMs), 0)} ms = ${fmt(candles / median(readMs) / 1e3, 2)} M rows/s`,
          '>= 4 M rows/s',
        ],
        ['CPU time', `${fmt(median(readCpu), 0)} ms = ${fmt(candles / median(readCpu) / 1e3, 2)} M rows/s of CPU time`],
        [
          'reference: the rows alone (chunked raw SELECT)',
          `${fmt(median(rowMs), 0)} ms = ${fmt(candles / median(rowMs) / 1e3, 2)} M rows/s; CPU ${fmt(median(rowCpu), 0)} ms`,
        ],
        ['speed-up', `${fmt(median(rowMs) / median(readMs), 1)}x wall, ${fmt(median(rowCpu) / median(readCpu), 1)}x CPU`],
      ],
    );
    record({
      id: 'read-1m',
      title: 'reading 1m candles from SQLite into column arrays, in-process',
      unit: 'M rows/s',
      samples: readMs.map((ms) => candles / ms / 1e3),
      target: '>= 4',
      ratio: {
        value: median(rowMs) / median(readMs),
        reference: `speed-up over the rows alone, chunked raw SELECT (median ${fmt(candles / median(rowMs) / 1e3, 2)} M rows/s)`,
      },
      cpu: { samples: readCpu },
      extra: { rows: candles, packedRows },
    });
    const e2e = [];
    const e2eCpu = [];
    let rss = 0;
    let trades = 0;
    for (let k = 0; k < 3; k++) {
      const r = timedNode([
        BIN,
        '--db',
        db,
        'backtest',
        'ema_crossover',
        '--timeframe',
        '1m',
        '--size',
        '0.1',
        '--capital',
        '1000000',
        '--trades',
        join(t.dir, `t${k}.csv`),
        '--json',
      ]);
      e2e.push(r.ms);
      e2eCpu.push(r.cpuMs);
      rss = Math.max(rss, r.rssMb);
      trades = JSON.parse(r.stdout).metrics.trades;
    }
    report(`tunicoin backtest ema_crossover --timeframe 1m over ${candles.toLocaleString('en-US')} candles in SQLite (median of 3)`, [
      ['end-to-end wall (load from SQLite, run, metrics, trade log)', `${fmt(median(e2e), 0)} ms`, '<= 600 ms'],
      ['CPU time (median)', `${fmt(median(e2eCpu), 0)} ms`],
      ['peak RSS', `${fmt(rss, 1)} MB`, '< 200 MB'],
      ['trades', String(trades)],
    ]);
    record({
      id: 'backtest-cli-1m',
      title: `\`tunicoin backtest ema_crossover --timeframe 1m\` over ${candles.toLocaleString('en-US')} candles in SQLite (whole process)`,
      unit: 'ms',
      samples: e2e,
      rssMb: rss,
      target: '<= 600 ms, < 200 MB',
      cpu: { samples: e2eCpu },
      extra: { trades },
    });

    await optimizeCases(db);
  } finally {
    t.cleanup();
  }
}

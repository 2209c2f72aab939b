// Paper trading: CLI order latency vs node -e 0; in-process open + market order; market advance 7d
// with 50 resting orders across the five instruments.
import { execSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, fmt, median, record, report, ROOT, timedNode, tmp } from './lib.mjs';

export async function run() {
  const lib = await import(pathToFileURL(join(ROOT, 'dist', 'lib.js')).href);
  const t = tmp();
  try {
    const seeded = join(t.dir, 'seeded.db');
    timedNode([BIN, '--db', seeded, 'seed', '--end', '2026-01-01T00:00:00Z'], { rss: false });
    const s0 = await lib.openStore(seeded);
    s0.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    s0.close();

    // 1. CLI: order buy BTC-USD 0.1 (each on its own copy) and account vs node -e 0, interleaved
    const node = [];
    const order = [];
    const account = [];
    const nodeCpu = [];
    const orderCpu = [];
    const accountCpu = [];
    // Copies made first and flushed to disk (as for the in-process case below): the order's
    // checkpoint on close fsyncs the file, which would otherwise write back the whole fresh copy
    // and measure the copy, not tunicoin.
    for (let i = 0; i < 15; i++) copyFileSync(seeded, join(t.dir, `order-${i}.db`));
    execSync('sync');
    for (let i = 0; i < 15; i++) {
      const db = join(t.dir, `order-${i}.db`);
      const a = timedNode(['-e', '0']);
      const b = timedNode([BIN, '--db', db, 'order', 'buy', 'BTC-USD', '0.1']);
      const c = timedNode([BIN, '--db', db, 'account']);
      node.push(a.ms);
      order.push(b.ms);
      account.push(c.ms);
      nodeCpu.push(a.cpuMs);
      orderCpu.push(b.cpuMs);
      accountCpu.push(c.cpuMs);
    }
    report('CLI: tunicoin order buy BTC-USD 0.1, tunicoin account (15 interleaved runs each)', [
      ['node -e 0 (median)', `${fmt(median(node), 1)} ms`],
      ['tunicoin order buy (median)', `${fmt(median(order), 1)} ms`],
      ['ratio', fmt(median(order) / median(node)), '<= 1.4'],
      ['tunicoin account (median)', `${fmt(median(account), 1)} ms`],
      ['ratio', fmt(median(account) / median(node)), '<= 1.4'],
      [
        'CPU time node -e 0 / order buy / account (median)',
        `${fmt(median(nodeCpu), 1)} / ${fmt(median(orderCpu), 1)} / ${fmt(median(accountCpu), 1)} ms: ratios ${fmt(median(orderCpu) / median(nodeCpu))} / ${fmt(median(accountCpu) / median(nodeCpu))}`,
      ],
    ]);
    const nodeRef = `node -e 0 (median ${fmt(median(node), 1)} ms)`;
    record({
      id: 'cli-order-buy',
      title: '`order buy BTC-USD 0.1` (whole process)',
      unit: 'ms',
      samples: order,
      ratio: { value: median(order) / median(node), reference: nodeRef },
      target: 'ratio <= 1.4',
      cpu: { samples: orderCpu, reference: median(nodeCpu) },
    });
    record({
      id: 'cli-account',
      title: '`account` (whole process)',
      unit: 'ms',
      samples: account,
      ratio: { value: median(account) / median(node), reference: nodeRef },
      target: 'ratio <= 1.4',
      cpu: { samples: accountCpu, reference: median(nodeCpu) },
    });

    // 2. in-process: open the db and place one market order
    // Copy first and flush to disk: a 66 MB copy still being written back would slow the
    // commit's fsync and measure the copy, not tunicoin.
    for (let i = 0; i < 30; i++) copyFileSync(seeded, join(t.dir, `inproc-${i}.db`));
    execSync('sync');
    const times = [];
    const closeTimes = [];
    for (let i = 0; i < 30; i++) {
      const db = join(t.dir, `inproc-${i}.db`);
      const t0 = process.hrtime.bigint();
      const store = await lib.openStore(db);
      const accountId = lib.resolveAccountId(store, undefined);
      const inst = lib.findInstrument(store, 'BTC-USD');
      const o = lib.withPaper(store, Date.now, (s) =>
        s.engine.placeOrder({
          accountId,
          instrumentId: inst.id,
          side: 'buy',
          type: 'market',
          size: lib.money.parseQty('0.1'),
          fillNow: true,
        }),
      );
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      const tc = process.hrtime.bigint();
      store.close();
      closeTimes.push(Number(process.hrtime.bigint() - tc) / 1e6);
      if (o.status !== 'filled') throw new Error(`order ${o.status}: ${o.rejectReason}`);
    }
    report('in-process: open the db + place one market order (30 runs)', [
      ['median', `${fmt(median(times), 2)} ms`, '<= 3 ms'],
      ['first (cold JIT)', `${fmt(times[0], 2)} ms`],
      ['then closing the db (WAL checkpoint), median', `${fmt(median(closeTimes), 2)} ms`],
    ]);
    record({ id: 'inproc-order', title: 'open the db + one market order, in-process', unit: 'ms', samples: times, target: '<= 3 ms' });

    // 3. market advance 7d with 50 resting orders across the five instruments
    const db = join(t.dir, 'advance.db');
    copyFileSync(seeded, db);
    const store = await lib.openStore(db);
    const accountId = lib.resolveAccountId(store, undefined);
    const insts = lib.listInstruments(store);
    lib.withPaper(store, Date.now, (s) => {
      for (let k = 0; k < 50; k++) {
        const inst = insts[k % insts.length];
        const mid = s.engine.instrument(inst.id).bar.close;
        const side = k % 2 ? 'sell' : 'buy';
        const px = Math.round((mid * (side === 'buy' ? 0.7 : 1.3) * 1e8) / inst.tickSize) * inst.tickSize; // far away: they keep resting
        const o = s.engine.placeOrder({
          accountId,
          instrumentId: inst.id,
          side,
          type: 'limit',
          price: px,
          size: inst.minSize,
          leverage: 10,
        });
        if (o.status !== 'pending') throw new Error(`resting order ${o.status}: ${o.rejectReason}`);
      }
    });
    const clock = lib.readClock(store);
    const tg = process.hrtime.bigint();
    store.tx(() => {
      for (const inst of insts) lib.extendMarket(store, inst, clock + 7 * 86_400_000);
    });
    const genMs = Number(process.hrtime.bigint() - tg) / 1e6;
    const ta = process.hrtime.bigint();
    const ca = process.cpuUsage();
    const rep = lib.withPaper(store, Date.now, (s) => lib.advanceMarket(store, s, 7 * 86_400_000));
    const advMs = Number(process.hrtime.bigint() - ta) / 1e6;
    const advCpu = process.cpuUsage(ca);
    const advCpuMs = (advCpu.user + advCpu.system) / 1000;
    const pending = store.sqlite.prepare("SELECT COUNT(*) AS n FROM orders WHERE status = 'pending'").get().n;
    store.close();
    report('market advance 7d, 5 instruments, 50 resting orders', [
      ['1m bars stepped', String(rep.bars)],
      ['synthetic candles generated + stored first', `${rep.generated + 7 * 1440 * 5} in ${fmt(genMs, 0)} ms`],
      ['advance (load candles + replay + persist)', `${fmt(advMs, 0)} ms`],
      ['1m steps per second', fmt(rep.bars / (advMs / 1000), 0), '>= 1,000,000'],
      ['CPU time of the advance', `${fmt(advCpuMs, 0)} ms = ${fmt(rep.bars / (advCpuMs / 1000), 0)} steps per CPU second`],
      ['orders still resting', String(pending)],
    ]);
    record({
      id: 'advance-7d',
      title: '`market advance 7d` (5 instruments, 50 resting orders), in-process',
      unit: '1m steps/s',
      samples: [rep.bars / (advMs / 1000)],
      target: '>= 1,000,000',
      cpu: { samples: [advCpuMs] },
    });
  } finally {
    t.cleanup();
  }
}

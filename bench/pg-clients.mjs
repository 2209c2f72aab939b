// Many clients placing orders at once (issue 16, point 3): orders per second with 1 and 16
// clients, on PostgreSQL (writer lock, src/store/pg/writer-lock.ts) and on SQLite (BEGIN
// IMMEDIATE), on ONE shared account and on one account per client; plus the time a client holds
// the write lock per order. Clients are worker threads, each with its own connection and
// store, placing market orders through the same use case as `tunicoin order` (withPaper); and
// 16 processes of the binary, as 16 people at their terminals would.
//
//   npm run build && node bench/pg-clients.mjs [SUPERUSER_URL]
//
// Without a URL a throw-away server is started (scripts/pg-throwaway.mjs). Not part of npm test.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { startThrowawayPostgres } from '../scripts/pg-throwaway.mjs';
import { BIN, ROOT, tmp } from './lib.mjs';

const CLIENTS = 16;
const ORDERS = 20; // per thread client
const PROCESS_ORDERS = 3; // per process client

const lib = join(ROOT, 'dist', 'lib.js');
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
(async () => {
  const lib = await import(${JSON.stringify(pathToFileURL(lib).href)});
  const { db, account, orders, sync } = workerData;
  const store = await lib.openStore(db);
  const accountId = lib.resolveAccountId(store, account);
  const inst = lib.findInstrument(store, 'BTC-USD');
  Atomics.add(sync, 0, 1);
  Atomics.wait(sync, 1, 0); // all clients start together
  let inTx = 0;
  const t0 = performance.now();
  for (let i = 0; i < orders; i++) {
    const a = performance.now();
    lib.withPaper(store, Date.now, (s) =>
      s.engine.placeOrder({ accountId, instrumentId: inst.id, side: i % 2 ? 'sell' : 'buy', type: 'market', size: 1_000_000, fillNow: true }),
      { accountIds: [accountId], instrumentIds: [inst.id] });
    inTx += performance.now() - a;
  }
  const ms = performance.now() - t0;
  store.close();
  parentPort.postMessage({ ms, inTx });
})().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
`;

function cli(db, args) {
  const r = spawnSync(process.execPath, [BIN, '--db', db, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function prepare(db) {
  cli(db, ['seed', '--days', '1', '--instruments', 'BTC-USD', '--end', '2026-03-01T00:00:00Z']);
  for (let i = 0; i < CLIENTS; i++) cli(db, ['account', 'create', `c${i}`, '--balance', '1000000']);
}

async function threads(db, clients, shared) {
  const sync = new Int32Array(new SharedArrayBuffer(8));
  const done = [];
  for (let i = 0; i < clients; i++) {
    const w = new Worker(WORKER, { eval: true, workerData: { db, account: shared ? 'c0' : `c${i}`, orders: ORDERS, sync } });
    done.push(
      new Promise((res, rej) => w.once('message', (m) => (m.error ? rej(new Error(m.error)) : res(m))).once('error', rej)).finally(() =>
        w.terminate(),
      ),
    );
  }
  while (Atomics.load(sync, 0) < clients) await new Promise((r) => setTimeout(r, 5));
  const t0 = performance.now();
  Atomics.store(sync, 1, 1);
  Atomics.notify(sync, 1);
  const rs = await Promise.all(done);
  const wall = performance.now() - t0;
  const orders = clients * ORDERS;
  const inTx = rs.reduce((a, r) => a + r.inTx, 0) / orders;
  return { perSec: (orders / wall) * 1000, wall, inTx };
}

async function processes(db, clients) {
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      for (let k = 0; k < PROCESS_ORDERS; k++)
        await new Promise((res, rej) => {
          const c = spawn(process.execPath, [BIN, '--db', db, 'order', k % 2 ? 'sell' : 'buy', 'BTC-USD', '0.01', '--account', `c${i}`], {
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let err = '';
          c.stderr.on('data', (d) => (err += d));
          c.on('close', (code) => (code === 0 ? res() : rej(new Error(`order exited ${code}: ${err}`))));
        });
    }),
  );
  const wall = performance.now() - t0;
  return { perSec: ((clients * PROCESS_ORDERS) / wall) * 1000, wall };
}

const fmt = (n, d = 1) => n.toFixed(d);

const given = process.argv[2];
const server = given ? null : await startThrowawayPostgres();
const su = given ?? server.url;
const t = tmp();
try {
  const admin = new pg.Client({ connectionString: su });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS tunicoin_bench_clients WITH (FORCE)');
  await admin.query('CREATE DATABASE tunicoin_bench_clients');
  const url = new URL(su);
  url.pathname = '/tunicoin_bench_clients';
  const dbs = { postgres: url.toString(), sqlite: join(t.dir, 'clients.db') };
  for (const db of Object.values(dbs)) await prepare(db);
  const rows = [];
  for (const [name, db] of Object.entries(dbs)) {
    const one = await threads(db, 1, false);
    const own = await threads(db, CLIENTS, false);
    const same = await threads(db, CLIENTS, true);
    const procs = await processes(db, CLIENTS);
    rows.push([name, one, own, same, procs]);
    const verify = JSON.parse(cli(db, ['ledger', 'verify', '--json']));
    if (!verify.ok) throw new Error(`${name}: ledger verify failed after the bench`);
  }
  console.log(`orders/s (market orders through withPaper; ${ORDERS} per thread client, ${PROCESS_ORDERS} per process client)`);
  console.log(
    'database   | 1 thread | 16 threads, own accounts | 16 threads, one account | 16 processes | one order transaction, ms (1 thread: the lock hold time / 16 threads: with the wait)',
  );
  for (const [name, one, own, same, procs] of rows)
    console.log(
      `${name.padEnd(10)} | ${fmt(one.perSec).padStart(8)} | ${fmt(own.perSec).padStart(24)} | ${fmt(same.perSec).padStart(23)} | ${fmt(procs.perSec).padStart(12)} | ${fmt(one.inTx, 2)} / ${fmt(own.inTx, 2)}`,
    );
  await admin.query('DROP DATABASE IF EXISTS tunicoin_bench_clients WITH (FORCE)');
  await admin.end();
} finally {
  t.cleanup();
  if (server) await server.stop();
}

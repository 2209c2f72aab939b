// The crash suite (`npm run crash -- 50`): kill tunicoin with SIGKILL or SIGTERM in the middle of
// seed, market advance, bot run, import and backtest, then check that the database survived:
// PRAGMA integrity_check is ok, `ledger verify` passes, no backtest row is left pending/running
// once a command has opened the database (and that is said once), and no temp file is left.
//
//   node scripts/crash.mjs [KILLS=50] [--days N] [--seed S] [--json] [--keep]
//
// Exit 0 when every kill left a sound database, 1 otherwise. Needs the built CLI (npm run build).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'tunicoin.js');

const argv = process.argv.slice(2);
const flag = (name, def) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : def;
};
const kills = Number(
  argv.find((a) => /^\d+$/.test(a) && argv[argv.indexOf(a) - 1] !== '--days' && argv[argv.indexOf(a) - 1] !== '--seed') ?? 50,
);
const days = Number(flag('--days', '20'));
let rng = Number(flag('--seed', '1')) >>> 0 || 1;
const random = () => {
  rng ^= rng << 13;
  rng >>>= 0;
  rng ^= rng >>> 17;
  rng ^= rng << 5;
  rng >>>= 0;
  return rng / 2 ** 32;
};
const asJson = argv.includes('--json');
const keep = argv.includes('--keep');

const env = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', CI: '1' };
const run = (db, args) => spawnSync(process.execPath, [BIN, '--db', db, ...args], { env, encoding: 'utf8', timeout: 120_000 });

function must(db, args) {
  const r = run(db, args);
  if (r.status !== 0) throw new Error(`setup \`tunicoin ${args.join(' ')}\` failed (${r.status}): ${r.stderr}`);
  return r;
}

// --- the world every kill starts from -------------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'tunicoin-crash-'));
const template = join(dir, 'template.db');
must(template, ['seed', '--days', String(days), '--instruments', 'BTC-USD,ETH-USD', '--end', '2026-01-01T00:00:00Z', '--seed', '7']);
must(template, ['bot', 'create', 'trend', '--strategy', 'ema_crossover', '--symbol', 'BTC-USD', '--timeframe', '15m', '--size', '0.01']);
must(template, ['bot', 'create', 'fast', '--strategy', 'rsi_reversion', '--symbol', 'ETH-USD', '--timeframe', '5m', '--size', '0.1']);
must(template, ['bot', 'start', 'trend']);
must(template, ['bot', 'start', 'fast']);
must(template, ['order', 'buy', 'ETH-USD', '1', '--type', 'limit', '--price', '1']);
must(template, ['instruments', 'add', 'CRASH', '--type', 'crypto']);
{
  const s = new BetterSqlite3(template);
  s.pragma('wal_checkpoint(TRUNCATE)');
  s.close();
}
const strategyFile = join(dir, 'user-strategy.js');
writeFileSync(
  strategyFile,
  `let n = 0;
export default { id: 'crash_user', description: 'a user strategy (worker thread)', params: [],
  create() { const closes = []; return { warmup: 20,
    onCandle(c, position) { closes.push(c.close); if (closes.length < 20) return 'hold'; const m = closes.slice(-20).reduce((a, b) => a + b, 0) / 20;
      return c.close > m && position <= 0 ? 'buy' : c.close < m && position >= 0 ? 'sell' : 'hold'; },
    explain() { return { reason: 'mean', indicators: {} }; } }; } };
`,
);
const csv = join(dir, 'candles.csv');
{
  const rows = ['timestamp,open,high,low,close,volume'];
  let p = 100;
  const start = Date.UTC(2025, 0, 1);
  for (let i = 0; i < 150_000; i++) {
    const o = p;
    p = Math.max(1, p * (1 + (random() - 0.5) * 0.002));
    rows.push(
      `${new Date(start + i * 60_000).toISOString()},${o.toFixed(2)},${(Math.max(o, p) + 0.05).toFixed(2)},${(Math.min(o, p) - 0.05).toFixed(2)},${p.toFixed(2)},${(10 + random() * 5).toFixed(3)}`,
    );
  }
  writeFileSync(csv, `${rows.join('\n')}\n`);
}

const OPS = {
  seed: () => [
    'seed',
    '--reset',
    '--days',
    String(days),
    '--instruments',
    'BTC-USD,ETH-USD,EURUSD',
    '--seed',
    '9',
    '--end',
    '2026-01-01T00:00:00Z',
  ],
  advance: () => ['market', 'advance', '10d'],
  'bot run': () => ['bot', 'run', 'trend', '--for', '10d'],
  import: () => ['import', 'candles', csv, '--symbol', 'CRASH', '--timeframe', '1m'],
  backtest: () => [
    'backtest',
    'ema_crossover',
    '--timeframe',
    '1m',
    '--symbol',
    'BTC-USD',
    '--trades',
    join(dir, 'work', 'trades.csv'),
    '--yes',
  ],
  'user backtest': () => ['backtest', strategyFile, '--timeframe', '1m', '--symbol', 'ETH-USD'],
};
const opNames = Object.keys(OPS);

function killDuring(db, args, delayMs, signal) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--db', db, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    let killed = false;
    const timer = setTimeout(() => {
      killed = child.kill(signal);
    }, delayMs);
    const hard = setTimeout(() => child.kill('SIGKILL'), delayMs + 30_000); // SIGTERM must end it well before this
    child.on('exit', (code, sig) => {
      clearTimeout(timer);
      clearTimeout(hard);
      resolve({ code, sig, killed, stderr });
    });
  });
}

const results = [];
for (let k = 0; k < kills; k++) {
  const op = opNames[k % opNames.length];
  const signal = random() < 0.5 ? 'SIGKILL' : 'SIGTERM';
  const work = join(dir, 'work');
  rmSync(work, { recursive: true, force: true });
  spawnSync('mkdir', ['-p', work]);
  const db = join(work, 'crash.db');
  copyFileSync(template, db);
  const delay = Math.round(250 + random() * 2000);
  const r = await killDuring(db, OPS[op](), delay, signal);
  // 1. the SQLite file itself
  let integrity;
  try {
    const s = new BetterSqlite3(db, { readonly: true });
    integrity = s.pragma('integrity_check', { simple: true });
    s.close();
  } catch (e) {
    integrity = String(e.message);
  }
  // 2. what a user sees next: the first command reports an interrupted backtest once, the second not again
  const first = run(db, ['backtests', '--json']);
  const second = run(db, ['backtests', '--json']);
  const saidFirst = (first.stderr.match(/was interrupted/g) ?? []).length;
  const saidAgain = (second.stderr.match(/was interrupted/g) ?? []).length;
  // 3. the ledger invariants
  const verify = run(db, ['ledger', 'verify', '--json']);
  // 4. nothing stuck, nothing left behind
  const s = new BetterSqlite3(db, { readonly: true });
  const stuck = s.prepare("SELECT COUNT(*) AS n FROM backtests WHERE status IN ('pending', 'running')").get().n;
  const failedInterrupted = s
    .prepare("SELECT COUNT(*) AS n FROM backtests WHERE status = 'failed' AND error_message LIKE 'interrupted%'")
    .get().n;
  const canceled = s.prepare("SELECT COUNT(*) AS n FROM backtests WHERE status = 'canceled'").get().n;
  s.close();
  const leftovers = listFiles(work).filter((f) => /\.tmp-\d+$/.test(f));
  const ok =
    integrity === 'ok' &&
    verify.status === 0 &&
    stuck === 0 &&
    saidAgain === 0 &&
    first.status === 0 &&
    leftovers.length === 0 &&
    saidFirst === failedInterrupted;
  results.push({
    k,
    op,
    signal,
    delayMs: delay,
    exit: r.code,
    exitSignal: r.sig,
    hitRunning: r.killed && (r.code !== 0 || r.sig !== null),
    integrity,
    verify: verify.status,
    stuck,
    reported: saidFirst,
    reportedAgain: saidAgain,
    interruptedRows: failedInterrupted,
    canceledRows: canceled,
    handled: r.code === 130,
    leftovers: leftovers.length,
    ok,
  });
  if (!asJson)
    process.stderr.write(
      `${ok ? 'ok  ' : 'FAIL'} #${k + 1} ${op} ${signal} after ${delay} ms: exit ${r.code ?? r.sig}, integrity ${integrity}, verify ${verify.status}, stuck ${stuck}, reported ${saidFirst}${leftovers.length ? `, leftovers ${leftovers.join(' ')}` : ''}\n`,
    );
}

function listFiles(d) {
  const out = [];
  if (!existsSync(d)) return out;
  for (const e of readdirSync(d, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...listFiles(join(d, e.name)));
    else out.push(join(d, e.name));
  }
  return out;
}

const summary = {
  kills: results.length,
  hitWhileRunning: results.filter((r) => r.hitRunning).length,
  bySignal: {
    SIGKILL: results.filter((r) => r.signal === 'SIGKILL').length,
    SIGTERM: results.filter((r) => r.signal === 'SIGTERM').length,
  },
  byOperation: Object.fromEntries(opNames.map((o) => [o, results.filter((r) => r.op === o).length])),
  corrupt: results.filter((r) => r.integrity !== 'ok').length,
  ledgerBreaks: results.filter((r) => r.verify !== 0).length,
  stuckRows: results.reduce((s, r) => s + r.stuck, 0),
  interruptedMarkedFailed: results.reduce((s, r) => s + r.interruptedRows, 0),
  canceledOnSigterm: results.reduce((s, r) => s + r.canceledRows, 0),
  sigtermHandledExit130: results.filter((r) => r.handled).length,
  reportedTwice: results.filter((r) => r.reportedAgain > 0).length,
  leftoverTempFiles: results.reduce((s, r) => s + r.leftovers, 0),
  failures: results.filter((r) => !r.ok).length,
};
if (asJson) process.stdout.write(`${JSON.stringify({ summary, results }, null, 2)}\n`);
else process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
if (!keep) rmSync(dir, { recursive: true, force: true });
process.exitCode = summary.failures === 0 ? 0 : 1;

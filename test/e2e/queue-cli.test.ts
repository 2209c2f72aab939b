/**
 * End-to-end: `tunicoin worker` processes of the built CLI take `backtest --queue` and
 * `optimize --queue` jobs from the queue of a real PostgreSQL database (test/setup/postgres.ts);
 * the queued results equal the local ones; a worker stopped (SIGTERM) hands its job back, a
 * worker killed (SIGKILL) mid-job leaves it to another, and the result is written once.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, json, runCli, tempDir } from '../helpers/cli.ts';
import { freshPgDatabase } from '../helpers/pg.ts';

let t: ReturnType<typeof tempDir>;
let db: Awaited<ReturnType<typeof freshPgDatabase>>;
const children: ChildProcessWithoutNullStreams[] = [];
let logs = 0;
/** A trade log path of its own in the temp folder (the default one is next to the database: here, under the working folder). */
const trades = () => ['--trades', join(t.dir, `trades-${++logs}.csv`)];

async function sql<R = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as R[];
  } finally {
    await c.end();
  }
}

/** A worker process of the built CLI; `lines` collects its stdout, `exited` resolves with its exit code. */
function startWorker(...args: string[]) {
  const child = spawn(process.execPath, [BIN, '--db', db.url, 'worker', ...args], { env: cleanEnv() });
  children.push(child);
  const w = { child, out: '', err: '', exited: new Promise<number | null>((res) => child.on('close', (code) => res(code))) };
  child.stdout.on('data', (d: Buffer) => (w.out += String(d)));
  child.stderr.on('data', (d: Buffer) => (w.err += String(d)));
  return w;
}

async function waitFor(what: string, test: () => boolean | Promise<boolean>, ms = 45_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  t = tempDir();
  db = await freshPgDatabase('queue');
  const seed = await runCli(['seed', '--days', '3', '--end', '2026-03-01T00:00:00Z', '--instruments', 'BTC-USD,ETH-USD'], { db: db.url });
  expect(seed.code, seed.stderr).toBe(0);
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await db.drop();
  t.cleanup();
});

describe('queues need PostgreSQL', () => {
  it('--queue and worker on a SQLite database are usage errors (exit 2), nothing created', async () => {
    const file = join(t.dir, 'none.db');
    for (const args of [
      ['backtest', 'ema_crossover', '--queue'],
      ['optimize', 'ema_crossover', '--grid', 'fast=5:10:5', '--queue'],
      ['worker', '--once'],
    ]) {
      const r = await runCli(args, { db: file });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/needs a PostgreSQL database/);
    }
    expect((await runCli(['backtest', 'ema_crossover', '--detach'], { db: file })).code).toBe(2);
  });

  it('validates the arguments before sending anything, with the local exit codes', async () => {
    expect((await runCli(['backtest', 'nope', '--queue'], { db: db.url })).code).toBe(3);
    expect((await runCli(['backtest', 'ema_crossover', '--symbol', 'NOPE-USD', '--queue'], { db: db.url })).code).toBe(3);
    expect((await runCli(['backtest', 'ema_crossover', '--capital', 'x', '--queue'], { db: db.url })).code).toBe(2);
    expect((await runCli(['optimize', 'ema_crossover', '--grid', 'fast=0:10:5', '--queue'], { db: db.url })).code).toBe(2);
    // no job was sent (pg-boss's schema may not even exist yet)
    const jobs = await sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'pgboss' AND table_name = 'job'",
    );
    if (jobs[0]?.n) expect((await sql<{ n: number }>('SELECT count(*)::int AS n FROM pgboss.job'))[0]?.n).toBe(0);
  });
});

describe('backtest --queue and optimize --queue with a worker', () => {
  it('give the local results: same --json, one row each, keyed on the job id', async () => {
    const w = startWorker('--max-jobs', '3', '--lease', '3');
    const bt = ['backtest', 'ema_crossover', '--timeframe', '15m', '--param', 'mode=long_short', '--json'];
    const queued = await runCli([...bt, ...trades(), '--queue'], { db: db.url });
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.stderr).toMatch(/queued backtest job [0-9a-f]{8}/);
    const local = await runCli([...bt, ...trades()], { db: db.url });
    expect(local.code, local.stderr).toBe(0);
    const q = json<Record<string, unknown>>(queued);
    const l = json<Record<string, unknown>>(local);
    const strip = (o: Record<string, unknown>) => JSON.stringify({ ...o, id: null, tradeLog: null }, null, 2);
    expect(strip(q)).toBe(strip(l)); // byte for byte, key order included
    expect((q.trades as unknown[]).length).toBeGreaterThan(0);
    expect(readFileSync(q.tradeLog as string, 'utf8')).toBe(readFileSync(l.tradeLog as string, 'utf8')); // written by the follower
    const rows = await sql('SELECT status, task_id, metrics FROM backtests WHERE id = $1', [q.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'completed', task_id: q.id });

    const opt = [
      'optimize',
      'ema_crossover',
      '--grid',
      'fast=5:15:5',
      '--grid',
      'slow=20:40:10',
      '--timeframe',
      '15m',
      '--min-trades',
      '0',
    ];
    const qo = await runCli([...opt, '--json', '--queue'], { db: db.url });
    expect(qo.code, qo.stderr).toBe(0);
    const lo = await runCli([...opt, '--json', '--workers', '1'], { db: db.url });
    expect(lo.code, lo.stderr).toBe(0);
    const qs = json<Record<string, unknown>>(qo);
    const ls = json<Record<string, unknown>>(lo);
    expect(JSON.stringify({ ...qs, sweepId: null })).toBe(JSON.stringify({ ...ls, sweepId: null }));
    expect((await sql('SELECT id FROM sweeps WHERE id = $1', [qs.sweepId])).length).toBe(1);
    expect((await sql('SELECT id FROM sweep_results WHERE sweep_id = $1', [qs.sweepId])).length).toBe(9);

    // the text output too: the same table and chart, but for the backtest's id and trade log
    const text = ['backtest', 'macd', '--timeframe', '15m'];
    const qt = await runCli([...text, ...trades(), '--queue'], { db: db.url });
    const lt = await runCli([...text, ...trades()], { db: db.url });
    expect(qt.code, qt.stderr).toBe(0);
    const body = (out: string) => out.split('\n').filter((l) => !/^backtest [0-9a-f]{8}|trade log/.test(l));
    expect(body(qt.stdout)).toEqual(body(lt.stdout));
    expect(qt.stdout).toMatch(/^backtest [0-9a-f]{8} {2}macd on BTC-USD/);
    expect(qt.stdout).toContain('equity: strategy vs buy & hold');
    expect(await w.exited).toBe(0);
    expect(w.out).toMatch(/taken backtest job/);
    expect(w.out).toMatch(/done job/);
    expect(w.out).toMatch(/stopped: 3 job\(s\) done, 0 failed/);
  });

  it('a strategy that fails on the worker exits as the local run does (exit 9)', async () => {
    const file = join(t.dir, 'throws.js');
    writeFileSync(
      file,
      `export default { id: 'thrower', description: 'throws', params: [], create() { return { warmup: 1, onCandle() { throw new Error('boom'); } }; } };`,
    );
    const w = startWorker('--once', '--lease', '3');
    const r = await runCli(['backtest', file, ...trades(), '--queue'], { db: db.url });
    const local = await runCli(['backtest', file, ...trades()], { db: db.url });
    expect(r.code, r.stderr).toBe(local.code);
    expect(r.code).toBe(9);
    expect(r.stderr).toMatch(/boom/);
    expect(await w.exited).toBe(0);
    expect(w.out).toMatch(/failed job/);
  });
});

describe('a worker that stops or dies mid-job', () => {
  it('Ctrl-C on the command following a job cancels it; its worker drops it, writing nothing', async () => {
    const slow = join(t.dir, 'slow-cancel.js');
    writeFileSync(
      slow,
      `export default { id: 'slow_cancel', description: 'slow', params: [], create() { return { warmup: 1, onCandle() { const end = Date.now() + 40; while (Date.now() < end); return 'hold'; } }; } };`,
    );
    const w = startWorker('--once', '--lease', '2');
    const client = spawn(process.execPath, [BIN, '--db', db.url, 'backtest', slow, ...trades(), '--queue'], { env: cleanEnv() });
    children.push(client);
    let err = '';
    client.stderr.on('data', (d: Buffer) => (err += String(d)));
    const exited = new Promise<number | null>((res) => client.on('close', (code) => res(code)));
    await waitFor('the job to run', () => err.includes(': running on'));
    client.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(err).toMatch(/backtest job [0-9a-f]{8} canceled; nothing was written/);
    await waitFor('the worker to drop the job', () => w.out.includes('dropped job'));
    w.child.kill('SIGTERM');
    await w.exited;
    expect((await sql("SELECT id FROM backtests WHERE strategy_id = 'slow_cancel'")).length).toBe(0);
  });

  it('SIGTERM hands the job back, SIGKILL leaves it to expire; the next worker completes it once', async () => {
    // a strategy slow enough to be caught mid-run: ~40 ms per 1h candle, 72 candles
    const slow = join(t.dir, 'slow.js');
    writeFileSync(
      slow,
      `export default { id: 'slow_hold', description: 'slow', params: [], create() { return { warmup: 1, onCandle() { const end = Date.now() + 40; while (Date.now() < end); return 'hold'; } }; } };`,
    );
    const sent = await runCli(['backtest', slow, ...trades(), '--queue', '--detach', '--json'], { db: db.url });
    expect(sent.code, sent.stderr).toBe(0);
    const { jobId } = json<{ jobId: string }>(sent);
    const state = async () => (await sql<{ state: string }>('SELECT state FROM pgboss.job WHERE id = $1', [jobId]))[0]?.state;
    expect(await state()).toBe('created');

    const a = startWorker('--lease', '2');
    await waitFor('worker A to take the job', () => a.out.includes('taken backtest job'));
    a.child.kill('SIGTERM');
    expect(await a.exited).toBe(130);
    expect(a.out).toMatch(/released job/);
    expect(await state()).toBe('created');

    const b = startWorker('--lease', '2');
    await waitFor('worker B to take the job', () => b.out.includes('taken backtest job'));
    b.child.kill('SIGKILL');
    await b.exited;
    expect(await state()).toBe('active'); // until its lease runs out

    const c = startWorker('--once', '--lease', '2');
    expect(await c.exited).toBe(0);
    expect(c.out).toMatch(/taken backtest job .*\(attempt 2\)/);
    expect(c.out).toMatch(/stopped: 1 job\(s\) done/);
    expect(await state()).toBe('completed');
    const rows = await sql('SELECT status FROM backtests WHERE id = $1', [jobId]);
    expect(rows).toEqual([{ status: 'completed' }]);
    expect((await sql("SELECT id FROM backtests WHERE strategy_id = 'slow_hold'")).length).toBe(1);
  });
});

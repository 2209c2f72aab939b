/**
 * `backtest --queue` and `optimize --queue`: send the request the local command would run to
 * the queue (app/queue.ts), follow it (a line on stderr per state change and per 10 %), then
 * print what the local command prints, or exit as it would. `--detach` only sends and prints
 * the job's id. Ctrl-C while following cancels the job.
 */
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { tradeLogDir } from '../../store/paths.ts';
import { TunicoinError } from '../../core/errors.ts';
import type { JobStatus, JobUpdate } from '../../app/queue.ts';
import type { JobData, JobError, JobOutput, StoredOutput } from '../../app/queue-jobs.ts';
import type { PgStore } from '../../store/pg/store.ts';
import type { Store } from '../../store/db.ts';
import type { Context } from '../context.ts';
import { renderJson } from '../render/json.ts';

export interface QueueFlags {
  queue?: boolean;
  detach?: boolean;
}

/** The store of a --queue command: PostgreSQL (checked on the --db value before, see assertQueueDatabase). */
export function pgStore(store: Store): PgStore {
  if (store.dialect !== 'postgres') throw new TunicoinError('usage', '--queue needs a PostgreSQL database');
  return store;
}

/** A new job's id, and a backtest's default trade log path under it (as the local run names it). */
export function newJob(store: Store, trades: string | undefined, env: NodeJS.ProcessEnv): { id: string; tradesPath: string } {
  const id = randomUUID();
  return { id, tradesPath: resolve(trades ?? join(tradeLogDir(store, env), `${id}.csv`)) };
}

/** Send the job and, unless detached, follow it to its end: its output, or the local command's error. */
export async function sendAndFollow(
  ctx: Context,
  store: PgStore,
  id: string,
  data: JobData,
  flags: QueueFlags,
  onInterrupt: (fn: () => void) => void,
): Promise<JobOutput | null> {
  const { checkJob, errorOf, outputOf, sentJob } = await import('../../app/queue-jobs.ts');
  checkJob(store, data);
  const { openQueue, followJob } = await import('../../app/queue.ts');
  const queue = await openQueue(store.url, { supervise: false, onError: (e) => ctx.note(`queue: ${e.message}`) });
  const what = `${data.kind} job ${id.slice(0, 8)}`;
  try {
    await queue.send(id, sentJob(data));
    if (flags.detach) {
      ctx.note(`queued ${what}; a worker will run it (\`tunicoin worker\`)`);
      ctx.print(ctx.json ? renderJson({ jobId: id, kind: data.kind, state: 'created' }) : id);
      return null;
    }
    ctx.note(`queued ${what}; waiting for a worker (\`tunicoin worker\`)`);
    const stop = new AbortController();
    onInterrupt(() => stop.abort());
    const final = await followJob(queue, id, printer(ctx, what), stop.signal);
    if (!final) {
      await queue.cancel(id);
      throw new TunicoinError('interrupted', `${what} canceled; nothing was written`);
    }
    return resultOf(final, what, (o) => outputOf(o), errorOf);
  } finally {
    await queue.stop();
  }
}

function resultOf(final: JobStatus, what: string, outputOf: (o: StoredOutput) => JobOutput, errorOf: (e: JobError) => Error): JobOutput {
  const stored = final.output as StoredOutput | null;
  if (final.state === 'cancelled') throw new TunicoinError('conflict', `${what} was cancelled`);
  if (stored && typeof stored === 'object' && 'ok' in stored) {
    const out = outputOf(stored);
    if (!out.ok) throw errorOf(out.error);
    if (final.state === 'completed') return out;
  }
  throw new TunicoinError('conflict', `${what} failed after its retries (its workers died or lost the job)`);
}

/** The follower's lines: one per state change, per worker and per 10 % of progress. */
function printer(ctx: Context, what: string): (u: JobUpdate) => void {
  let last = '';
  return (u) => {
    const tenth = u.progress === null ? null : Math.floor(u.progress * 10) * 10;
    const key = `${u.state}|${u.attempt}|${u.worker ?? ''}|${tenth ?? ''}`;
    if (key === last) return;
    const was = last;
    last = key;
    if (u.state === 'active') {
      if (!was.startsWith(`active|${u.attempt}|${u.worker ?? ''}|`))
        ctx.note(`${what}: running${u.worker ? ` on ${u.worker}` : ''}${u.attempt > 1 ? ` (attempt ${u.attempt})` : ''}`);
      if (tenth !== null && tenth > 0) ctx.note(`${what}: ${tenth}%`);
    } else if (was !== '') {
      ctx.note(`${what}: back in the queue (${u.state}): its worker stopped or was lost`);
    }
  };
}

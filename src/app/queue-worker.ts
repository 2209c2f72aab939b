/**
 * `tunicoin worker`: take jobs from the queue one at a time and run them on this process's
 * store, until stopped or after --max-jobs. While a job runs, its lease is renewed with its
 * progress (store/queue-jobs.ts); a worker asked to stop (SIGINT/SIGTERM) ends the run
 * without writing anything and hands the job back at once; a worker that dies leaves it to
 * expire and be retried by another (see app/queue.ts for the timings).
 */
import { TunicoinError } from '../core/errors.ts';
import type { PgStore } from '../store/pg/store.ts';
import { openQueue, POLL_SECONDS, workerName, type QueuedJob } from './queue.ts';
import { jobDataOf, jobError, runJob, storedOutput, type JobData, type SentJob } from './queue-jobs.ts';

export type WorkerEvent =
  | { readonly type: 'ready'; readonly worker: string }
  | { readonly type: 'taken'; readonly id: string; readonly data: JobData; readonly attempt: number }
  | { readonly type: 'done'; readonly id: string; readonly ms: number }
  | { readonly type: 'failed'; readonly id: string; readonly message: string; readonly retried: boolean }
  | { readonly type: 'released'; readonly id: string }
  | { readonly type: 'lost'; readonly id: string }
  | { readonly type: 'error'; readonly message: string };

export interface WorkerOptions {
  /** Stop after this many jobs finished (done or failed); none = until stopped. */
  readonly maxJobs?: number;
  /** Seconds a silent worker keeps its job (the lease it renews). */
  readonly leaseSeconds: number;
  /** Aborted by SIGINT/SIGTERM: stop taking jobs, hand back the current one. */
  readonly stop: AbortSignal;
  readonly nowIso: () => string;
  readonly on: (e: WorkerEvent) => void;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((res) => {
    if (signal.aborted) return res();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      res();
    }
    signal.addEventListener('abort', done);
  });

/** A job's failure that a retry would not change (bad input, a strategy's error): answered, not retried. */
const final = (e: unknown): boolean => e instanceof TunicoinError && e.kind !== 'database' && e.kind !== 'interrupted';

export async function runWorker(store: PgStore, opts: WorkerOptions): Promise<{ done: number; failed: number }> {
  const worker = workerName();
  const queue = await openQueue(store.url, {
    supervise: true,
    leaseSeconds: opts.leaseSeconds,
    onError: (e) => opts.on({ type: 'error', message: e.message }),
  });
  const counts = { done: 0, failed: 0 };
  try {
    opts.on({ type: 'ready', worker });
    while (!opts.stop.aborted && (opts.maxJobs === undefined || counts.done + counts.failed < opts.maxJobs)) {
      const job = await queue.take<SentJob>();
      if (!job) {
        await sleep(POLL_SECONDS * 1000, opts.stop);
        continue;
      }
      await work(job);
    }
  } finally {
    await queue.stop();
  }
  return counts;

  async function work(sent: QueuedJob<SentJob>): Promise<void> {
    let data: JobData;
    try {
      data = jobDataOf(sent.data);
    } catch (e) {
      // not a job this tunicoin can read (sent by another version?): answered, not retried
      const message = `unreadable job: ${(e as Error).message}`;
      await queue.complete(sent.id, { ok: false, error: { kind: 'usage', message } });
      counts.failed++;
      return opts.on({ type: 'failed', id: sent.id, message, retried: false });
    }
    const job = { ...sent, data };
    opts.on({ type: 'taken', id: job.id, data: job.data, attempt: job.retryCount + 1 });
    const started = performance.now();
    const abort = new AbortController();
    const onStop = () => abort.abort();
    opts.stop.addEventListener('abort', onStop);
    let progress = 0;
    let lost = false;
    const renew = async () => {
      if (lost) return;
      const ok = await queue.renew(job.id, opts.leaseSeconds, { progress: Math.round(progress * 1e4) / 1e4, worker });
      if (!ok && !abort.signal.aborted) {
        lost = true; // cancelled, or expired and retried elsewhere: not ours to finish
        abort.abort();
      }
    };
    const beat = () => void renew().catch((e: Error) => opts.on({ type: 'error', message: `renewing the lease: ${e.message}` }));
    await renew();
    const timer = setInterval(beat, (opts.leaseSeconds * 1000) / 3);
    try {
      let output;
      try {
        output = lost
          ? null
          : await runJob(store, job.id, job.data, { onProgress: (f) => (progress = f), signal: abort.signal, nowIso: opts.nowIso });
      } catch (e) {
        clearInterval(timer);
        if (lost) return opts.on({ type: 'lost', id: job.id });
        if (final(e)) {
          await queue.complete(job.id, { ok: false, error: jobError(e) });
        } else {
          await queue.fail(job.id, { ok: false, error: jobError(e) }); // pg-boss retries it (retryLimit)
        }
        counts.failed++;
        return opts.on({ type: 'failed', id: job.id, message: (e as Error).message, retried: !final(e) });
      }
      clearInterval(timer);
      if (output === null) {
        if (lost) return opts.on({ type: 'lost', id: job.id });
        await queue.release(job.id, { released: true, worker });
        return opts.on({ type: 'released', id: job.id });
      }
      await queue.complete(job.id, storedOutput(output));
      counts.done++;
      opts.on({ type: 'done', id: job.id, ms: Math.round(performance.now() - started) });
    } finally {
      clearInterval(timer);
      opts.stop.removeEventListener('abort', onStop);
    }
  }
}

/**
 * `tunicoin worker`: run queued backtests and sweeps (app/queue-worker.ts) and say what it
 * does, a line per event (with --json, a JSON object per line) on stdout. SIGINT/SIGTERM stop
 * it cleanly: the current job is handed back to the queue, unfinished and unwritten.
 */
import { UsageError } from '../../core/errors.ts';
import { toIso } from '../../core/time.ts';
import type { WorkerEvent } from '../../app/queue-worker.ts';
import { parsePositiveInt } from '../args.ts';
import type { Context } from '../context.ts';
import { pgStore } from './queued.ts';

export interface WorkerFlags {
  maxJobs?: string;
  once?: boolean;
  lease?: string;
}

const short = (id: string) => id.slice(0, 8);

function describe(e: WorkerEvent): string {
  switch (e.type) {
    case 'ready':
      return `worker ${e.worker} ready; waiting for jobs`;
    case 'taken': {
      const d = e.data;
      const s = d.settings;
      return `taken ${d.kind} job ${short(e.id)}: ${d.strategyRef} on ${s.symbol} ${s.timeframe}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`;
    }
    case 'done':
      return `done job ${short(e.id)} in ${e.ms} ms`;
    case 'failed':
      return `failed job ${short(e.id)}: ${e.message}${e.retried ? ' (to be retried)' : ''}`;
    case 'released':
      return `released job ${short(e.id)} back to the queue`;
    case 'lost':
      return `dropped job ${short(e.id)}: cancelled, or its lease ran out and another worker has it`;
    case 'error':
      return `queue error: ${e.message}`;
  }
}

export async function worker(ctx: Context, flags: WorkerFlags, onInterrupt: (fn: () => void) => void): Promise<void> {
  const { assertQueueDatabase } = await import('../../app/queue-jobs.ts');
  assertQueueDatabase(ctx.dbPath.path, 'tunicoin worker');
  if (flags.once && flags.maxJobs !== undefined) throw new UsageError('--once and --max-jobs: give one of them');
  const maxJobs = flags.once ? 1 : flags.maxJobs === undefined ? undefined : parsePositiveInt(flags.maxJobs, '--max-jobs');
  const { DEFAULT_LEASE_SECONDS } = await import('../../app/queue.ts');
  const leaseSeconds = flags.lease === undefined ? DEFAULT_LEASE_SECONDS : parsePositiveInt(flags.lease, '--lease', { max: 3600 });
  const store = pgStore(await ctx.store());
  const stop = new AbortController();
  onInterrupt(() => stop.abort());
  const { runWorker } = await import('../../app/queue-worker.ts');
  const say = (e: WorkerEvent) => {
    const time = toIso(ctx.now());
    if (ctx.json) {
      const { data, ...rest } = e as WorkerEvent & { data?: unknown };
      ctx.print(JSON.stringify({ time, ...rest, ...(data ? { job: data } : {}) }));
    } else if (e.type === 'error') ctx.note(`${time} ${describe(e)}`);
    else ctx.print(`${time} ${describe(e)}`);
  };
  const counts = await runWorker(store, { maxJobs, leaseSeconds, stop: stop.signal, nowIso: () => toIso(ctx.now()), on: say });
  const line = `stopped: ${counts.done} job(s) done, ${counts.failed} failed`;
  if (ctx.json) ctx.print(JSON.stringify({ time: toIso(ctx.now()), type: 'stopped', ...counts }));
  else ctx.print(`${toIso(ctx.now())} ${line}`);
}

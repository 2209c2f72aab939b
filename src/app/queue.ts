/**
 * The job queue of `tunicoin worker`, `backtest --queue` and `optimize --queue`: pg-boss 10 on
 * the PostgreSQL server of the database, its tables in their own schema (`pgboss`), never in
 * tunicoin's. pg-boss is loaded here only, on first use (a dynamic import; it is external to
 * every bundle), so neither SQLite nor the everyday commands ever load it. It gets connections
 * of its own (asynchronous), apart from the store's synchronous one.
 *
 * One queue, `tunicoin-jobs`; its settings (QUEUE_SETTINGS) and the lease a worker renews
 * (store/queue-jobs.ts) decide how fast a killed worker's job comes back:
 * - a job is first leased for `expireInSeconds` (60 s); the worker that takes it renews the
 *   lease every lease/3 seconds to its own `--lease` (30 s by default), with its progress;
 * - pg-boss's maintenance (every `maintenanceIntervalSeconds`: a third of the lease, at least
 *   1 s, at most 10 s, run by one worker at a time) fails a job whose lease ran out and, with
 *   `retryLimit` 3 and `retryDelay` 0, puts it straight back: a killed worker's job is taken
 *   again within about lease + lease/3 + the polling interval (1 s);
 * - a worker asked to stop hands its job back at once (releaseJob), without spending a retry.
 */
import { hostname } from 'node:os';
import { DatabaseError } from '../core/errors.ts';
import { releaseJob, renewJobLease } from '../store/queue-jobs.ts';

export const QUEUE_NAME = 'tunicoin-jobs';

/** The queue's pg-boss settings (createQueue; also each job's, at send). */
export const QUEUE_SETTINGS = {
  /** The lease of a job until its worker first renews it. */
  expireInSeconds: 60,
  /** Expiries (a killed or lost worker) before the job fails for good. */
  retryLimit: 3,
  /** A job whose worker died is taken again at once. */
  retryDelay: 0,
  retryBackoff: false,
  /** Finished jobs (and their output) are kept a week. */
  retentionMinutes: 7 * 24 * 60,
} as const;

/** How long a silent worker keeps its job, by default (`tunicoin worker --lease`). */
export const DEFAULT_LEASE_SECONDS = 30;
/** How often an idle worker asks for a job. */
export const POLL_SECONDS = 1;

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export interface QueuedJob<T> {
  readonly id: string;
  readonly data: T;
  readonly retryCount: number;
}

export interface JobStatus {
  readonly state: JobState;
  readonly retryCount: number;
  readonly output: unknown;
}

/** A connection to the queue (see openQueue). */
export interface Queue {
  send(id: string, data: object): Promise<void>;
  status(id: string): Promise<JobStatus | null>;
  /** The next job waiting, now taken by this process, or null. */
  take<T>(): Promise<QueuedJob<T> | null>;
  complete(id: string, output: object): Promise<void>;
  fail(id: string, output: object): Promise<void>;
  /** Renew the lease and record progress; false when the job is no longer ours. */
  renew(id: string, leaseSeconds: number, progress: object): Promise<boolean>;
  release(id: string, note: object): Promise<boolean>;
  cancel(id: string): Promise<void>;
  stop(): Promise<void>;
}

/** What names this worker in messages and in a job's progress. */
export const workerName = (): string => `${hostname()}:${process.pid}`;

/**
 * Connect to the queue of the database at `url` (PgStore#url), installing pg-boss's schema and
 * the queue on first use. A worker (`supervise`) also runs pg-boss's maintenance.
 */
export async function openQueue(
  url: string,
  opts: { supervise: boolean; leaseSeconds?: number; onError: (e: Error) => void },
): Promise<Queue> {
  const { default: PgBoss } = await import('pg-boss');
  const lease = opts.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  const boss = new PgBoss({
    connectionString: url,
    schema: 'pgboss',
    max: 2,
    application_name: 'tunicoin-queue',
    supervise: opts.supervise,
    schedule: false,
    maintenanceIntervalSeconds: Math.min(10, Math.max(1, Math.round(lease / 3))),
  });
  boss.on('error', opts.onError);
  try {
    await boss.start();
    await boss.createQueue(QUEUE_NAME, { name: QUEUE_NAME, policy: 'standard', ...QUEUE_SETTINGS });
  } catch (e) {
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    throw new DatabaseError(`cannot use the job queue: ${(e as Error).message}`, 'check that the PostgreSQL server is up and reachable');
  }
  const db = boss.getDb();
  return {
    async send(id, data) {
      await boss.send(QUEUE_NAME, data, { id, ...QUEUE_SETTINGS });
    },
    async status(id) {
      const j = await boss.getJobById(QUEUE_NAME, id, { includeArchive: true });
      return j ? { state: j.state, retryCount: j.retryCount, output: j.output ?? null } : null;
    },
    async take<T>() {
      const [j] = await boss.fetch<T>(QUEUE_NAME, { batchSize: 1, includeMetadata: true });
      return j ? { id: j.id, data: j.data, retryCount: j.retryCount } : null;
    },
    complete: (id, output) => boss.complete(QUEUE_NAME, id, output),
    fail: (id, output) => boss.fail(QUEUE_NAME, id, output),
    renew: (id, leaseSeconds, progress) => renewJobLease(db, QUEUE_NAME, id, leaseSeconds, progress),
    release: (id, note) => releaseJob(db, QUEUE_NAME, id, note),
    cancel: (id) => boss.cancel(QUEUE_NAME, id),
    stop: () => boss.stop({ graceful: false, wait: true, close: true }),
  };
}

/** What the command following a job sees at each poll. */
export interface JobUpdate {
  readonly state: JobState;
  /** 1 for the first worker to take it, 2 after a retry, ... */
  readonly attempt: number;
  /** The running worker's progress (0..1), or null before any. */
  readonly progress: number | null;
  readonly worker: string | null;
}

const TERMINAL: readonly JobState[] = ['completed', 'failed', 'cancelled'];

/**
 * Poll a job until it ends: its final status, or null when `stop` was aborted first (the
 * caller cancels the job). `onUpdate` gets every poll; the caller prints the changes.
 */
export async function followJob(
  queue: Queue,
  id: string,
  onUpdate: (u: JobUpdate) => void,
  stop: AbortSignal,
  pollMs = 250,
): Promise<JobStatus | null> {
  for (;;) {
    if (stop.aborted) return null;
    const s = await queue.status(id);
    if (!s) throw new DatabaseError(`job ${id} is gone from the queue (deleted?)`);
    if (TERMINAL.includes(s.state)) return s;
    const out = (s.output ?? {}) as { progress?: unknown; worker?: unknown };
    onUpdate({
      state: s.state,
      attempt: s.retryCount + 1,
      progress: s.state === 'active' && typeof out.progress === 'number' ? out.progress : null,
      worker: typeof out.worker === 'string' ? out.worker : null,
    });
    await new Promise<void>((res) => {
      const t = setTimeout(done, pollMs);
      function done() {
        clearTimeout(t);
        stop.removeEventListener('abort', done);
        res();
      }
      stop.addEventListener('abort', done);
    });
  }
}

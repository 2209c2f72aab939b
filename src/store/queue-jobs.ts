/**
 * The few statements tunicoin runs on pg-boss's own job table (schema `pgboss`, never
 * tunicoin's), beyond pg-boss's API: a worker's lease and progress, and handing a job back.
 * They run on pg-boss's connection (its `executeSql`), asynchronously, not on the store.
 *
 * pg-boss 10 has no heartbeat: an active job expires `expire_in` after `started_on`. A worker
 * renews that lease while it works (started_on = now(), expire_in = its lease), so a job may
 * run for hours, yet a killed worker's job expires one lease after its last renewal and
 * pg-boss's maintenance hands it to another worker (retry).
 */

/** pg-boss's database access (PgBoss#getDb()). */
export interface QueueSql {
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

/** pg-boss's schema: its tables live there, apart from tunicoin's. */
export const QUEUE_SCHEMA = 'pgboss';

/**
 * Renew the lease of an active job and record its progress in the job's `output` (read by the
 * command that follows it). False when the job is no longer this worker's to run (cancelled,
 * or expired and handed to another worker): the worker then drops it.
 */
export async function renewJobLease(db: QueueSql, queue: string, id: string, leaseSeconds: number, progress: object): Promise<boolean> {
  const r = await db.executeSql(
    `UPDATE ${QUEUE_SCHEMA}.job SET started_on = now(), expire_in = make_interval(secs => $3), output = $4::jsonb
     WHERE name = $1 AND id = $2 AND state = 'active' RETURNING id`,
    [queue, id, leaseSeconds, JSON.stringify(progress)],
  );
  return r.rows.length === 1;
}

/**
 * Give an active job back to the queue as if never started (a worker asked to stop): the next
 * worker takes it at once, without spending one of its retries.
 */
export async function releaseJob(db: QueueSql, queue: string, id: string, note: object): Promise<boolean> {
  const r = await db.executeSql(
    `UPDATE ${QUEUE_SCHEMA}.job SET state = 'created', started_on = NULL, start_after = now(), output = $3::jsonb
     WHERE name = $1 AND id = $2 AND state = 'active' RETURNING id`,
    [queue, id, JSON.stringify(note)],
  );
  return r.rows.length === 1;
}

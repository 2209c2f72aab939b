/**
 * The jobs of the queue (app/queue.ts): what `backtest --queue` and `optimize --queue` send,
 * how a worker runs one on its own store with the existing use cases (runBacktestJob,
 * runResearch), and what it answers. A job's data is the request the local command would run,
 * as JSON; its output is what the local command prints (or the error it would exit with).
 *
 * Nothing is half-written: the backtest row (and its trade rows in the output) or the sweep
 * with its results are written at the end of the run in one transaction, keyed on the job's
 * id, so a job retried after its first worker died (perhaps after committing) writes them
 * once. The engine is deterministic: a retried run computes the same numbers.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { AuthError, StrategyError, TunicoinError, UsageError, type ErrorKind } from '../core/errors.ts';
import type { GridAxis } from '../core/strategy/grid.ts';
import { checkParam } from '../core/strategy/params.ts';
import type { Params } from '../core/strategy/types.ts';
import { toIso } from '../core/time.ts';
import { currentActor, setActorResolver } from '../store/actor.ts';
import { countCandles } from '../store/candles.ts';
import { isPostgresUrl } from '../store/db-target.ts';
import type { Store } from '../store/db.ts';
import { findInstrument } from '../store/instruments.ts';
import { userById } from '../store/users.ts';
import { candleWindow, runBacktestJob, type RunSettings } from './backtest.ts';
import { backtestPrint, type BacktestPrint } from './backtest-output.ts';
import type { RankMetric } from './optimize.ts';
import { runResearch, type ResearchResult } from './research.ts';
import { isStrategyPath, loadStrategy } from './strategy-loader.ts';

interface JobBase {
  /** The user who queued it (null: a database without users yet): the job runs as them. */
  readonly userId: string | null;
  /** A built-in id, or a strategy file's absolute path (the worker must reach it). */
  readonly strategyRef: string;
  readonly strategyTimeoutMs?: number;
  readonly settings: RunSettings;
}
export interface BacktestJobData extends JobBase {
  readonly kind: 'backtest';
  readonly params: Params;
  /** The trade log's path (absolute, on the machine that queued it); written there by the command that follows. */
  readonly tradesPath: string;
}
export interface SweepJobData extends JobBase {
  readonly kind: 'sweep';
  readonly baseParams: Record<string, string>;
  readonly grid: readonly GridAxis[];
  readonly metric: RankMetric;
  readonly minTrades: number;
  readonly trainPct?: number;
  readonly walkForward?: number;
  readonly windowMs?: number;
}
export type JobData = BacktestJobData | SweepJobData;

/**
 * A job's data as sent: the request as JSON text (jsonb, where pg-boss keeps it, would reorder
 * the keys of its objects, and the order of parameters shows in the output and the rows).
 */
export interface SentJob {
  readonly kind: JobData['kind'];
  readonly json: string;
}
export const sentJob = (d: JobData): SentJob => ({ kind: d.kind, json: JSON.stringify(d) });
export const jobDataOf = (s: SentJob): JobData => JSON.parse(s.json) as JobData;

export interface JobError {
  readonly kind: ErrorKind | 'internal';
  readonly message: string;
  readonly hint?: string;
}
export type JobOutput =
  | { readonly ok: true; readonly kind: 'backtest'; readonly print: BacktestPrint }
  | { readonly ok: true; readonly kind: 'sweep'; readonly result: ResearchResult; readonly workers: number }
  | { readonly ok: false; readonly error: JobError };

/**
 * A job's output as stored: the result as JSON text, since PostgreSQL's jsonb (where pg-boss
 * keeps it) reorders an object's keys, and --json must print them as the local run does.
 */
export type StoredOutput = { readonly ok: true; readonly json: string } | { readonly ok: false; readonly error: JobError };

export const storedOutput = (o: JobOutput): StoredOutput => (o.ok ? { ok: true, json: JSON.stringify(o) } : o);

export function outputOf(s: StoredOutput): JobOutput {
  return s.ok ? (JSON.parse(s.json) as JobOutput) : s;
}

/** `--queue` needs the database on a PostgreSQL server: checked before anything is opened. */
export function assertQueueDatabase(dbPath: string, what = '--queue'): void {
  if (!isPostgresUrl(dbPath))
    throw new UsageError(
      `${what} needs a PostgreSQL database: workers take jobs from a queue on the server`,
      `pass --db postgres://USER@HOST/DB (or set TUNICOIN_DB)${what === '--queue' ? ', or run without --queue' : ''}`,
    );
}

/**
 * What the local run would refuse before it starts, checked before the job is sent: the
 * instrument, its candles in the range, the grid's values. (The worker checks again.)
 */
export function checkJob(store: Store, data: JobData): void {
  const s = data.settings;
  const inst = findInstrument(store, s.symbol);
  const w = candleWindow(store, inst, s.timeframe, s.from, s.to);
  if (data.kind === 'backtest') {
    if (countCandles(store, inst.id, { from: w.from, to: w.to }, w.base) < 2)
      throw new UsageError(
        `no ${inst.symbol} candles between ${s.from ? toIso(w.from) : 'the start'} and ${toIso(w.to)}`,
        'seed or import candles, or widen --from/--to',
      );
  }
}

/** A sweep's grid values are checked against the strategy before the job is sent. */
export async function checkSweepGrid(data: SweepJobData): Promise<void> {
  const strategy = await loadStrategy(data.strategyRef, { timeoutMs: data.strategyTimeoutMs });
  for (const axis of data.grid) for (const v of axis.values) checkParam(strategy, axis.name, v);
}

/** An error as a job's output: what the command following the job exits with. */
export function jobError(e: unknown): JobError {
  if (e instanceof TunicoinError) return { kind: e.kind, message: e.message, ...(e.hint !== undefined ? { hint: e.hint } : {}) };
  return { kind: 'internal', message: e instanceof Error ? e.message : String(e) };
}

/** The job's error back as the error the local command would have thrown. */
export function errorOf(e: JobError): Error {
  return e.kind === 'internal' ? new Error(e.message) : new TunicoinError(e.kind, e.message, e.hint);
}

/** The worker's store acts as the user who queued the job (their rows, their plan). */
function actAs(store: Store, userId: string | null): void {
  setActorResolver(store, () => {
    if (userId === null) return null;
    const u = userById(store, userId);
    if (!u) throw new AuthError('the user who queued this job no longer exists');
    return { userId: u.id, email: u.email, isAdmin: u.is_admin === 1, planId: u.plan_id, via: 'session', allUsers: false };
  });
}

export interface JobHooks {
  readonly onProgress: (fraction: number) => void;
  /** Aborted: the worker stops (or lost the job); the run ends and writes nothing. */
  readonly signal: AbortSignal;
  readonly nowIso: () => string;
}

/**
 * Run one job on the worker's store; null when it was stopped (signal) before its end. Errors
 * the local command would exit with are thrown, as there.
 */
export async function runJob(store: Store, id: string, data: JobData, hooks: JobHooks): Promise<JobOutput | null> {
  actAs(store, data.userId);
  const strategy = await loadStrategy(data.strategyRef, { timeoutMs: data.strategyTimeoutMs });
  if (data.kind === 'backtest') {
    const report = await runBacktestJob(
      store,
      { ...data.settings, strategy, strategyRef: data.strategyRef, params: data.params, tradesPath: data.tradesPath },
      { onProgress: hooks.onProgress, shouldCancel: () => hooks.signal.aborted, nowIso: hooks.nowIso, deferred: { id } },
    );
    if (report.status === 'canceled') return null;
    return { ok: true, kind: 'backtest', print: backtestPrint(report, strategy.id, data.params) };
  }
  const workers = Math.max(1, availableParallelism());
  try {
    const result = await runResearch(
      store,
      {
        ...data.settings,
        strategy,
        strategyRef: data.strategyRef,
        baseParams: data.baseParams,
        grid: data.grid,
        metric: data.metric,
        workers,
        minTrades: data.minTrades,
        ...(data.trainPct !== undefined ? { trainPct: data.trainPct } : {}),
        ...(data.walkForward !== undefined ? { walkForward: data.walkForward, windowMs: data.windowMs } : {}),
        sweepId: id,
        signal: hooks.signal,
      },
      hooks.nowIso(),
      (d, t) => hooks.onProgress(t > 0 ? d / t : 0),
    );
    return { ok: true, kind: 'sweep', result, workers };
  } catch (e) {
    if (hooks.signal.aborted) return null;
    // As `optimize` does locally: a strategy file's failure crosses the thread pool as a plain Error (exit 9).
    if (isStrategyPath(data.strategyRef) && !(e instanceof TunicoinError))
      throw new StrategyError(`optimize ${strategy.id}: ${(e as Error).message ?? String(e)}`);
    throw e;
  }
}

/** The user a queued job runs as: the one acting here (null on a database without users). */
export function actingUserId(store: Store): string | null {
  return currentActor(store)?.userId ?? null;
}

/** A strategy file's path made absolute (a worker resolves it from its own folder); a built-in id as is. */
export function absoluteStrategyRef(ref: string): string {
  return isStrategyPath(ref) ? resolve(ref) : ref;
}

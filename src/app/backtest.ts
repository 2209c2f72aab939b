/**
 * `tunicoin backtest`: validate the inputs, load the candles, run the engine in slices while the
 * `backtests` row moves pending -> running (progress) -> completed / failed / canceled, then
 * write the trade log and the metrics. Writes are small transactions of their own so that a
 * reader sees the progress; nothing else is written until the run has completed.
 */
import { dirname, join, resolve } from 'node:path';
import { StrategyError, TunicoinError, UsageError } from '../core/errors.ts';
import { heartbeatBacktest } from '../store/backtest-liveness.ts';
import { insertBacktest, insertBacktestOnce, updateBacktest, type BacktestChange } from '../store/backtests.ts';
import { writeTradeLog } from './trade-log.ts';
import { outcomeTradesText, tradeRow, type TradeRow } from './trade-text.ts';
import { ensureOwner } from '../store/accounts.ts';
import { metricsOf, type RunMetrics } from '../engine/backtest-metrics.ts';
import type { OrderIssue } from '../engine/backtest-sink.ts';
import { warmupWindow } from '../engine/candle-buckets.ts';
import type { Candles } from '../core/candles.ts';
import { ppmToRate, qtyToFloat, type Money, type Ppm } from '../core/money.ts';
import { isoText } from '../core/iso-time.ts';

/** The longest warm-up a strategy may ask for, in candles of its timeframe. */
const MAX_WARMUP_BARS = 1_000_000;
import type { Params, Strategy } from '../core/strategy/types.ts';
import { TIMEFRAME_MS, toIso, type Timeframe } from '../core/time.ts';
import { BacktestRun, type BacktestOutcome } from '../engine/backtest.ts';
import { formatSizeSpec, type SizeSpec } from '../core/size-spec.ts';
import { baseTimeframe, loadCandles } from '../store/candles.ts';
import { getSetting } from '../store/settings.ts';
import type { Store } from '../store/db.ts';
import { uuidV4 } from '../store/random-ids.ts';
import { findInstrument, type Instrument } from '../store/instruments.ts';

/**
 * The candles a backtest or sweep runs over: the instrument's finest stored timeframe (1m for
 * the synthetic market, 1h/1d for imported history), never past the simulation clock.
 */
export function candleRange(store: Store, inst: Instrument, timeframe: Timeframe, fromReq?: number, toReq?: number) {
  const w = candleWindow(store, inst, timeframe, fromReq, toReq);
  return { ...w, candles: loadCandles(store, inst.id, { from: w.from, to: w.to }, w.base) };
}

/** The stored timeframe and the time range a backtest runs over (see candleRange), without loading. */
export function candleWindow(store: Store, inst: Instrument, timeframe: Timeframe, fromReq?: number, toReq?: number) {
  const base = baseTimeframe(store, inst.id);
  if (!base) throw new UsageError(`${inst.symbol} has no candles`, 'seed or import candles first');
  if (TIMEFRAME_MS[timeframe] < TIMEFRAME_MS[base])
    throw new UsageError(`${inst.symbol} only has ${base} candles: use --timeframe ${base} or longer`);
  const clockText = getSetting(store, 'clock');
  const clock = clockText === undefined ? Number.MAX_SAFE_INTEGER : Number(clockText);
  const to = Math.min(toReq ?? clock, clock); // nothing past the simulation clock exists yet
  const from = fromReq ?? -8.64e15;
  if (from > to) throw new UsageError(`--from ${toIso(from)} is after --to ${toIso(to)}`);
  return { from, to, base };
}

/** What a backtest and a sweep run on, besides the strategy. */
export interface RunSettings {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly from?: number;
  readonly to?: number;
  readonly capital: Money;
  readonly leverage: number;
  readonly sizing: SizeSpec;
  readonly makerFee: Ppm;
  readonly takerFee: Ppm;
  /** Days per year for annualising (default: 365 for crypto/forex, 252 for stocks, futures, CFDs). */
  readonly periodsPerYear?: number;
}

export interface BacktestRequest extends RunSettings {
  readonly strategy: Strategy;
  readonly strategyRef: string;
  readonly params: Params;
  /** Trade log destination (.csv or .json); default `<tradesDir>/<id>.csv`. */
  readonly tradesPath?: string;
  /**
   * The folder of default trade logs: by default `backtests/` next to a SQLite file; a PostgreSQL
   * database has no folder of its own, so there the caller names one (the CLI: the data dir,
   * $XDG_DATA_HOME/tunicoin/backtests), else `backtests/` in the working directory.
   */
  readonly tradesDir?: string;
  /** Make the trade list's --json text while writing a CSV trade log (BacktestReport.tradesJson). */
  readonly jsonTrades?: boolean;
}

export interface BacktestReport {
  readonly id: string;
  readonly status: 'completed' | 'canceled';
  readonly metrics: RunMetrics | null;
  readonly outcome: BacktestOutcome;
  readonly tradesPath: string | null;
  readonly instrument: Instrument;
  /** What the run wants said: the warm-up it had. */
  readonly notes: readonly string[];
  /** What went wrong without failing the run: a cold start, rejected or cut orders. */
  readonly warnings: readonly string[];
  /**
   * With BacktestRequest.jsonTrades: the text of the `trades` array of the --json output after
   * its opening "[\n" (trade-log.ts writeTradeLog), made with the CSV log; null when there is
   * none (a .json log, no trades) or when a trade's text would not print as it is (escapeControl).
   */
  readonly tradesJson?: readonly Buffer[] | null;
}

export class BacktestFailedError extends TunicoinError {
  constructor(
    readonly backtestId: string,
    message: string,
    cause?: unknown,
  ) {
    // A strategy's own failure (threw, invalid value, timed out) is exit 9; anything else a conflict.
    super(cause instanceof StrategyError ? 'strategy' : 'conflict', `backtest ${backtestId.slice(0, 8)} failed: ${message}`);
    this.name = 'BacktestFailedError';
  }
}

/** The stored candles before `from` that can warm a strategy with `warmup` candles up (empty without `from`). */
export function warmupHistory(
  store: Store,
  instrumentId: string,
  base: Timeframe,
  timeframe: Timeframe,
  from: number | undefined,
  warmup: number,
): Candles | undefined {
  if (from === undefined) return undefined;
  return loadCandles(store, instrumentId, warmupWindow(from, TIMEFRAME_MS[timeframe], warmup), base);
}

/** Lines about the warm-up, rejections and resizes of a run. */
export function runMessages(
  o: BacktestOutcome,
  symbol: string,
  timeframe: Timeframe,
  from: number | undefined,
): { notes: string[]; warnings: string[] } {
  const notes: string[] = [];
  const warnings: string[] = [];
  const w = o.warmup;
  if (from !== undefined) {
    if (w.candles >= w.wanted) notes.push(`warm-up: ${w.candles} ${timeframe} candles from ${toIso(w.from)}`);
    else
      warnings.push(
        `warm-up: only ${w.candles} of ${w.wanted} ${timeframe} candles stored before ${toIso(from)}; the strategy starts cold`,
      );
  }
  const { rejected, resized } = o.sink;
  if (rejected.length || resized.length) {
    const first = (rejected[0] ?? resized[0]) as OrderIssue;
    warnings.push(
      `${rejected.length} order${rejected.length === 1 ? '' : 's'} rejected, ${resized.length} resized; first at ${toIso(first.time)}: ${first.reason} (all in --json: rejections, resizes)`,
    );
  }
  if (rejected.length && o.sink.fills.length === 0) {
    warnings.push(
      `every order was rejected: ${(rejected[0] as OrderIssue).reason}; use more --capital, --leverage or a smaller --size for ${symbol}`,
    );
  }
  return { notes, warnings };
}

/** The rejected and resized orders of a run, for --json. */
export function orderIssues(o: BacktestOutcome) {
  const row = (i: OrderIssue) => ({
    time: isoText(i.time),
    side: i.side,
    size: qtyToFloat(i.size),
    requestedSize: i.requested === null ? null : qtyToFloat(i.requested),
    reason: i.reason,
    code: i.code,
    decision: i.decision,
  });
  return { rejections: o.sink.rejected.map(row), resizes: o.sink.resized.map(row) };
}

export interface RunHooks {
  onProgress?(fraction: number): void;
  /** Polled between slices: true cancels the run. */
  shouldCancel?(): boolean;
  nowIso(): string;
  /**
   * A queued run (app/queue-jobs.ts): the row takes the job's id and nothing is written during
   * the run; at the end the completed (or failed) row is written in one transaction, unless a
   * row with this id exists (a retried job already committed). A canceled run writes nothing.
   * The trade log file is left to the caller (the command that follows the job).
   */
  deferred?: { readonly id: string };
}

/** Slices of the run are sized to take about this long, so Ctrl-C is noticed quickly even with a slow strategy. */
const SLICE_MS = 50;
/**
 * The row's heartbeat and progress are written after a slice at most this often (the first
 * slice's always): still several times a second, not a commit per slice (a 1m run over a
 * million candles has some 25 slices in its first second).
 */
const HEARTBEAT_MS = 200;

/** A monotonic clock in ms: process.hrtime, already loaded (the global `performance` loads perf_hooks and worker_threads, 14 modules). */
function nowMs(): number {
  const [s, ns] = process.hrtime();
  return s * 1e3 + ns * 1e-6;
}

export async function runBacktestJob(store: Store, req: BacktestRequest, hooks: RunHooks): Promise<BacktestReport> {
  const inst = findInstrument(store, req.symbol);
  const { candles, from, to, base } = candleRange(store, inst, req.timeframe, req.from, req.to);
  if (candles.time.length < 2)
    throw new UsageError(
      `no ${inst.symbol} candles between ${req.from ? toIso(from) : 'the start'} and ${toIso(to)}`,
      'seed or import candles, or widen --from/--to',
    );
  const ownerId = store.tx(() => ensureOwner(store, hooks.nowIso()));

  const deferred = hooks.deferred;
  const id = deferred?.id ?? uuidV4(); // random, so a short prefix identifies it (node:crypto is not loaded for it)
  const paramsJson = JSON.stringify({
    ...req.params,
    _size: formatSizeSpec(req.sizing),
    _leverage: req.leverage,
    _feeMaker: ppmToRate(req.makerFee),
    _feeTaker: ppmToRate(req.takerFee),
    _strategy: req.strategyRef,
  });
  // pid + heartbeat (migration 004): if this process dies, the next open marks the row failed.
  const row = {
    id,
    user_id: ownerId,
    strategy_id: req.strategy.id,
    instrument_id: inst.id,
    timeframe: req.timeframe,
    params: paramsJson,
    start_date: toIso(candles.time[0] as number),
    end_date: toIso(candles.time[candles.time.length - 1] as number),
    initial_capital: req.capital,
    status: 'pending',
    progress: 0,
    created_at: hooks.nowIso(),
    pid: process.pid,
    heartbeat_at: hooks.nowIso(),
    ...(deferred ? { task_id: deferred.id } : {}),
  };
  if (!deferred) insertBacktest(store, row);
  let startedAt: string | null = null;
  const setStatus = (status: string, extra: Omit<BacktestChange, 'status'> = {}): void => {
    if (!deferred) updateBacktest(store, id, { status, ...extra });
    else if (status === 'running') startedAt = extra.started_at ?? null;
    else if (status !== 'canceled') store.tx(() => insertBacktestOnce(store, { ...row, started_at: startedAt, ...extra, status }));
  };

  let run: BacktestRun;
  // the progress after the last slice when its heartbeat was not written (HEARTBEAT_MS)
  let unwritten: number | null = null;
  try {
    const strategy = req.strategy.create(req.params);
    const history = warmupHistory(
      store,
      inst.id,
      base,
      req.timeframe,
      req.from,
      typeof strategy.warmup === 'number' && strategy.warmup >= 1 ? Math.min(strategy.warmup, MAX_WARMUP_BARS) : 1,
    );
    run = new BacktestRun({
      candles,
      instrumentId: inst.id,
      spec: inst,
      timeframe: req.timeframe,
      strategy,
      strategyId: req.strategy.id,
      capital: req.capital,
      leverage: req.leverage,
      maxLeverage: Math.max(req.leverage, 1),
      makerFee: req.makerFee,
      takerFee: req.takerFee,
      sizing: req.sizing,
      baseMs: TIMEFRAME_MS[base],
      until: to,
      history,
    });
    setStatus('running', { started_at: hooks.nowIso() });
    let slice = 256; // 1m candles per slice, adapted to the strategy's speed (results do not depend on it)
    let beatAt = -Infinity;
    for (;;) {
      const t0 = nowMs();
      const done = run.advance(slice);
      const t1 = nowMs();
      const ms = t1 - t0;
      if (ms < SLICE_MS / 2 && slice < 1 << 22) slice *= 2;
      else if (ms > SLICE_MS * 2 && slice > 1) slice = Math.max(1, Math.floor(slice / 2));
      hooks.onProgress?.(run.progress);
      const progress = Math.round(run.progress * 1e4) / 1e4;
      const beat = () => {
        if (!deferred) heartbeatBacktest(store, id, progress, hooks.nowIso());
        beatAt = t1;
        unwritten = null;
      };
      // the last progress is always written (done, canceled, or failed below)
      if (done || t1 - beatAt >= HEARTBEAT_MS) beat();
      else unwritten = progress;
      if (done) break;
      if (hooks.shouldCancel?.()) {
        if (beatAt !== t1) beat();
        setStatus('canceled', { completed_at: hooks.nowIso(), error_message: 'canceled by the user' });
        return {
          id,
          status: 'canceled',
          metrics: null,
          outcome: run.outcome(),
          tradesPath: null,
          instrument: inst,
          notes: [],
          warnings: [],
        };
      }
      await new Promise((r) => setImmediate(r)); // let Ctrl-C be noticed between slices
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (unwritten !== null && !deferred) heartbeatBacktest(store, id, unwritten, hooks.nowIso());
    setStatus('failed', { completed_at: hooks.nowIso(), error_message: message });
    throw new BacktestFailedError(id, message, e);
  }

  const outcome = run.outcome();
  const metrics = metricsOf(outcome, req.capital, req.timeframe, {
    spec: inst,
    takerFee: req.takerFee,
    periodsPerYear: req.periodsPerYear,
  });
  const tradesDir = req.tradesDir ?? (store.dialect === 'sqlite' ? join(dirname(store.path), 'backtests') : 'backtests');
  const tradesPath = resolve(req.tradesPath ?? join(tradesDir, `${id}.csv`));
  let tradesJson: Buffer[] | null = null;
  try {
    if (!deferred) {
      const text = outcomeTradesText(outcome);
      tradesJson = writeTradeLog(tradesPath, text, { json: req.jsonTrades === true });
      if (!text.clean) tradesJson = null;
    }
  } catch (e) {
    setStatus('failed', { completed_at: hooks.nowIso(), error_message: `cannot write the trade log: ${(e as Error).message}` });
    throw e;
  }
  setStatus('completed', { progress: 1, completed_at: hooks.nowIso(), metrics: JSON.stringify(metrics), trade_log_url: tradesPath });
  return {
    id,
    status: 'completed',
    metrics,
    outcome,
    tradesPath,
    instrument: inst,
    ...runMessages(outcome, inst.symbol, req.timeframe, req.from),
    tradesJson,
  };
}

export { TRADE_COLUMNS, tradeRow, type TradeRow } from './trade-text.ts';

export function tradeRows(o: BacktestOutcome): TradeRow[] {
  return o.sink.trades.map(tradeRow);
}

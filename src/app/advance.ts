/**
 * Advancing the market, with the running bots, in slices of at most one simulated day: each
 * slice is one write transaction, so a long run that is killed keeps every finished day and
 * loses nothing half-written; running it again continues from the clock it reached.
 */
import { UsageError } from '../core/errors.ts';
import type { EntryType } from '../core/ledger.ts';
import type { Money } from '../core/money.ts';
import { DAY_MS, toIso } from '../core/time.ts';
import type { DecisionRecord } from '../engine/bot-runner.ts';
import type { EngineOrder } from '../engine/state.ts';
import type { InstrumentSpec } from '../core/instruments.ts';
import type { Store } from '../store/db.ts';
import { BotsDriver } from './bots.ts';
import { advanceMarket, withPaper } from './paper.ts';
import { accountNames, botStatuses, type BotStatusRow } from '../store/summaries.ts';

export interface AdvanceSummary {
  readonly from: number;
  readonly to: number;
  readonly bars: number;
  readonly generated: number;
  readonly fills: EngineOrder[];
  readonly journals: Array<{ accountId: string; type: EntryType; amount: Money; time: number; description: string }>;
  readonly decisions: DecisionRecord[];
  readonly instruments: Map<string, InstrumentSpec>;
  /** Why the clock stopped before the requested time (end of imported data), else null. */
  stopped: string | null;
  /** Trader account names by id (fills are shown with their account). */
  readonly accounts: Map<string, string>;
  /** Every bot whose status or circuit breaker changed during the run (any bot, not only one asked for). */
  readonly botChanges: BotChange[];
}

export interface BotChange {
  readonly botId: string;
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string | null;
}

/** Bots whose status or circuit breaker differ between two snapshots. */
export function botChangesBetween(before: readonly BotStatusRow[], after: readonly BotStatusRow[]): BotChange[] {
  const was = new Map(before.map((b) => [b.id, b]));
  const out: BotChange[] = [];
  for (const b of after) {
    const w = was.get(b.id);
    if (!w || (w.status === b.status && w.is_circuit_broken === b.is_circuit_broken)) continue;
    out.push({
      botId: b.id,
      name: b.name,
      from: w.status,
      to: b.status,
      reason: b.status === 'error' ? b.last_error : b.is_circuit_broken ? `circuit breaker: ${b.circuit_breaker_reason}` : null,
    });
  }
  return out;
}

export interface AdvanceHooks {
  onProgress?(done: number, total: number): void;
  /** After each committed slice. */
  onSlice?(summary: AdvanceSummary): void;
  /** Between slices: true stops after the current slice (Ctrl-C). */
  shouldStop?(): boolean;
}

export async function runAdvance(
  store: Store,
  wallNow: () => number,
  durationMs: number,
  hooks: AdvanceHooks = {},
  opts: { extendSynthetic?: boolean } = {},
): Promise<AdvanceSummary> {
  if (!(durationMs > 0)) throw new UsageError('the duration must be positive');
  if (durationMs > 366 * DAY_MS) throw new UsageError('advance at most 366 days at a time');
  const strategies = await BotsDriver.strategies(store);
  // Bots are loaded (their strategies rebuilt from history) and carried across slices while
  // nothing else touches them; each slice checks, in its transaction, that the clock and the
  // running bots are as this process left them. Another process's advance (or a bot started,
  // paused or stopped meanwhile) makes it rebuild them from the database: a concurrent
  // `market advance` never changes a bot's decisions.
  let bots: BotsDriver | null = null;
  let leftAt = NaN;
  let leftBots = '';
  const statusesBefore = botStatuses(store);
  const summary = {
    from: NaN,
    to: NaN,
    bars: 0,
    generated: 0,
    fills: [] as EngineOrder[],
    journals: [] as AdvanceSummary['journals'],
    decisions: [] as DecisionRecord[],
    instruments: new Map<string, InstrumentSpec>(),
    accounts: accountNames(store),
    botChanges: [] as BotChange[],
    stopped: null as string | null,
  };
  let left = durationMs;
  while (left > 0) {
    const slice = Math.min(left, DAY_MS);
    const done = durationMs - left;
    withPaper(store, wallNow, (s) => {
      if (Number.isNaN(summary.from)) summary.from = s.clock;
      if (!bots || s.clock !== leftAt || BotsDriver.signature(store) !== leftBots)
        bots = BotsDriver.load(store, s.engine, s.clock, strategies);
      const driver = bots;
      const rep = advanceMarket(
        store,
        s,
        slice,
        {
          beforeMinute: driver.runners.length ? (t) => driver.beforeMinute(s.engine, t) : undefined,
          onMinute: driver.runners.length ? (t) => driver.onMinute(s.engine, t) : undefined,
          onProgress: hooks.onProgress ? (d, t) => hooks.onProgress?.(done + (d / Math.max(1, t)) * slice, durationMs) : undefined,
        },
        { extendSynthetic: opts.extendSynthetic === true, nowIso: toIso(wallNow()), continuing: done > 0 },
      );
      driver.onClock(s.engine, rep.to);
      summary.to = rep.to;
      summary.stopped = rep.stopped;
      summary.bars += rep.bars;
      summary.generated += rep.generated;
      summary.fills.push(...s.sink.filled);
      summary.journals.push(...s.sink.journals);
      summary.decisions.push(...driver.persist(toIso(wallNow()), new Set(s.sink.journals.map((j) => j.accountId))));
      leftAt = rep.to;
      leftBots = BotsDriver.signature(store);
      for (const i of s.state.instruments.values()) summary.instruments.set(i.id, i.spec);
    });
    left -= slice;
    summary.botChanges = botChangesBetween(statusesBefore, botStatuses(store));
    hooks.onSlice?.(summary);
    if (summary.stopped) break;
    if (left > 0 && hooks.shouldStop?.()) break;
    await new Promise((r) => setImmediate(r));
  }
  return summary;
}

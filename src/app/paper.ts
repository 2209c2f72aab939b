/**
 * Paper-trading use cases: each runs in ONE write transaction (BEGIN IMMEDIATE), loads the engine
 * state from SQLite, lets the engine act, persists what it did through the DbSink, and refreshes
 * the derived account columns. Nothing is half-written: an error rolls everything back.
 */
import { ConflictError, UsageError } from '../core/errors.ts';
import { DAY_MS, toIso } from '../core/time.ts';
import { accountMarks } from '../engine/accounting.ts';
import { Engine } from '../engine/engine.ts';
import { replay, type BarFeed, type ReplayHooks } from '../engine/replay.ts';
import type { EngineState } from '../engine/state.ts';
import { closeMinute } from '../core/market-data.ts';
import { baseTimeframe } from '../store/candles.ts';
import { candleSpan } from '../store/market-data.ts';
import { readClock, writeClock } from '../store/clock.ts';
import type { Store } from '../store/db.ts';
import { uuidV4 } from '../store/random-ids.ts';
import { DbSink, loadEngineState, writeAccountSnapshots } from './engine-store.ts';
import { extendImported, extendMarket } from './extend.ts';
import { listInstruments } from '../store/instruments.ts';
import { feedCandles } from './feeds.ts';
import { getSetting } from '../store/settings.ts';
import { isTraderAccount, traderAccountIds, traderAccountIdsLike, traderAccountsNamed } from '../store/accounts.ts';
import { normalizeIdPrefix, pickByIdPrefix } from '../core/ids.ts';
import { currentActor, scopeUserId } from '../store/actor.ts';

export interface PaperSession {
  readonly engine: Engine;
  readonly sink: DbSink;
  readonly state: EngineState;
  readonly clock: number;
}

/** Order and position ids are random (v4) so that a short prefix identifies them, like git. */
export const newRecordId = (): string => uuidV4();

/** What a use case touches: only these accounts (and their instruments) are loaded; all when omitted. */
export interface PaperScope {
  readonly accountIds?: readonly string[];
  readonly instrumentIds?: readonly string[];
}

export function withPaper<T>(store: Store, wallNow: () => number, fn: (s: PaperSession) => T, scope: PaperScope = {}): T {
  return store.tx(() => {
    const clock = readClock(store);
    const state = loadEngineState(store, clock, scope);
    const sink = new DbSink(store, () => toIso(wallNow()));
    const engine = new Engine(state, sink, newRecordId);
    const result = fn({ engine, sink, state, clock });
    writeAccountSnapshots(
      store,
      state,
      (a) => accountMarks(state, a),
      (p) => engine.unrealizedOf(p),
      toIso(state.clock),
    );
    return result;
  });
}

/**
 * Resolve --account NAME|ID-prefix, else the default account, else the only trader account, among
 * the acting user's accounts (another user's account is not found; see store/actor.ts).
 */
export function resolveAccountId(store: Store, nameOrId: string | undefined): string {
  const uid = scopeUserId(store);
  if (nameOrId !== undefined) {
    const byName = traderAccountsNamed(store, nameOrId, uid);
    if (byName.length === 1) return (byName[0] as { id: string }).id;
    if (byName.length > 1) {
      // several users' accounts of that name (--all-users): one's own first
      const mine = byName.find((a) => a.user_id === currentActor(store)?.userId);
      if (mine) return mine.id;
      throw new UsageError(`several users have an account named "${nameOrId}"`, 'give its id (see `tunicoin account list --all-users`)');
    }
    const p = normalizeIdPrefix(nameOrId) ?? '';
    const byId = p === '' ? [] : traderAccountIdsLike(store, p, uid).map((id) => ({ id }));
    return pickByIdPrefix('account', nameOrId, byId, 'see `tunicoin account list`').id;
  }
  // No --account: the acting user's own default or only account, also for an admin with --all-users.
  const own = currentActor(store)?.userId ?? null;
  for (const def of [own === null ? undefined : getSetting(store, `default_account:${own}`), getSetting(store, 'default_account')]) {
    if (def && isTraderAccount(store, def, own)) return def;
  }
  const all = traderAccountIds(store, own);
  if (all.length === 1) return all[0] as string;
  if (all.length === 0) throw new ConflictError('there is no trading account yet', 'run `tunicoin seed` or `tunicoin account create NAME`');
  throw new UsageError('several accounts exist: pass --account NAME', 'or set a default with `tunicoin account use NAME`');
}

export interface AdvanceReport {
  readonly from: number;
  readonly to: number;
  readonly bars: number;
  readonly generated: number;
  /** Set when the clock stopped early at the end of imported data. */
  readonly stopped: string | null;
}

export interface AdvanceOptions {
  /** Continue imported history past its end with the synthetic generator. */
  readonly extendSynthetic?: boolean;
  /** Wall-clock time for updated_at stamps. */
  readonly nowIso?: string;
  /** A later slice of a long advance: at the end of the data, report the stop instead of refusing. */
  readonly continuing?: boolean;
}

const day = (t: number): string => toIso(t).slice(0, 10);

/**
 * Where the clock must stop on its way from `from` to `to`: at the end of the imported history
 * it is replaying (an instrument whose data ends after `from`). A database of imported
 * instruments whose data has all ended cannot advance at all. Null: no stop.
 */
export function replayStop(store: Store, from: number, to: number): { at: number; message: string } | null {
  let stop: { at: number; message: string } | null = null;
  let exhausted: string | null = null;
  let anyLive = false;
  for (const inst of listInstruments(store)) {
    if (inst.origin === 'synthetic') {
      anyLive = true;
      continue;
    }
    const base = baseTimeframe(store, inst.id);
    const b = base ? candleSpan(store, inst.id, base) : undefined;
    if (!base || !b) continue;
    const end = closeMinute(b.last, base);
    const message = `${inst.symbol} has no data after ${day(b.last)}; the clock stopped there`;
    if (end > from) {
      anyLive = true;
      if (end < to && (!stop || end < stop.at)) stop = { at: end, message };
    } else {
      exhausted ??= message;
    }
  }
  if (!anyLive && exhausted) return { at: from, message: exhausted };
  return stop;
}

/**
 * Move the clock forward by `durationMs`: make sure candles exist (extending the synthetic
 * market where none are stored; imported history is never synthesized unless asked), then
 * replay every instrument's bars in time order through the engine. `hooks.onMinute` lets bots
 * act in time order with the rest of the engine. Replaying imported history stops at its end.
 */
export function advanceMarket(
  store: Store,
  s: PaperSession,
  durationMs: number,
  hooks: ReplayHooks = {},
  opts: AdvanceOptions = {},
): AdvanceReport {
  if (!(durationMs > 0)) throw new UsageError('the duration must be positive');
  if (durationMs > 366 * DAY_MS) throw new UsageError('advance at most 366 days at a time');
  const from = s.clock;
  let to = from + durationMs;
  let generated = 0;
  let stopped: string | null = null;
  const insts = listInstruments(store);
  if (opts.extendSynthetic) {
    for (const inst of insts) if (inst.origin === 'imported') generated += extendImported(store, inst, to, opts.nowIso ?? toIso(from));
  } else {
    const stop = replayStop(store, from, to);
    if (stop && stop.at <= from) {
      if (opts.continuing) return { from, to: from, bars: 0, generated: 0, stopped: stop.message };
      throw new ConflictError(stop.message, 'pass --extend synthetic to continue on a synthetic walk, or import more history');
    }
    if (stop) {
      to = stop.at;
      stopped = stop.message;
    }
  }
  const feeds: BarFeed[] = [];
  for (const inst of insts) {
    if (inst.origin === 'synthetic') generated += extendMarket(store, inst, to);
    const candles = feedCandles(store, inst.id, from, to);
    if (candles && candles.time.length > 0) feeds.push({ instrumentId: inst.id, candles });
  }
  const bars = replay(s.engine, feeds, hooks);
  s.state.clock = to;
  writeClock(store, to);
  return { from, to, bars, generated, stopped };
}

/** A sink that records nothing: for previews (what would this order cost?). */
const NULL_SINK = { orderCreated() {}, orderUpdated() {}, positionOpened() {}, positionUpdated() {}, positionClosed() {}, journal() {} };

/** Run `fn` on a throw-away engine loaded from the database; nothing is written. */
export function dryRun<T>(store: Store, fn: (engine: Engine) => T, scope: PaperScope = {}): T {
  const state = loadEngineState(store, readClock(store), scope);
  return fn(new Engine(state, NULL_SINK, newRecordId));
}

/**
 * Paper-trading use cases: each runs in ONE write transaction (BEGIN IMMEDIATE), loads the engine
 * state from SQLite, lets the engine act, persists what it did through the DbSink, and refreshes
 * the derived account columns. Nothing is half-written: an error rolls everything back.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, UsageError } from '../core/errors.ts';
import { DAY_MS, toIso } from '../core/time.ts';
import { accountMarks } from '../engine/accounting.ts';
import { Engine } from '../engine/engine.ts';
import { replay, type BarFeed, type ReplayHooks } from '../engine/replay.ts';
import type { EngineAccount, EngineState } from '../engine/state.ts';
import { loadCandles } from '../store/candles.ts';
import { readClock, writeClock } from '../store/clock.ts';
import type { Store } from '../store/db.ts';
import { DbSink, loadEngineState, writeAccountSnapshots } from '../store/engine-store.ts';
import { extendMarket } from '../store/extend.ts';
import { listInstruments } from '../store/instruments.ts';
import { getSetting } from '../store/settings.ts';
import { currentActor, scopeUserId } from '../store/actor.ts';

export interface PaperSession {
  readonly engine: Engine;
  readonly sink: DbSink;
  readonly state: EngineState;
  readonly clock: number;
}

/** Order and position ids are random (v4) so that a short prefix identifies them, like git. */
export const newRecordId = (): string => randomUUID();

/** What a use case touches: only these accounts (and their instruments) are loaded; all when omitted. */
export interface PaperScope { readonly accountIds?: readonly string[]; readonly instrumentIds?: readonly string[] }

export function withPaper<T>(store: Store, wallNow: () => number, fn: (s: PaperSession) => T, scope: PaperScope = {}): T {
  return store.tx(() => {
    const clock = readClock(store);
    const state = loadEngineState(store, clock, scope);
    const sink = new DbSink(store, () => toIso(wallNow()));
    const engine = new Engine(state, sink, newRecordId);
    const result = fn({ engine, sink, state, clock });
    writeAccountSnapshots(store, state, (a) => accountMarks(state, a), (p) => engine.unrealizedOf(p), toIso(state.clock));
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
    const byName = store.prepare("SELECT id, user_id FROM accounts WHERE kind = 'trader' AND name = ? AND (? IS NULL OR user_id = ?)").all(nameOrId, uid, uid) as { id: string; user_id: string }[];
    if (byName.length === 1) return (byName[0] as { id: string }).id;
    if (byName.length > 1) { // several users' accounts of that name (--all-users): one's own first
      const mine = byName.find((a) => a.user_id === currentActor(store)?.userId);
      if (mine) return mine.id;
      throw new UsageError(`several users have an account named "${nameOrId}"`, 'give its id (see `tunicoin account list --all-users`)');
    }
    const byId = store.prepare("SELECT id FROM accounts WHERE kind = 'trader' AND id LIKE ? || '%' AND (? IS NULL OR user_id = ?)").all(nameOrId.toLowerCase(), uid, uid) as { id: string }[];
    if (byId.length === 1 && nameOrId.length >= 4) return (byId[0] as { id: string }).id;
    throw new NotFoundError('account', nameOrId, 'see `tunicoin account list`');
  }
  // No --account: the acting user's own default or only account, also for an admin with --all-users.
  const own = currentActor(store)?.userId ?? null;
  for (const def of [own === null ? undefined : getSetting(store, `default_account:${own}`), getSetting(store, 'default_account')]) {
    if (def && store.prepare("SELECT 1 FROM accounts WHERE id = ? AND kind = 'trader' AND (? IS NULL OR user_id = ?)").get(def, own, own)) return def;
  }
  const all = store.prepare("SELECT id FROM accounts WHERE kind = 'trader' AND (? IS NULL OR user_id = ?)").all(own, own) as { id: string }[];
  if (all.length === 1) return (all[0] as { id: string }).id;
  if (all.length === 0) throw new ConflictError('there is no trading account yet', 'run `tunicoin seed` or `tunicoin account create NAME`');
  throw new UsageError('several accounts exist: pass --account NAME', 'or set a default with `tunicoin account use NAME`');
}

export function engineAccount(s: PaperSession, id: string): EngineAccount {
  return s.engine.account(id);
}

export interface AdvanceReport {
  readonly from: number;
  readonly to: number;
  readonly bars: number;
  readonly generated: number;
}

/**
 * Move the clock forward by `durationMs`: make sure candles exist (extending the synthetic
 * market where none are stored), then replay every instrument's 1m bars in time order through
 * the engine. `hooks.onMinute` lets bots act in time order with the rest of the engine.
 */
export function advanceMarket(store: Store, s: PaperSession, durationMs: number, hooks: ReplayHooks = {}): AdvanceReport {
  if (!(durationMs > 0)) throw new UsageError('the duration must be positive');
  if (durationMs > 366 * DAY_MS) throw new UsageError('advance at most 366 days at a time');
  const from = s.clock;
  const to = from + durationMs;
  let generated = 0;
  const feeds: BarFeed[] = [];
  for (const inst of listInstruments(store)) {
    generated += extendMarket(store, inst, to);
    const candles = loadCandles(store, inst.id, { from: from + 1, to });
    if (candles.time.length > 0) feeds.push({ instrumentId: inst.id, candles });
  }
  const bars = replay(s.engine, feeds, hooks);
  s.state.clock = to;
  writeClock(store, to);
  return { from, to, bars, generated };
}

/** A sink that records nothing: for previews (what would this order cost?). */
const NULL_SINK = { orderCreated() {}, orderUpdated() {}, positionOpened() {}, positionUpdated() {}, positionClosed() {}, journal() {} };

/** Run `fn` on a throw-away engine loaded from the database; nothing is written. */
export function dryRun<T>(store: Store, fn: (engine: Engine) => T, scope: PaperScope = {}): T {
  const state = loadEngineState(store, readClock(store), scope);
  return fn(new Engine(state, NULL_SINK, newRecordId));
}

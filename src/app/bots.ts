/**
 * Bots: creation, the status machine, and running them while the clock advances.
 *
 * Status transitions (anything else is refused with a clear error):
 *   start   idle | stopped -> running        pause   running -> paused
 *   resume  paused -> running (not while the circuit breaker is set)
 *   stop    running | paused | error -> stopped
 *   reset   clears the circuit breaker and the last error: paused | error -> paused
 * The engine trips a bot to paused (circuit breaker) or error (its strategy threw).
 */
import { ConflictError, UsageError } from '../core/errors.ts';
import { moneyToFloat, qtyToFloat, type Qty, type Money } from '../core/money.ts';
import { resolveParams } from '../core/strategy/params.ts';
import type { Params, Strategy } from '../core/strategy/types.ts';
import { DAY_MS, TIMEFRAME_MS, toIso, type Timeframe } from '../core/time.ts';
import { BotRunner, type DecisionRecord } from '../engine/bot-runner.ts';
import { Buckets, CandleFold, foldBuckets, warmupWindow } from '../engine/candle-buckets.ts';
import { checkWarmup } from '../core/strategy/decision.ts';
import { formatSizeSpec, parseSizeSpec } from '../core/size-spec.ts';
import type { Engine } from '../engine/engine.ts';
import { accountMarks } from '../engine/accounting.ts';
import { emptyCandles } from '../core/candles.ts';
import { feedCandles } from './feeds.ts';
import type { Store } from '../store/db.ts';
import { newId } from '../store/ids.ts';
import {
  botNamed,
  botResultSince,
  insertBot,
  listBots,
  refreshBotStats,
  setBotStatus,
  updateBot,
  type BotRow,
  type BotStatus,
} from '../store/bots.ts';
import { insertDecision, markDecisionResized, settleFailedDecisions, settleFilledDecisions } from '../store/bot-decisions.ts';
import { loadStrategy } from './strategy-loader.ts';
import { assertPlanAllows } from './plans.ts';

export type BotAction = 'start' | 'pause' | 'resume' | 'stop' | 'reset';

const TRANSITIONS: Record<BotAction, { from: readonly BotStatus[]; to: BotStatus }> = {
  start: { from: ['idle', 'stopped'], to: 'running' },
  pause: { from: ['running'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  stop: { from: ['running', 'paused', 'error'], to: 'stopped' },
  reset: { from: ['paused', 'error'], to: 'paused' },
};

export function transition(store: Store, bot: BotRow, action: BotAction, clock: number, nowIso: string): BotStatus {
  const t = TRANSITIONS[action];
  if (!t.from.includes(bot.status)) {
    throw new ConflictError(`cannot ${action} bot "${bot.name}": it is ${bot.status}`, `${action} works from ${t.from.join(' or ')}`);
  }
  if (action === 'resume' && bot.is_circuit_broken) {
    throw new ConflictError(
      `bot "${bot.name}" tripped its circuit breaker: ${bot.circuit_breaker_reason}`,
      `clear it with \`tunicoin bot reset ${bot.name}\``,
    );
  }
  if (action === 'reset') {
    setBotStatus(store, bot.id, t.to, nowIso, { is_circuit_broken: 0, circuit_breaker_reason: null, last_error: null });
  } else {
    setBotStatus(store, bot.id, t.to, nowIso);
  }
  if (action === 'start') updateBot(store, bot.id, { started_at: clock, last_candle_at: null, peak_equity: null });
  return t.to;
}

export interface CreateBotInput {
  readonly name: string;
  readonly strategyRef: string;
  readonly rawParams: Record<string, string>;
  readonly instrumentId: string;
  readonly accountId: string;
  readonly timeframe: Timeframe;
  readonly size: string | undefined;
  readonly leverage: number;
  readonly maxPosition: Qty | null;
  readonly maxDailyLoss: Money | null;
  readonly maxDrawdown: number | null;
  readonly ownerId: string;
}

export async function createBot(store: Store, input: CreateBotInput, nowIso: string): Promise<string> {
  if (!/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/.test(input.name))
    throw new UsageError(`invalid bot name "${input.name}"`, '1-64 letters, digits, spaces, "_", ".", "-"');
  const strategy = await loadStrategy(input.strategyRef);
  const params = resolveParams(strategy, input.rawParams);
  const sizing = parseSizeSpec(input.size);
  if (botNamed(store, input.name)) throw new ConflictError(`a bot named "${input.name}" already exists`);
  assertPlanAllows(store, 'max_bots', 1, input.ownerId);
  const id = newId();
  const ref = strategy.id === input.strategyRef ? strategy.id : input.strategyRef;
  insertBot(store, {
    id,
    user_id: input.ownerId,
    account_id: input.accountId,
    instrument_id: input.instrumentId,
    timeframe: input.timeframe,
    name: input.name,
    strategy_id: ref,
    params: JSON.stringify(params),
    size_spec: formatSizeSpec(sizing),
    status: 'idle',
    max_position_size: input.maxPosition,
    max_daily_loss: input.maxDailyLoss,
    max_drawdown: input.maxDrawdown,
    leverage: input.leverage,
    created_at: nowIso,
    updated_at: nowIso,
  });
  return id;
}

/** A strategy that could not be loaded: its bots go to `error` with the reason. */
function unloadable(ref: string, e: unknown): Strategy {
  const message = e instanceof Error ? e.message : String(e);
  return {
    id: ref,
    description: '',
    params: [],
    create: () => {
      throw new Error(`cannot load strategy ${ref}: ${message}`);
    },
  };
}

/** The warm-up a bot gets at its start: the stored candles before it, up to its strategy's `warmup`, as a message. */
export async function botWarmupMessage(store: Store, bot: BotRow, clock: number): Promise<{ text: string; cold: boolean }> {
  const strategy = await loadStrategy(bot.strategy_id);
  const wanted = checkWarmup(strategy.id, strategy.create(JSON.parse(bot.params) as Params).warmup);
  const tfMs = TIMEFRAME_MS[bot.timeframe as Timeframe];
  const startAt = Math.ceil((bot.started_at ?? clock) / tfMs) * tfMs;
  const w = warmupWindow(startAt, tfMs, wanted);
  const times: number[] = [];
  foldBuckets(
    new Buckets(tfMs, 60_000),
    new CandleFold(),
    feedCandles(store, bot.instrument_id, w.from - 1, Math.min(w.to, clock)) ?? emptyCandles(0),
    startAt,
    (c) => {
      times.push(c.time);
    },
  );
  const fed = times.slice(-wanted);
  const tf = bot.timeframe;
  return fed.length >= wanted
    ? { text: `warm-up: ${fed.length} ${tf} candles from ${toIso(fed[0] as number)}`, cold: false }
    : {
        text: `warm-up: only ${fed.length} of ${wanted} ${tf} candles stored before the bot's start; the strategy starts cold`,
        cold: true,
      };
}

/** The running bots of one advance slice, wired into the engine's minute hook. */
export class BotsDriver {
  readonly runners: BotRunner[] = [];

  private constructor(private readonly store: Store) {}

  /**
   * Strategies of the running bots, loaded before the write transaction (files load
   * asynchronously). A strategy that cannot be loaded (file deleted, syntax error, throws) does
   * not stop the clock for everyone: it stands in as a strategy whose create() throws the load
   * error, so load() puts that bot in `error` and the others go on.
   */
  static async strategies(store: Store): Promise<Map<string, Strategy>> {
    const out = new Map<string, Strategy>();
    for (const bot of listBots(store).filter((b) => b.status === 'running')) {
      if (out.has(bot.strategy_id)) continue;
      try {
        out.set(bot.strategy_id, await loadStrategy(bot.strategy_id));
      } catch (e) {
        out.set(bot.strategy_id, unloadable(bot.strategy_id, e));
      }
    }
    return out;
  }

  /**
   * Load every running bot and rebuild its strategy from history: up to `warmup` candles before
   * it started (warm-up), then the candles since. A bot whose strategy cannot be loaded, built or
   * warmed up goes to `error`; the others go on.
   */
  static load(
    store: Store,
    engine: Engine,
    clock: number,
    strategies: ReadonlyMap<string, Strategy>,
    nowIso = new Date().toISOString(),
  ): BotsDriver {
    const d = new BotsDriver(store);
    for (const bot of listBots(store).filter((b) => b.status === 'running')) {
      const strategy = strategies.get(bot.strategy_id);
      if (!strategy) continue; // started by another process after this command began: next time
      const tf = bot.timeframe as Timeframe;
      const tfMs = TIMEFRAME_MS[tf];
      const startAt = Math.ceil((bot.started_at ?? clock) / tfMs) * tfMs;
      let runner: BotRunner;
      try {
        runner = new BotRunner(
          {
            id: bot.id,
            name: bot.name,
            accountId: bot.account_id,
            instrumentId: bot.instrument_id,
            timeframe: tf,
            sizing: parseSizeSpec(bot.size_spec),
            leverage: bot.leverage,
            maxPositionSize: bot.max_position_size as Qty | null,
            maxDailyLoss: bot.max_daily_loss as Money | null,
            maxDrawdownPct: bot.max_drawdown,
            startAt,
            strategyId: strategy.id,
          },
          strategy.create(JSON.parse(bot.params) as Params),
          {
            dayResult: (t) => botResultSince(store, bot.id, toIso(Math.floor(t / DAY_MS) * DAY_MS)) as Money,
            peakEquity: bot.peak_equity,
          },
        );
        const equity = moneyToFloat(accountMarks(engine.state, engine.account(bot.account_id)).equity);
        const history =
          feedCandles(store, bot.instrument_id, warmupWindow(startAt, tfMs, runner.warmup).from - 1, clock) ?? emptyCandles(0);
        runner.warm(history, clock, equity);
      } catch (e) {
        // Loading, creating or warming up failed (invalid warm-up, throws on history): this bot goes to `error`.
        const message = e instanceof Error ? e.message : String(e);
        setBotStatus(store, bot.id, 'error', nowIso, { last_error: `strategy failed while loading or warming up: ${message}` });
        continue;
      }
      d.runners.push(runner);
    }
    return d;
  }

  /** What the loaded runners depend on in the database: the running bots and their state. */
  static signature(store: Store): string {
    return listBots(store)
      .filter((b) => b.status === 'running')
      .map((b) =>
        [
          b.id,
          b.last_candle_at,
          b.started_at,
          b.peak_equity,
          b.is_circuit_broken,
          b.params,
          b.size_spec,
          b.leverage,
          b.max_position_size,
          b.max_daily_loss,
          b.max_drawdown,
          b.strategy_id,
        ].join('|'),
      )
      .join('\n');
  }

  beforeMinute(engine: Engine, time: number): void {
    for (const r of this.runners) r.beforeBar(engine, time);
  }

  onMinute(engine: Engine, time: number): void {
    for (const r of this.runners) {
      const inst = engine.instrument(r.cfg.instrumentId);
      if (inst.bar && inst.barTime === time) r.onBar(engine, inst.bar, time);
    }
  }

  /** The advance's clock has reached `clock`. */
  onClock(engine: Engine, clock: number): void {
    for (const r of this.runners) r.onClock(engine, clock);
  }

  /** Whether persist has run for these runners (its first call refreshes every bot's stats). */
  private persisted = false;

  /**
   * Write the decisions since the last call and the bots' state; runs in each slice's
   * transaction. `journaled`: the accounts the slice posted ledger journals to, when known: a
   * bot's stats are sums of the ledger entries of its orders and positions, which are on its
   * account, so only the bots of those accounts can have new figures (the first call refreshes
   * every bot, as anything may have happened before this process loaded them).
   */
  persist(nowIso: string, journaled?: ReadonlySet<string>): DecisionRecord[] {
    const all: DecisionRecord[] = [];
    for (const r of this.runners) {
      for (const d of r.decisions) {
        const o = d.order;
        const result =
          o && o.status === 'rejected'
            ? JSON.stringify({ status: 'rejected', code: o.rejectCode, reason: o.rejectReason })
            : d.breaker
              ? JSON.stringify({ status: 'blocked', reason: d.breaker })
              : null;
        insertDecision(this.store, {
          id: newId(),
          bot_id: r.cfg.id,
          account_id: r.cfg.accountId,
          candle_timestamp: toIso(d.candleTime),
          instrument_id: r.cfg.instrumentId,
          indicators: JSON.stringify(d.explanation.indicators),
          decision: d.decision,
          reason: d.explanation.reason,
          proposed_order: d.proposed ? JSON.stringify(d.proposed) : null,
          order_id: o && o.status !== 'rejected' ? o.id : (o?.id ?? null),
          final_order: d.final ? JSON.stringify(d.final) : null,
          risk_adjusted: d.riskAdjusted ? 1 : 0,
          risk_adjustment_reason: d.riskReason,
          executed: 0,
          execution_result: result,
          created_at: toIso(d.candleTime + TIMEFRAME_MS[r.cfg.timeframe]),
          close_order_id: d.closeOrder?.id ?? null,
        });
        all.push(d);
      }
      r.decisions.length = 0; // written: the runner carries on into the next slice
      const status: BotStatus | null = r.failed ? 'error' : r.tripped ? 'paused' : null;
      if (status)
        setBotStatus(
          this.store,
          r.cfg.id,
          status,
          nowIso,
          r.failed ? { last_error: r.failed } : { is_circuit_broken: 1, circuit_breaker_reason: r.tripped },
        );
      const peak = r.ledger.peakEquity;
      updateBot(this.store, r.cfg.id, { last_execution_at: nowIso, last_candle_at: r.lastCandleAt, peak_equity: peak, updated_at: nowIso });
    }
    // Every bot, not only the running ones: a paused bot's position still pays funding.
    const everyBot = !this.persisted || journaled === undefined;
    this.persisted = true;
    for (const b of listBots(this.store)) if (everyBot || journaled.has(b.account_id)) refreshBotStats(this.store, b.id);
    // Decisions whose order has since filled (next bar) get their result.
    settleFilledDecisions(this.store);
    settleFailedDecisions(this.store);
    // an open leg cut at the fill for want of margin: the size it wanted
    for (const d of all)
      if (d.order?.requestedSize != null && d.order.status === 'filled')
        markDecisionResized(this.store, d.order.id, qtyToFloat(d.order.requestedSize));
    return all;
  }
}

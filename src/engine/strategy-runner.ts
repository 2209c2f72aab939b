/**
 * The one strategy runner. Backtests, sweeps and bots build their timeframe candles with
 * `Buckets` (candle-buckets.ts) and take every decision through `StrategyRunner`; they differ only in where the 1m
 * candles come from (columns in memory, the market advance) and where the results go (sinks).
 *
 * Candles. A timeframe candle is the UTC-aligned bucket [time, time + timeframe) of the base
 * candles (1m, or the instrument's stored timeframe) inside it: open of the first, close of the
 * last, max high, min low, summed volume, like `candles --timeframe`. It closes, and is shown
 * to the strategy, when a later candle arrives or the clock reaches its end (its last base
 * candle has been processed), whether or not its last minute exists. A bucket with no candle
 * does not exist.
 *
 * Decision -> size -> order. The strategy's return value is checked (decision.ts); a decision
 * that changes the position becomes at most two market orders that fill at the next candle's
 * open: a reduce-only close leg of the whole position (it needs no margin, so it always fills)
 * and an open leg. The open leg of `--size P%`, `--size all` or a size override is sized at the
 * fill (fill-sizing.ts), cut to the margin available then, never below the minimum size. The
 * reason is a field of each order.
 *
 * Pending policy: a decision that places orders first cancels the runner's orders still
 * pending from an earlier decision ('replaced by a newer decision'); a hold leaves them alone.
 *
 * Warm-up: history before the start is fed to the strategy (`warm`) with a flat context; its
 * decisions are checked and ignored.
 */
import { StrategyError } from '../core/errors.ts';
import { formatQty, moneyToFloat, priceFromFloat, priceToFloat, qtyToFloat, type Price, type Qty } from '../core/money.ts';
import { checkDecision, checkWarmup, type CheckedDecision } from '../core/strategy/decision.ts';
import type { PositionSide, StrategyCandle, StrategyInstance } from '../core/strategy/types.ts';
import type { Engine } from './engine.ts';
import { closesFirst, openLegOf, positionSize } from './executor.ts';
import type { PlaceOrderInput } from './order-placement.ts';
import { ReasonLog, savesReasons } from './reason-log.ts';
import type { SizeSpec } from '../core/size-spec.ts';
import type { OpenLegGate, ProposedLegs, RunnerConfig, RunnerDecision } from './runner-types.ts';
import type { EngineAccount, EngineInstrument, EnginePosition, FillSizing } from './state.ts';

export type { OpenLegGate, RunnerConfig, RunnerDecision } from './runner-types.ts';

const FLAT = { side: 0 as PositionSide, size: 0, entryPrice: null as number | null, unrealizedPnl: 0 };

/**
 * A flat position for a context, as a literal: a copy by spread (`{ ...FLAT }`) got a new hidden
 * class from the tenth copy on, so the per-candle code optimised for the first copies was thrown
 * away (deoptimised) in the tenth run of a process.
 */
function flatPosition(): typeof FLAT {
  return { side: 0, size: 0, entryPrice: null, unrealizedPnl: 0 };
}

export class StrategyRunner {
  readonly warmup: number;
  /** The context handed to the strategy: one object, refreshed before each candle. */
  private readonly ctx = { position: flatPosition(), equity: 0, availableMargin: 0, warmingUp: false };
  /** The engine's objects of the last call (the engine may be reloaded between calls: a bot's advance slices). */
  private engine: Engine | null = null;
  private acct!: EngineAccount;
  private inst!: EngineInstrument;
  private contractSize = 0; // the instrument's, as a float (decide runs on every closed candle)
  /** `ctx.position.entryPrice` as a plain double (NaN when null). */
  private entry = NaN;
  // The integer amounts `decide` last converted to floats, and their floats (NaN: none yet; a
  // double from the start, so each field is stored unboxed): they change at fills and fundings,
  // so most candles compare instead of dividing.
  private qty = NaN;
  private qtyF = NaN;
  private price = NaN;
  private priceF = NaN;
  private margin = NaN;
  private marginF = NaN;
  private balance = NaN;
  private balanceF = NaN;

  constructor(
    readonly cfg: RunnerConfig,
    readonly strategy: StrategyInstance,
  ) {
    this.warmup = checkWarmup(cfg.strategyId, strategy.warmup);
  }

  /** Take the engine's account and instrument when the engine is not the last call's (kept tiny: it runs on every candle). */
  private attach(engine: Engine): void {
    if (this.engine !== engine) this.attachTo(engine);
  }

  private attachTo(engine: Engine): void {
    this.engine = engine;
    this.acct = engine.account(this.cfg.accountId);
    this.inst = engine.instrument(this.cfg.instrumentId);
    this.contractSize = qtyToFloat(this.inst.spec.contractSize);
  }

  /** Show a closed candle of history to the strategy (flat, with `equity`); nothing is traded. */
  warm(candle: StrategyCandle, equity: number): void {
    const ctx = this.ctx;
    ctx.warmingUp = true;
    Object.assign(ctx.position, FLAT);
    this.entry = NaN;
    ctx.equity = ctx.availableMargin = equity;
    this.ask(candle, 0);
    ctx.warmingUp = false;
  }

  /**
   * Ask the strategy about a closed candle (the account is as of its close). Returns the checked
   * decision; `act` turns it into orders. The returned object of a plain hold is shared.
   * `known` is the account's position on the instrument when the caller holds it (null: flat).
   */
  decide(engine: Engine, candle: StrategyCandle, known?: EnginePosition | null): CheckedDecision {
    this.attach(engine);
    // the caller may know the position (a backtest's one account): no lookup
    const pos = known !== undefined ? known : this.lookup();
    const ctx = this.ctx;
    const p = ctx.position;
    let unreal = 0;
    let margin = 0;
    if (pos) {
      // its amounts as floats: converted again only when they change (at fills), not per candle
      if (pos.size !== this.qty || pos.entryPrice !== this.price || pos.marginUsed !== this.margin) this.held(pos);
      const entry = this.priceF;
      unreal = this.qtyF * (candle.close - entry) * this.contractSize;
      p.side = pos.size > 0 ? 1 : -1;
      p.size = this.qtyF;
      // a field that also holds null stores a double boxed: written only when it changes, and
      // compared through a plain double (comparing the boxed field itself boxes `entry` per candle)
      if (this.entry !== entry) p.entryPrice = this.entry = entry;
      p.unrealizedPnl = unreal;
      margin = this.marginF;
    } else if (p.side !== 0 || p.entryPrice !== null) this.flat();
    if (this.acct.balance !== this.balance) this.funded();
    const equity = this.balanceF + unreal;
    if (this.acct.positions.size > (pos ? 1 : 0)) this.withOthers(engine, pos, equity, margin);
    else {
      ctx.equity = equity;
      ctx.availableMargin = equity - margin;
    }
    return this.ask(candle, p.side);
  }

  /** The account's position on the instrument, or null. */
  private lookup(): EnginePosition | null {
    const positions = this.acct.positions;
    return positions.size === 0 ? null : (positions.get(this.inst.id) ?? null);
  }

  /** Convert the position's size, entry and margin (they changed since the last candle). */
  private held(pos: EnginePosition): void {
    this.qtyF = qtyToFloat((this.qty = pos.size));
    this.priceF = priceToFloat((this.price = pos.entryPrice));
    this.marginF = moneyToFloat((this.margin = pos.marginUsed));
  }

  /** Convert the account's balance (it changed since the last candle). */
  private funded(): void {
    this.balanceF = moneyToFloat((this.balance = this.acct.balance));
  }

  /** The context's position, flat. */
  private flat(): void {
    const p = this.ctx.position;
    p.side = 0;
    p.size = 0;
    p.entryPrice = null;
    p.unrealizedPnl = 0;
    this.entry = NaN;
  }

  /** The context's equity and margin with the account's positions on other instruments, at their marks (apart: decide stays small enough to inline). */
  private withOthers(engine: Engine, pos: EnginePosition | null, equity: number, margin: number): void {
    for (const q of this.acct.positions.values()) {
      if (q === pos) continue;
      const i = engine.state.instruments.get(q.instrumentId);
      if (i?.bar) equity += qtyToFloat(q.size) * (i.bar.close - priceToFloat(q.entryPrice)) * qtyToFloat(i.spec.contractSize);
      margin += moneyToFloat(q.marginUsed);
    }
    this.ctx.equity = equity;
    this.ctx.availableMargin = equity - margin;
  }

  /** The strategy's checked answer (kept small: it is inlined into the per-candle path; the rare paths are calls). */
  private ask(candle: StrategyCandle, side: PositionSide): CheckedDecision {
    let raw: unknown;
    try {
      raw = this.strategy.onCandle(candle, side, this.ctx);
    } catch (e) {
      throw this.threw(e, candle);
    }
    return raw === 'hold' ? HOLD : checkDecision(this.cfg.strategyId, raw, candle.close);
  }

  /** The error to throw for a strategy's throw at `candle`. */
  private threw(e: unknown, candle: StrategyCandle): StrategyError {
    if (e instanceof StrategyError) return e;
    return StrategyError.named(
      this.cfg.strategyId,
      `threw at the candle of ${new Date(candle.time).toISOString()}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }

  /** The reason behind the last decision, as the strategy explains it. */
  reason(): string {
    const s = this.strategy;
    const own = typeof s.reason === 'function'; // the text alone, when the strategy offers it
    try {
      const r = own ? (s.reason as () => string)() : s.explain()?.reason;
      const text = typeof r === 'string' ? r : String(r ?? '');
      // The text is kept with each order and fill of the run. Built by concatenation it is a
      // tree of pieces (a dozen small objects); reading a character makes it one flat string,
      // so the garbage collector copies one object per reason instead of the tree.
      text.charCodeAt(0);
      return text;
    } catch (e) {
      throw StrategyError.named(
        this.cfg.strategyId,
        `${own ? 'reason' : 'explain'}() threw: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  /**
   * Turn a decision into orders at the decision candle's close `price` (the engine has stepped
   * that candle). `gate` is the bot's risk layer for the open leg. The record returned is the
   * runner's own, rewritten by the next `act`: read it before that.
   */
  act(engine: Engine, d: CheckedDecision, price: number, gate?: (side: 'buy' | 'sell') => OpenLegGate): RunnerDecision | null {
    this.attach(engine);
    const p = this.acct.positions.get(this.inst.id);
    const current = p ? p.size : 0;
    const legOpen = openLegOf(d.action, current);
    const closeSide = closesFirst(d.action, current) ? (current > 0 ? 'sell' : 'buy') : null;
    if (!closeSide && !legOpen) return null;
    const closeSize = Math.abs(current) as Qty;
    const spec = this.inst.spec;
    const lot = spec.minSize as number;
    let sizing: FillSizing | null = null;
    let openSize = 0 as Qty;
    if (legOpen) {
      const s: SizeSpec = d.size !== null ? { kind: 'fraction', fraction: d.size } : this.cfg.sizing;
      if (s.kind === 'fixed') openSize = s.size;
      else {
        sizing = { kind: s.kind, fraction: s.kind === 'fraction' ? s.fraction : 1, max: null };
        // provisional: estimated at this close on the equity after closing; final at the fill
        openSize = positionSize(s, engine, this.acct, this.inst, this.cfg.leverage, price, current !== 0);
        if (openSize < lot) openSize = lot as Qty;
      }
    }
    const r = this.out;
    r.decision = d;
    const proposed = r.proposed;
    if (closeSide) {
      proposed.close = this.proposedClose;
      proposed.close.side = closeSide;
      proposed.close.size = closeSize;
    } else proposed.close = null;
    if (legOpen) {
      proposed.open = this.proposedOpen;
      proposed.open.side = legOpen;
      proposed.open.size = openSize;
      proposed.open.sizedAtFill = sizing !== null;
    } else proposed.open = null;
    let blocked: string | null = null;
    let capped: Qty | null = null;
    if (legOpen && gate) {
      const g = gate(legOpen);
      blocked = g.block;
      if (!blocked && g.max !== null) {
        const max = (Math.floor(g.max / lot) * lot) as Qty;
        if (max < lot) blocked = `max position ${formatQty(g.max)} is below the minimum size ${formatQty(lot)}`;
        else if (sizing) {
          sizing = { ...sizing, max };
          if (openSize > max) {
            openSize = max;
            capped = max;
          }
        } else if (openSize > max) {
          openSize = max;
          capped = max;
        }
      }
    }
    r.blocked = blocked;
    r.capped = capped;
    r.close = null;
    r.open = null;
    const openSide = blocked ? null : legOpen;
    if (!closeSide && !openSide) return r;
    // the pending policy: a new decision replaces the runner's orders still waiting
    if (engine.state.orders.length > 0) {
      const mine = engine.state.orders.filter(
        (o) => o.accountId === this.acct.id && o.instrumentId === this.inst.id && o.source === 'bot' && o.botId === this.cfg.botId,
      );
      for (const o of mine) engine.cancelOrder(o, 'replaced by a newer decision');
    }
    // the reason: kept unformatted when the strategy can (reason-log.ts), else its text now
    const input = this.input;
    const log = this.reasonLog();
    input.reasonAt = log ? log.save() : -1;
    input.reason = log ? null : this.reason();
    input.reasonLog = log;
    input.accountId = this.acct.id;
    input.instrumentId = this.inst.id;
    input.botId = this.cfg.botId;
    if (closeSide) {
      input.side = closeSide;
      input.size = closeSize;
      input.reduceOnly = true;
      input.sizeAtFill = null;
      input.leverage = undefined;
      input.stopLoss = null;
      input.takeProfit = null;
      r.close = engine.placeOrder(input);
    }
    if (openSide) {
      input.side = openSide;
      input.size = openSize;
      input.reduceOnly = false;
      input.sizeAtFill = sizing;
      input.leverage = this.cfg.leverage;
      input.stopLoss = this.level(d.stopLoss, openSide === 'buy' ? 'floor' : 'ceil');
      input.takeProfit = this.level(d.takeProfit, openSide === 'buy' ? 'ceil' : 'floor');
      r.open = engine.placeOrder(input);
    }
    input.sizeAtFill = null; // keeps nothing of this decision
    return r;
  }

  // act's records, rewritten by each call (a backtest acts tens of thousands of times)
  private readonly proposedClose: { side: 'buy' | 'sell'; size: Qty } = { side: 'buy', size: 0 as Qty };
  private readonly proposedOpen: { side: 'buy' | 'sell'; size: Qty; sizedAtFill: boolean } = {
    side: 'buy',
    size: 0 as Qty,
    sizedAtFill: false,
  };
  private readonly out: { -readonly [K in keyof RunnerDecision]: RunnerDecision[K] } & { proposed: ProposedLegs } = {
    decision: HOLD,
    proposed: { close: null, open: null },
    close: null,
    open: null,
    blocked: null,
    capped: null,
  };
  /** The input of act's orders (placeOrder keeps none of it); each decision rewrites every field. */
  private readonly input: { -readonly [K in keyof PlaceOrderInput]: PlaceOrderInput[K] } = {
    accountId: '',
    instrumentId: '',
    type: 'market',
    source: 'bot',
    botId: null,
    reason: null,
    reasonLog: null,
    reasonAt: -1,
    side: 'buy',
    size: 0 as Qty,
    reduceOnly: false,
    sizeAtFill: null,
    leverage: undefined,
    stopLoss: null,
    takeProfit: null,
  };
  /** The strategy's reasons kept unformatted (undefined: not asked yet; null: it cannot). */
  private reasons: ReasonLog | null | undefined = undefined;

  private reasonLog(): ReasonLog | null {
    if (this.reasons === undefined) {
      const s = this.strategy;
      this.reasons = savesReasons(s) ? new ReasonLog(this.cfg.strategyId, s) : null;
    }
    return this.reasons;
  }

  /** A strategy's price level on the instrument's tick grid (a stop rounded away from the entry). */
  private level(x: number | null, mode: 'floor' | 'ceil'): Price | null {
    if (x === null) return null;
    const tick = this.inst.spec.tickSize;
    const p = priceFromFloat(x);
    return ((mode === 'floor' ? Math.floor(p / tick) : Math.ceil(p / tick)) * tick) as Price;
  }
}

const HOLD: CheckedDecision = Object.freeze({ action: 'hold', stopLoss: null, takeProfit: null, size: null });

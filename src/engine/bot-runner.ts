/**
 * A bot on the engine: the strategy runner (strategy-runner.ts) fed by the market advance. It
 * folds the 1m bars the engine steps through into its timeframe's buckets, asks its strategy at
 * each closed one, passes the decision through the risk layer, and places the orders through
 * the same `placeOrder` as everything else (market orders that fill at the next bar's open: the
 * backtest's rule, so a bot and a backtest make the same trades). Every evaluation yields a
 * DecisionRecord for the store to write.
 *
 * A bucket closes (as in a backtest) when a later bar arrives (`beforeBar`, called before the
 * engine steps it), when its last minute has been stepped (`onBar`), or when the advance's clock
 * has passed its end (`onClock`).
 *
 * Risk layer, on the open leg of a decision (closing is never blocked):
 * - max position (contracts): the open leg is cut to it (a risk adjustment, recorded with its
 *   reason); below the minimum size, it is not placed;
 * - max daily loss (money): when the bot's result today (its realised PnL, fees and funding
 *   since 00:00 UTC plus the unrealised PnL of its position) has reached -limit, the open leg
 *   is blocked and the circuit breaker trips (the bot pauses);
 * - max drawdown (%): when the account's equity is that far below the bot's peak equity, the
 *   same.
 */
import type { Bar } from '../core/fill.ts';
import { formatMoney, formatQty, type Money, type Qty } from '../core/money.ts';
import type { CheckedDecision } from '../core/strategy/decision.ts';
import type { Decision, Explanation, StrategyInstance } from '../core/strategy/types.ts';
import { TIMEFRAME_MS, type Timeframe } from '../core/time.ts';
import { accountMarks } from './accounting.ts';
import type { Engine } from './engine.ts';
import type { SizeSpec } from '../core/size-spec.ts';
import type { EngineOrder } from './state.ts';
import { Buckets, CandleFold } from './candle-buckets.ts';
import { StrategyRunner, type OpenLegGate } from './strategy-runner.ts';

export interface BotConfig {
  readonly id: string;
  readonly name: string;
  readonly accountId: string;
  readonly instrumentId: string;
  readonly timeframe: Timeframe;
  readonly sizing: SizeSpec;
  readonly leverage: number;
  readonly maxPositionSize: Qty | null;
  readonly maxDailyLoss: Money | null;
  /** Percent, e.g. 20 for 20%. */
  readonly maxDrawdownPct: number | null;
  /** The first candle the bot trades starts here (the first bucket boundary at or after it was started). */
  readonly startAt: number;
  /** The strategy's name in messages (default: the bot's name). */
  readonly strategyId?: string;
}

export interface OrderIntent {
  readonly side: 'buy' | 'sell';
  readonly size: number;
  readonly type: 'market';
  readonly reduceOnly: boolean;
  readonly sizedAtFill?: boolean;
}

export interface DecisionRecord {
  readonly botId: string;
  readonly candleTime: number;
  readonly decision: Decision;
  readonly explanation: Explanation;
  readonly proposed: OrderIntent | null;
  readonly final: OrderIntent | null;
  readonly riskAdjusted: boolean;
  readonly riskReason: string | null;
  /** The decision's main order: its open leg, else its close leg. */
  readonly order: EngineOrder | null;
  /** A reversal's close leg (when `order` is the open leg). */
  readonly closeOrder: EngineOrder | null;
  readonly breaker: string | null;
}

/** What the runner needs from the bot's history (computed by the store from the ledger). */
export interface BotLedgerView {
  /** The bot's realised result since 00:00 UTC of `time` (PnL, fees, funding). */
  dayResult(time: number): Money;
  peakEquity: number | null;
}

const intent = (side: 'buy' | 'sell', size: number, reduceOnly: boolean, sizedAtFill = false): OrderIntent =>
  sizedAtFill ? { side, size, type: 'market', reduceOnly, sizedAtFill } : { side, size, type: 'market', reduceOnly };

export class BotRunner {
  private readonly buckets: Buckets;
  private readonly fold = new CandleFold();
  private readonly runner: StrategyRunner;
  tripped: string | null = null;
  failed: string | null = null;
  lastCandleAt: number | null = null;
  readonly decisions: DecisionRecord[] = [];
  /** Timeframe candles fed from history before the bot's start (warm-up), and the first one's time. */
  warmedUp = 0;
  warmedFrom = NaN;

  constructor(
    readonly cfg: BotConfig,
    strategy: StrategyInstance,
    readonly ledger: BotLedgerView,
  ) {
    this.buckets = new Buckets(TIMEFRAME_MS[cfg.timeframe], 60_000);
    this.runner = new StrategyRunner(
      {
        strategyId: cfg.strategyId ?? cfg.name,
        accountId: cfg.accountId,
        instrumentId: cfg.instrumentId,
        sizing: cfg.sizing,
        leverage: cfg.leverage,
        botId: cfg.id,
      },
      strategy,
    );
  }

  get warmup(): number {
    return this.runner.warmup;
  }

  /**
   * Rebuild the strategy from stored history (no orders, no records): the last `warmup`
   * candles before the start, then everything since, up to `clock`. A bucket the clock has
   * passed was decided before; one still open goes on with the next bars.
   */
  warm(
    history: {
      time: ArrayLike<number>;
      open: ArrayLike<number>;
      high: ArrayLike<number>;
      low: ArrayLike<number>;
      close: ArrayLike<number>;
      volume: ArrayLike<number>;
    },
    clock: number,
    equity: number,
  ): void {
    const b = this.buckets;
    const before: Array<ReturnType<CandleFold['copy']>> = [];
    const bar = { open: 0, high: 0, low: 0, close: 0, volume: 0 };
    const closeBucket = (): void => {
      b.open = false;
      if (b.time < this.cfg.startAt) {
        before.push(this.fold.copy());
        if (before.length > this.runner.warmup) before.shift();
        return;
      }
      this.flushWarmup(before, equity);
      this.runner.warm(this.fold, equity);
      this.lastCandleAt = b.time;
    };
    for (let i = 0; i < history.time.length; i++) {
      const t = history.time[i] as number;
      if (t >= b.end) {
        if (b.open) closeBucket();
        b.begin(t);
        this.fold.reset(b.time);
      }
      bar.open = history.open[i] as number;
      bar.high = history.high[i] as number;
      bar.low = history.low[i] as number;
      bar.close = history.close[i] as number;
      bar.volume = history.volume[i] as number;
      this.fold.add(bar);
      if (b.completeAt(t)) closeBucket();
    }
    if (b.open && (b.completeAt(clock) || b.end <= this.cfg.startAt)) closeBucket();
    this.flushWarmup(before, equity);
  }

  private flushWarmup(before: Array<ReturnType<CandleFold['copy']>>, equity: number): void {
    if (!before.length) return;
    this.warmedUp = before.length;
    this.warmedFrom = (before[0] as { time: number }).time;
    for (const c of before) this.runner.warm(c, equity);
    before.length = 0;
  }

  /** The engine is about to step a bar at `time`: a bar of a later bucket closes the open one. */
  beforeBar(engine: Engine, time: number): void {
    if (this.buckets.open && time >= this.buckets.end) this.close(engine);
  }

  /** A 1m bar at `time` was processed by the engine. */
  onBar(engine: Engine, bar: Bar, time: number): void {
    if (time < this.cfg.startAt) return;
    const b = this.buckets;
    if (time >= b.end) {
      if (b.open) this.close(engine);
      b.begin(time);
      this.fold.reset(b.time);
    }
    this.fold.add(bar);
    if (b.completeAt(time)) this.close(engine);
  }

  /** The clock has reached `clock` (the end of an advance): a bucket it has passed closes. */
  onClock(engine: Engine, clock: number): void {
    if (this.buckets.open && this.buckets.completeAt(clock)) this.close(engine);
  }

  private close(engine: Engine): void {
    const b = this.buckets;
    b.open = false;
    if (this.tripped || this.failed) return;
    const inst = engine.instrument(this.cfg.instrumentId);
    let d: CheckedDecision;
    let explanation: Explanation;
    try {
      d = this.runner.decide(engine, this.fold);
      explanation = this.explain();
    } catch (e) {
      this.failed = e instanceof Error ? e.message : String(e);
      return;
    }
    this.lastCandleAt = b.time;
    const acct = engine.account(this.cfg.accountId);
    const eq = accountMarks(engine.state, acct).equity;
    if (this.ledger.peakEquity === null || eq > this.ledger.peakEquity) this.ledger.peakEquity = eq;
    const time = engine.state.clock;
    const base = {
      botId: this.cfg.id,
      candleTime: b.time,
      decision: d.action,
      explanation,
      proposed: null,
      final: null,
      riskAdjusted: false,
      riskReason: null,
      order: null,
      closeOrder: null,
      breaker: null,
    };
    if (d.action === 'hold') {
      this.decisions.push(base);
      return;
    }
    let breaker: string | null = null;
    const gate = (): OpenLegGate => {
      breaker = this.breach(engine, time);
      if (breaker) {
        this.tripped = breaker;
        return { block: `blocked: ${breaker}`, max: null };
      }
      return { block: null, max: this.cfg.maxPositionSize };
    };
    let r;
    try {
      r = this.runner.act(engine, d, inst.bar ? inst.bar.close : this.fold.close, gate);
    } catch (e) {
      this.failed = e instanceof Error ? e.message : String(e);
      return;
    }
    if (!r) {
      this.decisions.push(base);
      return;
    }
    const p = r.proposed;
    const proposed = p.open
      ? intent(p.open.side, p.open.size, false, p.open.sizedAtFill)
      : p.close
        ? intent(p.close.side, p.close.size, true)
        : null;
    const order = r.open ?? r.close;
    const final = order ? intent(order.side, order.size, order === r.close, !!order.sizeAtFill) : null;
    const riskReason =
      r.blocked ??
      (r.capped !== null && p.open
        ? `size cut from ${formatQty(p.open.size)} to ${formatQty(r.capped)}: max position ${formatQty(this.cfg.maxPositionSize ?? 0)}`
        : null);
    this.decisions.push({
      ...base,
      proposed,
      final,
      riskAdjusted: riskReason !== null,
      riskReason,
      order,
      closeOrder: r.open ? r.close : null,
      breaker,
    });
  }

  private explain(): Explanation {
    const e = this.runner.strategy.explain();
    return { reason: typeof e?.reason === 'string' ? e.reason : String(e?.reason ?? ''), indicators: e?.indicators ?? {} };
  }

  private breach(engine: Engine, time: number): string | null {
    const acct = engine.account(this.cfg.accountId);
    const m = accountMarks(engine.state, acct);
    if (this.cfg.maxDailyLoss !== null) {
      const pos = acct.positions.get(this.cfg.instrumentId);
      const unreal = pos && pos.botId === this.cfg.id ? engine.unrealizedOf(pos) : 0;
      const today = this.ledger.dayResult(time) + unreal;
      if (today <= -this.cfg.maxDailyLoss)
        return `bot's loss today ${formatMoney(-today)} reached its max daily loss ${formatMoney(this.cfg.maxDailyLoss)}`;
    }
    const peak = Math.max(this.ledger.peakEquity ?? m.equity, m.equity);
    this.ledger.peakEquity = peak;
    if (this.cfg.maxDrawdownPct !== null && peak > 0) {
      const dd = (1 - m.equity / peak) * 100;
      if (dd >= this.cfg.maxDrawdownPct)
        return `drawdown ${dd.toFixed(2)}% from the peak equity ${formatMoney(peak)} reached its max drawdown ${this.cfg.maxDrawdownPct}%`;
    }
    return null;
  }
}

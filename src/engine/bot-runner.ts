/**
 * A bot on the engine: it sees each closed candle of its timeframe (built from the 1m bars the
 * engine steps through), asks its strategy, passes the decision through the risk layer, and
 * places the order through the same `placeOrder` as everything else (a market order that
 * fills at the next bar's open: the backtest's rule, so a bot and a backtest make the same
 * trades). Every evaluation yields a DecisionRecord for the store to write.
 *
 * Risk layer, before any order:
 * - max position (contracts): an order that would take |position| past it is cut to fit
 *   (a risk adjustment, recorded with its reason); cut to nothing, it is not placed;
 * - max daily loss (money): when the bot's result today (its realised PnL, fees and funding
 *   since 00:00 UTC plus the unrealised PnL of its position) has reached -limit, a new order
 *   is blocked and the circuit breaker trips (the bot pauses);
 * - max drawdown (%): when the account's equity is that far below the bot's peak equity, the
 *   same. Closing orders are never blocked.
 */
import type { Bar } from '../core/fill.ts';
import type { Money, Qty } from '../core/money.ts';
import type { Decision, Explanation, StrategyInstance } from '../core/strategy/types.ts';
import { TIMEFRAME_MS, type Timeframe } from '../core/time.ts';
import { accountMarks } from './accounting.ts';
import type { Engine } from './engine.ts';
import { orderFor, positionSize, type SizeSpec } from './executor.ts';
import type { EngineOrder } from './state.ts';

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
  /** The first candle the bot sees starts here (the first bucket boundary at or after it was started). */
  readonly startAt: number;
}

export interface OrderIntent { readonly side: 'buy' | 'sell'; readonly size: number; readonly type: 'market'; readonly reduceOnly: boolean }

export interface DecisionRecord {
  readonly botId: string;
  readonly candleTime: number;
  readonly decision: Decision;
  readonly explanation: Explanation;
  readonly proposed: OrderIntent | null;
  readonly final: OrderIntent | null;
  readonly riskAdjusted: boolean;
  readonly riskReason: string | null;
  readonly order: EngineOrder | null;
  readonly breaker: string | null;
}

/** What the runner needs from the bot's history (computed by the store from the ledger). */
export interface BotLedgerView {
  /** The bot's realised result since 00:00 UTC of `time` (PnL, fees, funding). */
  dayResult(time: number): Money;
  peakEquity: number | null;
}

export class BotRunner {
  private bOpen = 0; private bHigh = 0; private bLow = 0; private bClose = 0; private bVol = 0; private bTime = NaN;
  private readonly tfMs: number;
  tripped: string | null = null;
  failed: string | null = null;
  lastCandleAt: number | null = null;
  readonly decisions: DecisionRecord[] = [];

  constructor(readonly cfg: BotConfig, private readonly strategy: StrategyInstance, readonly ledger: BotLedgerView) {
    this.tfMs = TIMEFRAME_MS[cfg.timeframe];
  }

  /** Feed a 1m bar; returns true when it closed a timeframe candle. Used both to warm up and to run. */
  private accumulate(bar: Bar, time: number): boolean {
    if (time < this.cfg.startAt) return false;
    const b = Math.floor(time / this.tfMs) * this.tfMs;
    if (b !== this.bTime) { this.bTime = b; this.bOpen = bar.open; this.bHigh = bar.high; this.bLow = bar.low; this.bVol = 0; }
    else { if (bar.high > this.bHigh) this.bHigh = bar.high; if (bar.low < this.bLow) this.bLow = bar.low; }
    this.bClose = bar.close;
    this.bVol += bar.volume;
    return (time + 60_000) % this.tfMs === 0;
  }

  private candle() {
    return { time: this.bTime, open: this.bOpen, high: this.bHigh, low: this.bLow, close: this.bClose, volume: this.bVol };
  }

  /** Rebuild the strategy's state from history (no orders, no records). */
  warm(bar: Bar, time: number, position: -1 | 0 | 1): void {
    if (this.accumulate(bar, time)) { this.strategy.onCandle(this.candle(), position); this.lastCandleAt = this.bTime; }
  }

  /** A 1m bar at `time` was processed by the engine: act if it closed a candle. */
  onBar(engine: Engine, bar: Bar, time: number): void {
    if (this.tripped || this.failed) return;
    if (!this.accumulate(bar, time)) return;
    const acct = engine.account(this.cfg.accountId);
    const inst = engine.instrument(this.cfg.instrumentId);
    const pos = acct.positions.get(inst.id);
    const size = pos ? pos.size : 0;
    let decision: Decision;
    let explanation: Explanation;
    try {
      decision = this.strategy.onCandle(this.candle(), size > 0 ? 1 : size < 0 ? -1 : 0);
      explanation = this.strategy.explain();
    } catch (e) {
      this.failed = e instanceof Error ? e.message : String(e);
      return;
    }
    this.lastCandleAt = this.bTime;
    const eq = accountMarks(engine.state, acct).equity;
    if (this.ledger.peakEquity === null || eq > this.ledger.peakEquity) this.ledger.peakEquity = eq;
    const record = (r: Partial<DecisionRecord>): void => {
      this.decisions.push({ botId: this.cfg.id, candleTime: this.bTime, decision, explanation, proposed: null, final: null, riskAdjusted: false, riskReason: null, order: null, breaker: null, ...r });
    };
    if (decision === 'hold') { record({}); return; }
    const wantsNew = decision === 'buy' || decision === 'sell';
    const newSize = wantsNew ? positionSize(this.cfg.sizing, engine, acct, inst, this.cfg.leverage, this.bClose, size !== 0) : 0;
    const intended = orderFor(decision, size, newSize as Qty);
    if (!intended) { record({}); return; }
    const proposed: OrderIntent = { side: intended.side, size: intended.size, type: 'market', reduceOnly: intended.reduceOnly };
    let finalSize = intended.size as number;
    let riskReason: string | null = null;

    if (!intended.reduceOnly) {
      // Limits that trip the circuit breaker: checked on orders that add risk only.
      const breach = this.breach(engine, acct.id, inst.id, time);
      if (breach) {
        this.tripped = breach;
        record({ proposed, riskAdjusted: true, riskReason: `blocked: ${breach}`, breaker: breach });
        return;
      }
      const max = this.cfg.maxPositionSize;
      if (max !== null) {
        const signedAfter = size + (intended.side === 'buy' ? finalSize : -finalSize);
        if (Math.abs(signedAfter) > max) {
          const allowed = intended.side === 'buy' ? max - size : size + max; // how far it may go
          const lots = Math.floor(Math.max(0, allowed) / inst.spec.minSize) * inst.spec.minSize;
          riskReason = `size cut from ${intended.size / 1e8} to ${lots / 1e8}: max position ${max / 1e8}`;
          finalSize = lots;
        }
      }
    }
    if (finalSize <= 0) { record({ proposed, riskAdjusted: true, riskReason }); return; }
    const final: OrderIntent = { ...proposed, size: finalSize };
    const order = engine.placeOrder({
      accountId: acct.id, instrumentId: inst.id, side: final.side, type: 'market', size: finalSize as Qty, leverage: this.cfg.leverage,
      reduceOnly: final.reduceOnly, source: 'bot', botId: this.cfg.id,
    });
    record({ proposed, final, riskAdjusted: riskReason !== null, riskReason, order });
  }

  private breach(engine: Engine, accountId: string, instrumentId: string, time: number): string | null {
    const acct = engine.account(accountId);
    const m = accountMarks(engine.state, acct);
    if (this.cfg.maxDailyLoss !== null) {
      const pos = acct.positions.get(instrumentId);
      const unreal = pos && pos.botId === this.cfg.id ? engine.unrealizedOf(pos) : 0;
      const today = this.ledger.dayResult(time) + unreal;
      if (today <= -this.cfg.maxDailyLoss) return `bot's loss today ${(-today / 1e6).toFixed(2)} reached its max daily loss ${(this.cfg.maxDailyLoss / 1e6).toFixed(2)}`;
    }
    const peak = Math.max(this.ledger.peakEquity ?? m.equity, m.equity);
    this.ledger.peakEquity = peak;
    if (this.cfg.maxDrawdownPct !== null && peak > 0) {
      const dd = (1 - m.equity / peak) * 100;
      if (dd >= this.cfg.maxDrawdownPct) return `drawdown ${dd.toFixed(2)}% from the peak equity ${(peak / 1e6).toFixed(2)} reached its max drawdown ${this.cfg.maxDrawdownPct}%`;
    }
    return null;
  }
}

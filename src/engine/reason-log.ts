/**
 * The reasons behind a strategy's orders, kept as numbers and formatted when read. A strategy
 * that offers `saveReason`/`reasonAt` (the built-ins do) writes a few numbers per decision here
 * instead of building a sentence: a backtest with tens of thousands of orders keeps numbers, not
 * texts, and formats a reason when its row is first read. An order refers to its entry by index
 * (`EngineOrder.reasonLog`/`reasonAt`); `orderReason` (state.ts) gives the text either way.
 */
import { StrategyError } from '../core/errors.ts';
import { REASON_WIDTH, type StrategyInstance } from '../core/strategy/types.ts';
import type { ReasonSource } from './state.ts';

/** Entries per chunk (a chunk is never copied or moved: the log only grows). */
const CHUNK = 1024;

type Saving = Required<Pick<StrategyInstance, 'saveReason' | 'reasonAt'>>;

/** Does the strategy keep its reasons as numbers? */
export function savesReasons(s: StrategyInstance): s is StrategyInstance & Saving {
  return typeof s.saveReason === 'function' && typeof s.reasonAt === 'function';
}

export class ReasonLog implements ReasonSource {
  private readonly chunks: Float64Array[] = [];
  private cur = new Float64Array(0);
  private at = 0;
  private count = 0;

  constructor(
    private readonly strategyId: string,
    private readonly strategy: StrategyInstance & Saving,
  ) {}

  /** Keep the reason of the strategy's latest decision; returns its entry. */
  save(): number {
    if (this.at === this.cur.length) {
      this.cur = new Float64Array(CHUNK * REASON_WIDTH);
      this.chunks.push(this.cur);
      this.at = 0;
    }
    try {
      this.strategy.saveReason(this.cur, this.at);
    } catch (e) {
      throw this.failed('saveReason', e);
    }
    this.at += REASON_WIDTH;
    return this.count++;
  }

  /** The text of entry `k`. */
  text(k: number): string {
    const row = this.chunks[Math.floor(k / CHUNK)] as Float64Array;
    try {
      const t = this.strategy.reasonAt(row, (k % CHUNK) * REASON_WIDTH);
      return typeof t === 'string' ? t : String(t ?? '');
    } catch (e) {
      throw this.failed('reasonAt', e);
    }
  }

  private failed(what: string, e: unknown): StrategyError {
    if (e instanceof StrategyError) return e;
    return StrategyError.named(this.strategyId, `${what}() threw: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * What `bot create` warns about (and `--strict` refuses): a bot that cannot do what its owner
 * expects. Each check reads the database at the clock; none changes anything.
 * - another bot already trades the same account and symbol (their orders net into one position);
 * - its leverage is above the account's maximum (every order would be rejected);
 * - the symbol has no 1m candle at the clock, or only a stale one (it would never act);
 * - the account cannot afford the instrument's minimum size at that leverage (every order would be
 *   rejected for margin).
 */
import { applyPpm, formatCash, formatQty, notional, priceFromFloat, type Money, type Ppm } from '../core/money.ts';
import { marginFor } from '../core/position.ts';
import { formatDuration, TIMEFRAME_MS, type Timeframe } from '../core/time.ts';
import { accountMarks } from '../engine/accounting.ts';
import { listBots } from '../store/bots.ts';
import { candleAtOrBefore } from '../store/candles.ts';
import { readClock } from '../store/clock.ts';
import type { Store } from '../store/db.ts';
import type { Instrument } from '../store/instruments.ts';
import { dryRun } from './paper.ts';

export interface BotPlan {
  readonly name: string;
  readonly accountId: string;
  readonly instrument: Instrument;
  readonly timeframe: Timeframe;
  readonly leverage: number;
}

export function botCreateWarnings(store: Store, plan: BotPlan): string[] {
  const warnings: string[] = [];
  const { instrument: inst } = plan;
  const others = listBots(store).filter((b) => b.account_id === plan.accountId && b.instrument_id === inst.id && b.name !== plan.name);
  if (others.length) {
    warnings.push(
      `bot${others.length > 1 ? 's' : ''} ${others.map((b) => `"${b.name}"`).join(', ')} already trade${others.length > 1 ? '' : 's'} ${inst.symbol} on this account: their orders net into one position`,
    );
  }
  const clock = readClock(store);
  const last = candleAtOrBefore(store, inst.id, clock);
  if (!last) {
    warnings.push(`${inst.symbol} has no 1m candles at the clock: the bot would never act (import or extend its data first)`);
  } else if (clock - last.timestamp > TIMEFRAME_MS[plan.timeframe]) {
    warnings.push(
      `${inst.symbol}'s latest 1m candle is ${formatDuration(clock - last.timestamp)} before the clock: the bot acts only on new candles`,
    );
  }
  dryRun(
    store,
    (engine) => {
      const acct = engine.account(plan.accountId);
      if (plan.leverage > acct.maxLeverage) {
        warnings.push(`leverage ${plan.leverage}x is above the account's maximum of ${acct.maxLeverage}x: every order would be rejected`);
        return;
      }
      if (!last) return;
      const price = priceFromFloat(last.close);
      const fee = applyPpm(notional(inst.minSize, price, inst.contractSize), Math.max(acct.takerFee, acct.makerFee) as Ppm, 'ceil');
      const need = (marginFor(inst.minSize, price, inst.contractSize, plan.leverage) + fee) as Money;
      const available = accountMarks(engine.state, acct).available;
      if (need > available) {
        warnings.push(
          `the account cannot afford ${inst.symbol}'s minimum size ${formatQty(inst.minSize)} at ${plan.leverage}x: it needs ${formatCash(need)} with fees, ${formatCash(available)} is available`,
        );
      }
    },
    { accountIds: [plan.accountId], instrumentIds: [inst.id] },
  );
  return warnings;
}

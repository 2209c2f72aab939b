/**
 * An account as `tunicoin account` shows it (balance, equity, margin and open positions marked
 * at the clock, read without writing), and cash moved in or out of it (`deposit`, `withdraw`):
 * a journal posted by the engine in one write transaction.
 */
import { ConflictError } from '../core/errors.ts';
import { formatCash, priceFromFloat, type Money } from '../core/money.ts';
import { accountMarks, post } from '../engine/accounting.ts';
import { accountRowById } from '../store/accounts.ts';
import type { Store } from '../store/db.ts';
import { dryRun, withPaper } from './paper.ts';

/** The account and its open positions marked at the clock, as raw figures (money in micro-units). */
export function accountSnapshot(store: Store, accountId: string) {
  return dryRun(
    store,
    (engine) => {
      const acct = engine.account(accountId);
      const m = accountMarks(engine.state, acct);
      const row = accountRowById(store, accountId);
      const positions = [...acct.positions.values()].map((p) => {
        const inst = engine.instrument(p.instrumentId);
        return {
          id: p.id,
          symbol: inst.spec.symbol,
          tickSize: inst.spec.tickSize,
          size: p.size,
          entryPrice: p.entryPrice,
          markPrice: inst.bar ? priceFromFloat(inst.bar.close) : null,
          unrealized: engine.unrealizedOf(p),
          realizedPnl: p.realizedPnl,
          leverage: p.leverage,
          marginUsed: p.marginUsed,
          stopLoss: p.stopLoss,
          takeProfit: p.takeProfit,
          trail: p.trail,
          fundingPaid: p.fundingPaid,
          openedAt: p.openedAt,
        };
      });
      return {
        id: accountId,
        name: row.name,
        clock: engine.state.clock,
        balance: acct.balance,
        equity: m.equity,
        unrealized: m.unrealized,
        marginUsed: m.marginUsed,
        available: m.available,
        maintenance: m.maintenance,
        today: acct.dayPnl + m.unrealized,
        maxLeverage: row.max_leverage,
        maxDailyLoss: row.max_daily_loss,
        makerFeePpm: row.maker_fee_ppm,
        takerFeePpm: row.taker_fee_ppm,
        positions,
      };
    },
    { accountIds: [accountId] },
  );
}

/**
 * Deposit (`amount` > 0 added) or withdraw (`amount` taken out) cash at the clock; a withdrawal
 * may take only what is free (balance not tied up as margin or losses). Returns the balance after.
 */
export function moveCash(store: Store, wallNow: () => number, accountId: string, kind: 'deposit' | 'withdrawal', amount: Money): Money {
  return withPaper(
    store,
    wallNow,
    (s) => {
      const acct = s.engine.account(accountId);
      if (kind === 'withdrawal') {
        const m = accountMarks(s.state, acct);
        const free = Math.min(acct.balance, m.available);
        if (amount > free)
          throw new ConflictError(
            `cannot withdraw ${formatCash(amount)}: only ${formatCash(Math.max(0, free))} is free (balance not tied up as margin or losses)`,
          );
      }
      post(s.sink, acct, kind, (kind === 'deposit' ? amount : -amount) as Money, s.clock, {
        description: kind === 'deposit' ? 'Deposit' : 'Withdrawal',
      });
      return acct.balance;
    },
    { accountIds: [accountId] },
  );
}

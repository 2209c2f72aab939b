/**
 * Opening a paper account: the account row and its initial deposit, a double-entry journal
 * against the house's external cash, in one transaction.
 */
import { ConflictError } from '../core/errors.ts';
import { HOUSE_FOR, traderVsHouse } from '../core/ledger.ts';
import type { Money, Ppm } from '../core/money.ts';
import { toIso } from '../core/time.ts';
import { ensureHouseAccounts, ensureOwner, insertTraderAccount, markAccountAtBalance, traderAccountNamed } from '../store/accounts.ts';
import { readClock } from '../store/clock.ts';
import type { Store } from '../store/db.ts';
import { newId } from '../store/ids.ts';
import { houseAccountId, postJournal } from '../store/ledger.ts';
import { assertPlanAllows } from './plans.ts';

export interface NewAccount {
  readonly name: string;
  readonly balance: Money;
  readonly maxLeverage: number;
  readonly maxDailyLoss: Money | null;
  readonly makerFee: Ppm;
  readonly takerFee: Ppm;
}

/** Create a trading account of the acting user, funded by a deposit at the clock; returns its id. */
export function openAccount(store: Store, a: NewAccount, nowIso: string): string {
  return store.tx(() => {
    const clock = readClock(store);
    ensureHouseAccounts(store, nowIso);
    const userId = ensureOwner(store, nowIso);
    if (traderAccountNamed(store, userId, a.name)) throw new ConflictError(`an account named "${a.name}" already exists`);
    assertPlanAllows(store, 'max_accounts', 1, userId);
    const accountId = newId();
    insertTraderAccount(
      store,
      {
        id: accountId,
        userId,
        name: a.name,
        maxLeverage: a.maxLeverage,
        maxDailyLoss: a.maxDailyLoss,
        makerFee: a.makerFee,
        takerFee: a.takerFee,
      },
      nowIso,
    );
    postJournal(store, {
      type: 'deposit',
      createdAt: toIso(clock),
      postings: traderVsHouse(accountId, houseAccountId(store, HOUSE_FOR.deposit), a.balance, { description: 'Initial deposit' }),
    });
    markAccountAtBalance(store, accountId);
    return accountId;
  });
}

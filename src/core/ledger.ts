/**
 * Double-entry journals. A money event is one journal: postings to the trader's account and to
 * a house account (external cash, fees, trading counterparty, funding pool) that sum to zero.
 * This module validates journals and computes running balances; the store persists them.
 *
 * Invariants (checked by `ledger verify`): every journal sums to zero; an account's balance is
 * the sum of its postings; each posting's balance_after = previous balance_after + amount.
 */
import type { Money } from './money.ts';
import { TunicoinError } from './errors.ts';

export type EntryType = 'deposit' | 'withdrawal' | 'trade_pnl' | 'commission' | 'funding' | 'liquidation' | 'adjustment';
export const ENTRY_TYPES: readonly EntryType[] = [
  'deposit',
  'withdrawal',
  'trade_pnl',
  'commission',
  'funding',
  'liquidation',
  'adjustment',
];

/** The system accounts every journal balances against. */
export type HouseAccount = 'external_cash' | 'fees' | 'counterparty' | 'funding_pool';
export const HOUSE_ACCOUNTS: readonly HouseAccount[] = ['external_cash', 'fees', 'counterparty', 'funding_pool'];
export const houseAccountName = (h: HouseAccount): string => `house:${h}`;

/** Which house account takes the other side of each entry type. */
export const HOUSE_FOR: Readonly<Record<EntryType, HouseAccount>> = {
  deposit: 'external_cash',
  withdrawal: 'external_cash',
  trade_pnl: 'counterparty',
  commission: 'fees',
  funding: 'funding_pool',
  liquidation: 'counterparty',
  adjustment: 'counterparty',
};

export interface Posting {
  readonly accountId: string;
  readonly amount: Money;
  readonly orderId?: string | null;
  readonly positionId?: string | null;
  readonly description?: string;
}

export class UnbalancedJournalError extends TunicoinError {
  constructor(readonly sum: number) {
    super('integrity', `journal does not balance: postings sum to ${sum}, expected 0`);
    this.name = 'UnbalancedJournalError';
  }
}

/** The two postings of a simple trader-vs-house journal: +amount to the trader, -amount to the house. */
export function traderVsHouse(
  traderAccountId: string,
  houseAccountId: string,
  amount: Money,
  refs: { orderId?: string | null; positionId?: string | null; description?: string } = {},
): Posting[] {
  return [
    { accountId: traderAccountId, amount, ...refs },
    { accountId: houseAccountId, amount: -amount as Money, ...refs },
  ];
}

export function assertBalanced(postings: readonly Posting[]): void {
  let sum = 0;
  for (const p of postings) {
    if (!Number.isSafeInteger(p.amount)) throw new UnbalancedJournalError(NaN);
    sum += p.amount;
  }
  if (sum !== 0) throw new UnbalancedJournalError(sum);
}

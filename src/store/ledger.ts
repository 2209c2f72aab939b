/**
 * Persisting journals. Must run inside the caller's write transaction: reads the current
 * balances, appends postings with their running balance_after, and updates accounts.balance,
 * so balance == sum(postings) holds after every commit.
 */
import { assertBalanced, type EntryType, type HouseAccount, type Posting, houseAccountName } from '../core/ledger.ts';
import type { Store } from './db.ts';
import { newId } from './ids.ts';
import { NotFoundError } from '../core/errors.ts';

export interface JournalInput {
  readonly type: EntryType;
  readonly createdAt: string;
  readonly postings: readonly Posting[];
  readonly currency?: string;
  readonly meta?: Record<string, unknown>;
}

export interface PostedJournal { readonly journalId: string; readonly entryIds: string[] }

export function postJournal(store: Store, input: JournalInput): PostedJournal {
  assertBalanced(input.postings);
  const journalId = newId();
  const seqRow = store.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM ledger_entries').get() as { seq: number };
  let seq = seqRow.seq;
  const balanceOf = store.prepare('SELECT balance FROM accounts WHERE id = ?');
  const setBalance = store.prepare('UPDATE accounts SET balance = ?, updated_at = ? WHERE id = ?');
  const insert = store.prepare(`INSERT INTO ledger_entries
    (id, seq, journal_id, account_id, entry_type, amount, balance_after, currency, order_id, position_id, description, meta, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const meta = input.meta ? JSON.stringify(input.meta) : null;
  const entryIds: string[] = [];
  for (const p of input.postings) {
    const row = balanceOf.get(p.accountId) as { balance: number } | undefined;
    if (!row) throw new NotFoundError('account', p.accountId);
    const after = row.balance + p.amount;
    if (!Number.isSafeInteger(after)) throw new RangeError('balance out of range');
    setBalance.run(after, input.createdAt, p.accountId);
    const id = newId();
    insert.run(id, ++seq, journalId, p.accountId, input.type, p.amount, after, input.currency ?? 'USD',
      p.orderId ?? null, p.positionId ?? null, p.description ?? null, meta, input.createdAt);
    entryIds.push(id);
  }
  return { journalId, entryIds };
}

/** Id of a house account (created by ensureHouseAccounts). */
export function houseAccountId(store: Store, house: HouseAccount): string {
  const row = store.prepare("SELECT id FROM accounts WHERE kind = 'house' AND name = ?").get(houseAccountName(house)) as { id: string } | undefined;
  if (!row) throw new NotFoundError('house account', houseAccountName(house), 'run `tunicoin seed` first');
  return row.id;
}

/**
 * Persisting journals. Must run inside the caller's write transaction: reads the current
 * balances, appends postings with their running balance_after, and updates accounts.balance,
 * so balance == sum(postings) holds after every commit.
 */
import { assertBalanced, type EntryType, type HouseAccount, type Posting, houseAccountName } from '../core/ledger.ts';
import { param, type Store } from './db.ts';
import { newId } from './ids.ts';
import { NotFoundError, TunicoinError } from '../core/errors.ts';
import { formatFixed, MAX_MONEY, MONEY_DECIMALS } from '../core/money.ts';

/**
 * A journal that would take a balance past +-MAX_MONEY (2^53 - 1 micro-units): refused before
 * anything is written (exit 2). The trader's side is checked first, so the trader's own limit
 * is what an oversized deposit reports; a house account (external cash holds minus the net
 * deposits of the whole database) is refused before it could overflow, never after.
 */
export class BalanceLimitError extends TunicoinError {
  constructor(
    readonly accountName: string,
    readonly after: bigint,
    readonly house: boolean,
  ) {
    super(
      'usage',
      house
        ? `refused: the house account ${accountName} would reach ${after < 0n ? '-' : ''}${bigMoney(after < 0n ? -after : after)}, past the limit of ${formatFixed(MAX_MONEY, MONEY_DECIMALS)}`
        : `refused: the balance of ${accountName} would be ${after < 0n ? '-' : ''}${bigMoney(after < 0n ? -after : after)}, past the largest balance ${formatFixed(MAX_MONEY, MONEY_DECIMALS)}`,
      house ? 'deposits net of withdrawals over all accounts of this database are limited to that amount' : 'use a smaller amount',
    );
    this.name = 'BalanceLimitError';
  }
}

const bigMoney = (v: bigint): string => {
  const s = v.toString().padStart(MONEY_DECIMALS + 1, '0');
  return `${s.slice(0, -MONEY_DECIMALS)}.${s.slice(-MONEY_DECIMALS)}`;
};

export interface JournalInput {
  readonly type: EntryType;
  readonly createdAt: string;
  readonly postings: readonly Posting[];
  readonly currency?: string;
  readonly meta?: Record<string, unknown>;
}

export interface PostedJournal {
  readonly journalId: string;
  readonly entryIds: string[];
}

export function postJournal(store: Store, input: JournalInput): PostedJournal {
  assertBalanced(input.postings);
  const balanceOf = (id: string) =>
    store.hotStatement('accounts.balance', (db) => db.selectFrom('accounts').select('balance').where('id', '=', param<string>())).get(id);
  // Every balance after the journal, computed before anything is written: nothing is posted
  // when one would leave the safe range (the slow path names the account and the limit).
  const running = new Map<string, number>();
  const afters: number[] = [];
  let inRange = true;
  for (const p of input.postings) {
    let balance = running.get(p.accountId);
    if (balance === undefined) {
      const row = balanceOf(p.accountId);
      if (!row) throw new NotFoundError('account', p.accountId);
      balance = row.balance;
    }
    const after = balance + p.amount;
    if (!Number.isSafeInteger(after)) inRange = false;
    running.set(p.accountId, after);
    afters.push(after);
  }
  if (!inRange) {
    assertWithinLimits(store, input.postings);
    throw new RangeError('balance out of range');
  }
  const journalId = newId();
  const seqRow = store
    .hotStatement('ledger.lastSeq', (db) =>
      db.selectFrom('ledger_entries').select((eb) => eb.fn.coalesce(eb.fn.max('seq'), eb.lit(0)).as('seq')),
    )
    .get();
  let seq = seqRow?.seq ?? 0;
  const meta = input.meta ? JSON.stringify(input.meta) : null;
  const entryIds: string[] = [];
  // values in the order of the columns below
  const insertEntry = store.hotStatement('ledger.insertEntry', (db) =>
    db.insertInto('ledger_entries').values({
      id: param<string>(),
      seq: param<number>(),
      journal_id: param<string>(),
      account_id: param<string>(),
      entry_type: param<EntryType>(),
      amount: param<number>(),
      balance_after: param<number>(),
      currency: param<string>(),
      order_id: param<string | null>(),
      position_id: param<string | null>(),
      description: param<string | null>(),
      meta: param<string | null>(),
      created_at: param<string>(),
    }),
  );
  input.postings.forEach((p, k) => {
    const after = afters[k] as number;
    store
      .hotStatement('accounts.setBalance', (db) =>
        db.updateTable('accounts').set({ balance: param<number>(), updated_at: param<string>() }).where('id', '=', param<string>()),
      )
      .run(after, input.createdAt, p.accountId);
    const id = newId();
    insertEntry.run(
      id,
      ++seq,
      journalId,
      p.accountId,
      input.type,
      p.amount,
      after,
      input.currency ?? 'USD',
      p.orderId ?? null,
      p.positionId ?? null,
      p.description ?? null,
      meta,
      input.createdAt,
    );
    entryIds.push(id);
  });
  return { journalId, entryIds };
}

/** Every balance the postings touch stays within +-MAX_MONEY; traders checked before house accounts. */
export function assertWithinLimits(store: Store, postings: readonly Posting[]): void {
  const after = new Map<string, { name: string; house: boolean; value: bigint }>();
  for (const p of postings) {
    const row = store.get(store.db.selectFrom('accounts').select(['name', 'kind', 'balance']).where('id', '=', p.accountId));
    if (!row) throw new NotFoundError('account', p.accountId);
    const prev = after.get(p.accountId)?.value ?? BigInt(row.balance);
    after.set(p.accountId, { name: row.name, house: row.kind !== 'trader', value: prev + BigInt(p.amount) });
  }
  const limit = BigInt(MAX_MONEY);
  const over = [...after.values()].filter((a) => a.value > limit || a.value < -limit).sort((a, b) => Number(a.house) - Number(b.house));
  const first = over[0];
  if (first) throw new BalanceLimitError(first.name, first.value, first.house);
}

/** Id of a house account (created by ensureHouseAccounts). */
export function houseAccountId(store: Store, house: HouseAccount): string {
  const row = store
    .hotStatement('accounts.house', (db) =>
      db.selectFrom('accounts').select('id').where('kind', '=', param<'house'>()).where('name', '=', param<string>()),
    )
    .get('house', houseAccountName(house));
  if (!row) throw new NotFoundError('house account', houseAccountName(house), 'run `tunicoin seed` first');
  return row.id;
}

/** A ledger line as the `ledger` command shows it. */
export interface EntryView {
  id: string;
  seq: number;
  journal_id: string;
  entry_type: string;
  amount: number;
  balance_after: number;
  currency: string;
  order_id: string | null;
  position_id: string | null;
  description: string | null;
  created_at: string;
}

/** The latest `limit` postings of an account (of one entry type, or all), oldest first. */
export function latestEntries(store: Store, accountId: string, type: string | undefined, limit: number): EntryView[] {
  const rows = store.all(
    store.db
      .selectFrom('ledger_entries')
      .select([
        'id',
        'seq',
        'journal_id',
        'entry_type',
        'amount',
        'balance_after',
        'currency',
        'order_id',
        'position_id',
        'description',
        'created_at',
      ])
      .where('account_id', '=', accountId)
      .$if(type !== undefined, (q) => q.where('entry_type', '=', type as EntryType))
      .orderBy('seq', 'desc')
      .limit(limit),
  );
  return rows.reverse();
}

/** The sum of an account's postings since `sinceIso`, deposits and withdrawals left out (its trading result). */
export function tradingResultSince(store: Store, accountId: string, sinceIso: string): number {
  const row = store
    .hotStatement('ledger.tradingResultSince', (db) =>
      db
        .selectFrom('ledger_entries')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('s'))
        .where('account_id', '=', param<string>())
        .where('entry_type', 'not in', [param<EntryType>(), param<EntryType>()])
        .where('created_at', '>=', param<string>()),
    )
    .get(accountId, 'deposit', 'withdrawal', sinceIso);
  return row?.s ?? 0;
}

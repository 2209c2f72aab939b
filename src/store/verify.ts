/**
 * `ledger verify`: every invariant of the double-entry ledger and of margin bookkeeping,
 * checked with SQL over the whole database. Returns each check with what it found.
 */
import { sql, type Compilable, type ExpressionBuilder } from 'kysely';
import type { Store } from './db.ts';
import type { AccountsTable, Database } from './schema.ts';
import { computeBotStats } from './bots.ts';

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly checked: number;
  readonly detail: string;
}

/**
 * What the database itself vouches for: SQLite's integrity_check and foreign_key_check over the
 * file; on PostgreSQL the server enforces foreign keys on every write and checks its own pages.
 */
export function storageChecks(store: Store): Check[] {
  if (store.dialect === 'postgres') {
    const fks = store.get(
      store.db
        .selectFrom(sql<{ n: number }>`information_schema.table_constraints`.as('c'))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(sql<boolean>`constraint_type = 'FOREIGN KEY' AND table_schema = current_schema()`),
    );
    return [{ name: 'foreign keys enforced by the server', ok: true, checked: fks?.n ?? 0, detail: `${fks?.n ?? 0} constraints` }];
  }
  const integrity = store.sqlite.pragma('integrity_check', { simple: true }) as string;
  const fk = (store.sqlite.pragma('foreign_key_check') as unknown[]).length;
  return [
    { name: 'SQLite integrity_check', ok: integrity === 'ok', checked: 1, detail: integrity },
    { name: 'foreign keys resolve', ok: fk === 0, checked: 1, detail: fk === 0 ? 'ok' : `${fk} dangling references` },
  ];
}

export function verifyLedger(store: Store): Check[] {
  const checks: Check[] = [];
  const add = (name: string, checked: number, broken: number, what: string) =>
    checks.push({
      name,
      ok: broken === 0,
      checked,
      detail: broken === 0 ? `${checked} ${what} ok` : `${broken} of ${checked} ${what} broken`,
    });
  const { db } = store;
  const n = (q: Compilable<{ n: number }>): number => store.get(q)?.n ?? 0;
  const rows = (table: keyof Database) => db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));

  const journals = n(db.selectFrom('ledger_entries').select((eb) => eb.fn.count<number>('journal_id').distinct().as('n')));
  const byJournal = db.selectFrom('ledger_entries').select('journal_id').groupBy('journal_id');
  add(
    'every journal sums to zero',
    journals,
    n(db.selectFrom(byJournal.having((eb) => eb.fn.sum('amount'), '!=', 0).as('j')).select((eb) => eb.fn.countAll<number>().as('n'))),
    'journals',
  );
  add(
    'every journal has postings on both sides',
    journals,
    n(db.selectFrom(byJournal.having((eb) => eb.fn.countAll(), '<', 2).as('j')).select((eb) => eb.fn.countAll<number>().as('n'))),
    'journals',
  );
  add(
    'the whole ledger sums to zero',
    1,
    n(
      db.selectFrom('ledger_entries').select((eb) =>
        eb
          .case()
          .when(eb.fn.coalesce(eb.fn.sum('amount'), eb.lit(0)), '=', 0)
          .then(0)
          .else(1)
          .end()
          .as('n'),
      ),
    ),
    'ledger',
  );

  const accounts = n(rows('accounts'));
  const sumOfPostings = (eb: ExpressionBuilder<Database & { a: AccountsTable }, 'a'>) =>
    eb
      .selectFrom('ledger_entries as e')
      .select((e) => e.fn.coalesce(e.fn.sum<number>('amount'), e.lit(0)).as('s'))
      .whereRef('e.account_id', '=', 'a.id');
  add(
    'account balance equals the sum of its postings',
    accounts,
    n(
      db
        .selectFrom('accounts as a')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) => eb('a.balance', '!=', sumOfPostings(eb))),
    ),
    'accounts',
  );

  const entries = n(rows('ledger_entries'));
  const running = db
    .selectFrom('ledger_entries')
    .select(['balance_after', sql<number>`SUM(amount) OVER (PARTITION BY account_id ORDER BY seq ROWS UNBOUNDED PRECEDING)`.as('running')]);
  add(
    'balance_after is the running sum',
    entries,
    n(
      db
        .selectFrom(running.as('r'))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .whereRef('r.balance_after', '!=', 'r.running'),
    ),
    'postings',
  );
  add(
    'last balance_after equals the account balance',
    accounts,
    n(
      db
        .selectFrom('accounts as a')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) =>
          eb.and([
            eb.exists(eb.selectFrom('ledger_entries as e').select('e.id').whereRef('e.account_id', '=', 'a.id')),
            eb(
              'a.balance',
              '!=',
              eb
                .selectFrom('ledger_entries as e')
                .select('e.balance_after')
                .whereRef('e.account_id', '=', 'a.id')
                .orderBy('e.seq', 'desc')
                .limit(1),
            ),
          ]),
        ),
    ),
    'accounts',
  );
  add(
    'trader postings face a house account',
    entries,
    n(
      db
        .selectFrom('ledger_entries as e')
        .innerJoin('accounts as a', 'a.id', 'e.account_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('a.kind', '=', 'trader')
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('ledger_entries as h')
                .innerJoin('accounts as ha', 'ha.id', 'h.account_id')
                .select('h.id')
                .whereRef('h.journal_id', '=', 'e.journal_id')
                .where('ha.kind', '=', 'house'),
            ),
          ),
        ),
    ),
    'postings',
  );

  const traders = n(rows('accounts').where('kind', '=', 'trader'));
  const tradersWhere = db
    .selectFrom('accounts as a')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('a.kind', '=', 'trader');
  const openSum = (eb: ExpressionBuilder<Database & { a: AccountsTable }, 'a'>, col: 'margin_used' | 'unrealized_pnl') =>
    eb
      .selectFrom('positions as p')
      .select((e) => e.fn.coalesce(e.fn.sum<number>(`p.${col}`), e.lit(0)).as('s'))
      .whereRef('p.account_id', '=', 'a.id')
      .where('p.is_open', '=', 1);
  add(
    'account margin used equals the sum over open positions',
    traders,
    n(tradersWhere.where((eb) => eb('a.margin_used', '!=', openSum(eb, 'margin_used')))),
    'accounts',
  );
  add(
    'margin available equals equity minus margin used',
    traders,
    n(tradersWhere.where((eb) => eb('a.margin_available', '!=', eb('a.equity', '-', eb.ref('a.margin_used'))))),
    'accounts',
  );
  add(
    'equity equals balance plus unrealised PnL',
    traders,
    n(tradersWhere.where((eb) => eb('a.equity', '!=', eb('a.balance', '+', openSum(eb, 'unrealized_pnl'))))),
    'accounts',
  );

  const positions = n(rows('positions'));
  add(
    'open positions have a size and margin, closed ones none',
    positions,
    n(
      db
        .selectFrom('positions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) =>
          eb.or([
            eb.and([eb('is_open', '=', 1), eb.or([eb('size', '<=', 0), eb('margin_used', '<=', 0)])]),
            eb.and([eb('is_open', '=', 0), eb.or([eb('size', '!=', 0), eb('margin_used', '!=', 0), eb('closed_at', 'is', null)])]),
          ]),
        ),
    ),
    'positions',
  );
  const orders = n(rows('orders'));
  const ordersWhere = db.selectFrom('orders as o').select((eb) => eb.fn.countAll<number>().as('n'));
  add(
    'filled orders have a fill price and size',
    orders,
    n(
      ordersWhere
        .where('o.status', '=', 'filled')
        .where((eb) => eb.or([eb('o.fill_price', 'is', null), eb('o.filled_size', '!=', eb.ref('o.size')), eb('o.filled_at', 'is', null)])),
    ),
    'orders',
  );
  add(
    'rejected orders carry a reason',
    orders,
    n(
      ordersWhere
        .where('o.status', '=', 'rejected')
        .where((eb) => eb.or([eb('o.reject_reason', 'is', null), eb('o.reject_reason', '=', '')])),
    ),
    'orders',
  );
  add(
    'order commissions match their commission postings',
    orders,
    n(
      ordersWhere.innerJoin('accounts as a', 'a.id', 'o.account_id').where((eb) =>
        eb(
          'o.commission',
          '!=',
          eb.neg(
            eb
              .selectFrom('ledger_entries as e')
              .select((e) => e.fn.coalesce(e.fn.sum<number>('e.amount'), e.lit(0)).as('s'))
              .whereRef('e.order_id', '=', 'o.id')
              .whereRef('e.account_id', '=', 'o.account_id')
              .where('e.entry_type', '=', 'commission'),
          ),
        ),
      ),
    ),
    'orders',
  );
  const bots = n(rows('bots'));
  let badBots = 0;
  for (const b of store.all(db.selectFrom('bots').select(['id', 'total_trades', 'winning_trades', 'losing_trades', 'total_pnl']))) {
    const s = computeBotStats(store, b.id);
    if (s.trades !== b.total_trades || s.winning !== b.winning_trades || s.losing !== b.losing_trades || s.totalPnl !== b.total_pnl)
      badBots++;
  }
  add('bot stats agree with their orders and the ledger', bots, badBots, 'bots');
  const botOrders = ordersWhere.where('o.bot_id', 'is not', null).where('o.source', '=', 'bot');
  // A decision that reverses a position places two orders: the close leg (close_order_id) and the open leg (order_id).
  add(
    'every bot order has its decision',
    n(botOrders),
    n(
      botOrders.where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('bot_decisions as d')
              .select('d.id')
              .where((d) => d.or([d('d.order_id', '=', d.ref('o.id')), d('d.close_order_id', '=', d.ref('o.id'))])),
          ),
        ),
      ),
    ),
    'orders',
  );
  return checks;
}

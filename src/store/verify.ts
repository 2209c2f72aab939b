/**
 * `ledger verify`: every invariant of the double-entry ledger and of margin bookkeeping,
 * checked with SQL over the whole database. Returns each check with what it found.
 */
import type { Store } from './db.ts';
import { computeBotStats } from './bots.ts';

export interface Check { readonly name: string; readonly ok: boolean; readonly checked: number; readonly detail: string }

function count(store: Store, sql: string): number {
  return (store.prepare(sql).get() as { n: number }).n;
}

export function verifyLedger(store: Store): Check[] {
  const checks: Check[] = [];
  const add = (name: string, checked: number, broken: number, what: string) =>
    checks.push({ name, ok: broken === 0, checked, detail: broken === 0 ? `${checked} ${what} ok` : `${broken} of ${checked} ${what} broken` });

  const journals = count(store, 'SELECT COUNT(DISTINCT journal_id) AS n FROM ledger_entries');
  add('every journal sums to zero', journals,
    count(store, 'SELECT COUNT(*) AS n FROM (SELECT journal_id FROM ledger_entries GROUP BY journal_id HAVING SUM(amount) != 0)'), 'journals');
  add('every journal has postings on both sides', journals,
    count(store, 'SELECT COUNT(*) AS n FROM (SELECT journal_id FROM ledger_entries GROUP BY journal_id HAVING COUNT(*) < 2)'), 'journals');
  add('the whole ledger sums to zero', 1, count(store, 'SELECT CASE WHEN COALESCE(SUM(amount), 0) = 0 THEN 0 ELSE 1 END AS n FROM ledger_entries'), 'ledger');

  const accounts = count(store, 'SELECT COUNT(*) AS n FROM accounts');
  add('account balance equals the sum of its postings', accounts, count(store, `SELECT COUNT(*) AS n FROM accounts a
    WHERE a.balance != (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries e WHERE e.account_id = a.id)`), 'accounts');

  const entries = count(store, 'SELECT COUNT(*) AS n FROM ledger_entries');
  add('balance_after is the running sum', entries, count(store, `SELECT COUNT(*) AS n FROM (
      SELECT balance_after, SUM(amount) OVER (PARTITION BY account_id ORDER BY seq ROWS UNBOUNDED PRECEDING) AS running FROM ledger_entries
    ) WHERE balance_after != running`), 'postings');
  add('last balance_after equals the account balance', accounts, count(store, `SELECT COUNT(*) AS n FROM accounts a
    WHERE EXISTS (SELECT 1 FROM ledger_entries e WHERE e.account_id = a.id)
      AND a.balance != (SELECT balance_after FROM ledger_entries e WHERE e.account_id = a.id ORDER BY seq DESC LIMIT 1)`), 'accounts');
  add('trader postings face a house account', entries, count(store, `SELECT COUNT(*) AS n FROM ledger_entries e JOIN accounts a ON a.id = e.account_id
    WHERE a.kind = 'trader' AND NOT EXISTS (SELECT 1 FROM ledger_entries h JOIN accounts ha ON ha.id = h.account_id
      WHERE h.journal_id = e.journal_id AND ha.kind = 'house')`), 'postings');

  const traders = count(store, "SELECT COUNT(*) AS n FROM accounts WHERE kind = 'trader'");
  add('account margin used equals the sum over open positions', traders, count(store, `SELECT COUNT(*) AS n FROM accounts a WHERE a.kind = 'trader'
    AND a.margin_used != (SELECT COALESCE(SUM(margin_used), 0) FROM positions p WHERE p.account_id = a.id AND p.is_open = 1)`), 'accounts');
  add('margin available equals equity minus margin used', traders, count(store, `SELECT COUNT(*) AS n FROM accounts a WHERE a.kind = 'trader'
    AND a.margin_available != a.equity - a.margin_used`), 'accounts');
  add('equity equals balance plus unrealised PnL', traders, count(store, `SELECT COUNT(*) AS n FROM accounts a WHERE a.kind = 'trader'
    AND a.equity != a.balance + (SELECT COALESCE(SUM(unrealized_pnl), 0) FROM positions p WHERE p.account_id = a.id AND p.is_open = 1)`), 'accounts');

  const positions = count(store, 'SELECT COUNT(*) AS n FROM positions');
  add('open positions have a size and margin, closed ones none', positions, count(store, `SELECT COUNT(*) AS n FROM positions
    WHERE (is_open = 1 AND (size <= 0 OR margin_used <= 0)) OR (is_open = 0 AND (size != 0 OR margin_used != 0 OR closed_at IS NULL))`), 'positions');
  const orders = count(store, 'SELECT COUNT(*) AS n FROM orders');
  add('filled orders have a fill price and size', orders, count(store, `SELECT COUNT(*) AS n FROM orders
    WHERE status = 'filled' AND (fill_price IS NULL OR filled_size != size OR filled_at IS NULL)`), 'orders');
  add('rejected orders carry a reason', orders, count(store, "SELECT COUNT(*) AS n FROM orders WHERE status = 'rejected' AND (reject_reason IS NULL OR reject_reason = '')"), 'orders');
  add('order commissions match their commission postings', orders, count(store, `SELECT COUNT(*) AS n FROM orders o JOIN accounts a ON a.id = o.account_id
    WHERE o.commission != -(SELECT COALESCE(SUM(amount), 0) FROM ledger_entries e WHERE e.order_id = o.id AND e.account_id = o.account_id AND e.entry_type = 'commission')`), 'orders');
  const bots = count(store, 'SELECT COUNT(*) AS n FROM bots');
  let badBots = 0;
  for (const b of store.prepare('SELECT id, total_trades, winning_trades, losing_trades, total_pnl FROM bots').all() as Array<{ id: string; total_trades: number; winning_trades: number; losing_trades: number; total_pnl: number }>) {
    const s = computeBotStats(store, b.id);
    if (s.trades !== b.total_trades || s.winning !== b.winning_trades || s.losing !== b.losing_trades || s.totalPnl !== b.total_pnl) badBots++;
  }
  add('bot stats agree with their orders and the ledger', bots, badBots, 'bots');
  add('every bot order has its decision', count(store, 'SELECT COUNT(*) AS n FROM orders WHERE bot_id IS NOT NULL AND source = \'bot\''),
    count(store, "SELECT COUNT(*) AS n FROM orders o WHERE o.bot_id IS NOT NULL AND o.source = 'bot' AND NOT EXISTS (SELECT 1 FROM bot_decisions d WHERE d.order_id = o.id)"), 'orders');
  return checks;
}

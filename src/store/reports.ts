/**
 * Read-only queries behind the HTML reports (src/app/report*.ts): a backtest row by id prefix,
 * a bot's fills and decisions, an account's fills, ledger history, open positions.
 */
import { NotFoundError } from '../core/errors.ts';
import { findBacktest as findBacktestView } from './backtests.ts';
import type { Store } from './db.ts';

export interface BacktestRowView {
  id: string; user_id: string; strategy_id: string; instrument_id: string; symbol: string; timeframe: string; params: string;
  start_date: string | null; end_date: string | null; initial_capital: number; status: string; progress: number; metrics: string | null;
  trade_log_url: string | null; error_message: string | null; created_at: string; started_at: string | null; completed_at: string | null;
}

/** A backtest by its id or a unique prefix (the one rule of core/ids.ts); another user's is not found. */
export function findBacktest(store: Store, idOrPrefix: string): BacktestRowView {
  return findBacktestView(store, idOrPrefix);
}

/** A filled order (fixed-point size and price, ISO fill time). */
export interface FillRow {
  id: string; instrument_id: string; side: 'buy' | 'sell'; filled_size: number; fill_price: number; leverage: number; commission: number;
  filled_at: string; source: string; bot_id: string | null; reason: string | null;
}

const FILLS = `SELECT o.id, o.instrument_id, o.side, o.filled_size, o.fill_price, o.leverage, o.commission, o.filled_at, o.source, o.bot_id,
    (SELECT d.reason FROM bot_decisions d WHERE d.order_id = o.id LIMIT 1) AS reason
  FROM orders o WHERE o.status = 'filled' AND o.fill_price IS NOT NULL AND o.filled_at IS NOT NULL`;

export function botFills(store: Store, botId: string): FillRow[] {
  return store.prepare(`${FILLS} AND o.bot_id = ? ORDER BY o.filled_at, o.rowid`).all(botId) as FillRow[];
}

export function accountFills(store: Store, accountId: string): FillRow[] {
  return store.prepare(`${FILLS} AND o.account_id = ? ORDER BY o.filled_at, o.rowid`).all(accountId) as FillRow[];
}

export interface DecisionRowView {
  candle_timestamp: string; decision: string; reason: string; indicators: string; risk_adjusted: number; risk_adjustment_reason: string | null;
  executed: number; execution_result: string | null; order_id: string | null;
}

/** The latest `limit` decisions of a bot, oldest first; and how many there are in all. */
export function botDecisionRows(store: Store, botId: string, limit: number): { rows: DecisionRowView[]; total: number } {
  const total = (store.prepare('SELECT COUNT(*) AS n FROM bot_decisions WHERE bot_id = ?').get(botId) as { n: number }).n;
  const rows = store.prepare(`SELECT * FROM (SELECT candle_timestamp, decision, reason, indicators, risk_adjusted, risk_adjustment_reason, executed,
      execution_result, order_id, rowid AS r FROM bot_decisions WHERE bot_id = ? ORDER BY candle_timestamp DESC, rowid DESC LIMIT ?) ORDER BY candle_timestamp, r`)
    .all(botId, limit) as DecisionRowView[];
  return { rows, total };
}

export function firstDecisionTime(store: Store, botId: string): string | undefined {
  return (store.prepare('SELECT MIN(candle_timestamp) AS t FROM bot_decisions WHERE bot_id = ?').get(botId) as { t: string | null }).t ?? undefined;
}

export interface LedgerPoint { created_at: string; balance_after: number; entry_type: string; amount: number }

/** Every posting of an account in order: its balance over time. */
export function ledgerHistory(store: Store, accountId: string): LedgerPoint[] {
  return store.prepare('SELECT created_at, balance_after, entry_type, amount FROM ledger_entries WHERE account_id = ? ORDER BY seq').all(accountId) as LedgerPoint[];
}

export interface AccountView {
  id: string; name: string; balance: number; equity: number; margin_used: number; margin_available: number; max_leverage: number;
  maker_fee_ppm: number; taker_fee_ppm: number; is_demo: number; created_at: string;
}

export function accountView(store: Store, accountId: string): AccountView {
  const r = store.prepare(`SELECT id, name, balance, equity, margin_used, margin_available, max_leverage, maker_fee_ppm, taker_fee_ppm, is_demo, created_at
    FROM accounts WHERE id = ?`).get(accountId) as AccountView | undefined;
  if (!r) throw new NotFoundError('account', accountId);
  return r;
}

export interface OpenPositionView {
  symbol: string; side: string; size: number; entry_price: number; current_price: number; unrealized_pnl: number; leverage: number;
  margin_used: number; opened_at: string; instrument_id: string;
}

export function openPositions(store: Store, accountId: string): OpenPositionView[] {
  return store.prepare(`SELECT i.symbol, p.side, p.size, p.entry_price, p.current_price, p.unrealized_pnl, p.leverage, p.margin_used, p.opened_at, p.instrument_id
    FROM positions p JOIN instruments i ON i.id = p.instrument_id WHERE p.account_id = ? AND p.is_open = 1 ORDER BY p.opened_at`).all(accountId) as OpenPositionView[];
}

/**
 * Bot rows, their decisions, and their statistics. Statistics are always recomputed from the
 * ledger and orders (never incremented), so they agree with them by construction:
 *   trades  = realised-PnL postings (trade_pnl, liquidation) of the bot's orders
 *   winning / losing = those with a positive / negative amount
 *   total_pnl = the bot's realised PnL + its fees + the funding of its positions
 */
import { ID_CANDIDATES, normalizeIdPrefix, pickByIdPrefix } from '../core/ids.ts';
import { scopeUserId } from './actor.ts';
import type { Store } from './db.ts';
import { likePrefix } from './ids.ts';

export type BotStatus = 'idle' | 'running' | 'paused' | 'stopped' | 'error';

export interface BotRow {
  id: string; user_id: string; account_id: string; instrument_id: string; timeframe: string; name: string; strategy_id: string;
  params: string; size_spec: string; status: BotStatus; max_position_size: number | null; max_daily_loss: number | null; max_drawdown: number | null;
  total_trades: number; winning_trades: number; losing_trades: number; total_pnl: number; peak_equity: number | null;
  is_circuit_broken: number; circuit_breaker_reason: string | null; last_execution_at: string | null; last_candle_at: number | null;
  last_error: string | null; created_at: string; updated_at: string;
  /** Simulation time (epoch ms) the bot was last started at; migration 002. */
  started_at: number | null; leverage: number;
}

/** A bot by name or unique id prefix; another user's bot is not found. */
export function findBot(store: Store, nameOrId: string): BotRow {
  const uid = scopeUserId(store);
  const byName = store.prepare('SELECT * FROM bots WHERE name = ? AND (? IS NULL OR user_id = ?)').get(nameOrId, uid, uid) as BotRow | undefined;
  if (byName) return byName;
  const p = normalizeIdPrefix(nameOrId) ?? '';
  const rows = p === '' ? [] : store.prepare(`SELECT * FROM bots WHERE id LIKE ? ESCAPE '\\' AND (? IS NULL OR user_id = ?) LIMIT ${ID_CANDIDATES}`).all(likePrefix(p), uid, uid) as BotRow[];
  return pickByIdPrefix('bot', nameOrId, rows, 'see `tunicoin bot list`');
}

/** Every bot of every user (the market runs them all). */
export function listBots(store: Store): BotRow[] {
  return store.prepare('SELECT * FROM bots ORDER BY created_at, rowid').all() as BotRow[];
}

/** The acting user's bots (all of them for an admin with --all-users). */
export function listUserBots(store: Store): BotRow[] {
  const uid = scopeUserId(store);
  return store.prepare('SELECT * FROM bots WHERE (? IS NULL OR user_id = ?) ORDER BY created_at, rowid').all(uid, uid) as BotRow[];
}

export function setBotStatus(store: Store, id: string, status: BotStatus, nowIso: string, extra: Partial<Pick<BotRow, 'is_circuit_broken' | 'circuit_breaker_reason' | 'last_error'>> = {}): void {
  const cols = Object.keys(extra);
  store.prepare(`UPDATE bots SET status = ?, updated_at = ?${cols.map((c) => `, ${c} = ?`).join('')} WHERE id = ?`)
    .run(status, nowIso, ...Object.values(extra), id);
}

export interface BotStats { trades: number; winning: number; losing: number; totalPnl: number }

export function computeBotStats(store: Store, botId: string): BotStats {
  const t = store.prepare(`SELECT COUNT(*) AS trades, COALESCE(SUM(e.amount > 0), 0) AS winning, COALESCE(SUM(e.amount < 0), 0) AS losing
    FROM ledger_entries e JOIN orders o ON o.id = e.order_id JOIN accounts a ON a.id = e.account_id
    WHERE o.bot_id = ? AND a.kind = 'trader' AND e.entry_type IN ('trade_pnl', 'liquidation')`).get(botId) as { trades: number; winning: number; losing: number };
  const p = store.prepare(`SELECT COALESCE(SUM(e.amount), 0) AS pnl FROM ledger_entries e JOIN accounts a ON a.id = e.account_id
    WHERE a.kind = 'trader' AND (
      (e.entry_type IN ('trade_pnl', 'liquidation', 'commission') AND e.order_id IN (SELECT id FROM orders WHERE bot_id = ?))
      OR (e.entry_type = 'funding' AND e.position_id IN (SELECT id FROM positions WHERE bot_id = ?)))`).get(botId, botId) as { pnl: number };
  return { trades: t.trades, winning: t.winning, losing: t.losing, totalPnl: p.pnl };
}

export function refreshBotStats(store: Store, botId: string): BotStats {
  const s = computeBotStats(store, botId);
  store.prepare('UPDATE bots SET total_trades = ?, winning_trades = ?, losing_trades = ?, total_pnl = ? WHERE id = ?').run(s.trades, s.winning, s.losing, s.totalPnl, botId);
  return s;
}

/** The bot's realised result (PnL, fees, funding) since `sinceIso`. */
export function botResultSince(store: Store, botId: string, sinceIso: string): number {
  const r = store.prepare(`SELECT COALESCE(SUM(e.amount), 0) AS s FROM ledger_entries e JOIN accounts a ON a.id = e.account_id
    WHERE a.kind = 'trader' AND e.created_at >= ? AND (
      (e.entry_type IN ('trade_pnl', 'liquidation', 'commission') AND e.order_id IN (SELECT id FROM orders WHERE bot_id = ?))
      OR (e.entry_type = 'funding' AND e.position_id IN (SELECT id FROM positions WHERE bot_id = ?)))`).get(sinceIso, botId, botId) as { s: number };
  return r.s;
}

/** A bot's open position on its account and instrument, if it holds one. */
export function botOpenPosition(store: Store, bot: Pick<BotRow, 'id' | 'account_id' | 'instrument_id'>): { id: string; size: number; side: string } | undefined {
  return store.prepare('SELECT id, size, side FROM positions WHERE is_open = 1 AND account_id = ? AND instrument_id = ? AND bot_id = ?')
    .get(bot.account_id, bot.instrument_id, bot.id) as { id: string; size: number; side: string } | undefined;
}

/** Delete a bot; its orders and positions keep their history (the link is cleared: ON DELETE SET NULL). */
export function deleteBot(store: Store, botId: string): void {
  store.prepare('DELETE FROM bots WHERE id = ?').run(botId);
}

/** A row of `bot_decisions` with its bot's name. */
export interface DecisionRow {
  id: string; candle_timestamp: string; decision: string; reason: string; indicators: string; proposed_order: string | null; final_order: string | null;
  risk_adjusted: number; risk_adjustment_reason: string | null; executed: number; execution_result: string | null; order_id: string | null; bot_name: string;
  close_order_id?: string | null;
}

/** The latest `limit` decisions of a bot, oldest first; `onlyTrades`: those that placed or were blocked from placing an order. */
export function botDecisionRows(store: Store, botId: string, opts: { limit: number; onlyTrades: boolean }): DecisionRow[] {
  const rows = store.prepare(`SELECT d.*, b.name AS bot_name FROM bot_decisions d JOIN bots b ON b.id = d.bot_id WHERE d.bot_id = ?
    ${opts.onlyTrades ? 'AND (d.order_id IS NOT NULL OR d.risk_adjusted = 1)' : ''} ORDER BY d.candle_timestamp DESC, d.rowid DESC LIMIT ?`).all(botId, opts.limit) as DecisionRow[];
  return rows.reverse();
}

/** The decision that placed an order (its open leg, or a reversal's close leg), if a bot placed it. */
export function decisionForOrder(store: Store, orderId: string): DecisionRow | undefined {
  return store.prepare('SELECT d.*, b.name AS bot_name FROM bot_decisions d JOIN bots b ON b.id = d.bot_id WHERE d.order_id = ? OR d.close_order_id = ?')
    .get(orderId, orderId) as DecisionRow | undefined;
}

/** Small read models for summaries (issue 15): account names, a bot's open-position PnL, bot statuses. */
import type { Store } from './db.ts';

/** Trader account names by id. */
export function accountNames(store: Store): Map<string, string> {
  const rows = store.prepare("SELECT id, name FROM accounts WHERE kind = 'trader'").all() as Array<{ id: string; name: string }>;
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Unrealised PnL of a bot's open positions, as last marked (positions.unrealized_pnl, refreshed by every engine session). */
export function botUnrealized(store: Store, botId: string): number {
  return (store.prepare('SELECT COALESCE(SUM(unrealized_pnl), 0) AS u FROM positions WHERE is_open = 1 AND bot_id = ?').get(botId) as { u: number }).u;
}

export interface BotStatusRow { id: string; name: string; status: string; is_circuit_broken: number; circuit_breaker_reason: string | null; last_error: string | null }

export function botStatuses(store: Store): BotStatusRow[] {
  return store.prepare('SELECT id, name, status, is_circuit_broken, circuit_breaker_reason, last_error FROM bots ORDER BY created_at, rowid').all() as BotStatusRow[];
}

/** Small read models for summaries (issue 15): account names, a bot's open-position PnL, bot statuses. */
import { sql } from 'kysely';
import type { Store } from './db.ts';

/** Trader account names by id. */
export function accountNames(store: Store): Map<string, string> {
  const rows = store.all(store.db.selectFrom('accounts').select(['id', 'name']).where('kind', '=', 'trader'));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Unrealised PnL of a bot's open positions, as last marked (positions.unrealized_pnl, refreshed by every engine session). */
export function botUnrealized(store: Store, botId: string): number {
  const row = store.get(
    store.db
      .selectFrom('positions')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('unrealized_pnl'), eb.lit(0)).as('u'))
      .where('is_open', '=', 1)
      .where('bot_id', '=', botId),
  );
  return row?.u ?? 0;
}

export interface BotStatusRow {
  id: string;
  name: string;
  status: string;
  is_circuit_broken: number;
  circuit_breaker_reason: string | null;
  last_error: string | null;
}

export function botStatuses(store: Store): BotStatusRow[] {
  return store.all(
    store.db
      .selectFrom('bots')
      .select(['id', 'name', 'status', 'is_circuit_broken', 'circuit_breaker_reason', 'last_error'])
      .orderBy('created_at')
      .orderBy(sql`rowid`),
  );
}

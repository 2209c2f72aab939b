/**
 * Bot rows, their decisions, and their statistics. Statistics are always recomputed from the
 * ledger and orders (never incremented), so they agree with them by construction:
 *   trades  = realised-PnL postings (trade_pnl, liquidation) of the bot's orders
 *   winning / losing = those with a positive / negative amount
 *   total_pnl = the bot's realised PnL + its fees + the funding of its positions
 */
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import { ID_CANDIDATES, normalizeIdPrefix, pickByIdPrefix } from '../core/ids.ts';
import { scopeUserId } from './actor.ts';
import { param, type Store } from './db.ts';
import { idStartsWith } from './ids.ts';
import type { BotDecisionsTable, BotsTable, BotStatus, EntryType } from './schema.ts';

export type { BotStatus } from './schema.ts';

/** A bot (started_at: simulation time, epoch ms, it was last started at; migration 002). */
export type BotRow = Selectable<BotsTable>;

/** A bot by name or unique id prefix; another user's bot is not found. */
export function findBot(store: Store, nameOrId: string): BotRow {
  const uid = scopeUserId(store);
  const mine = store.db
    .selectFrom('bots')
    .selectAll()
    .$if(uid !== null, (q) => q.where('user_id', '=', uid as string));
  const byName = store.get(mine.where('name', '=', nameOrId));
  if (byName) return byName;
  const p = normalizeIdPrefix(nameOrId) ?? '';
  const rows = p === '' ? [] : store.all(mine.where(idStartsWith('id', p)).limit(ID_CANDIDATES));
  return pickByIdPrefix('bot', nameOrId, rows, 'see `tunicoin bot list`');
}

/** Every bot of every user (the market runs them all). */
export function listBots(store: Store): BotRow[] {
  return store.all(
    store.db
      .selectFrom('bots')
      .selectAll()
      .orderBy('created_at')
      .orderBy(sql`rowid`),
  );
}

/** The acting user's bots (all of them for an admin with --all-users). */
export function listUserBots(store: Store): BotRow[] {
  const uid = scopeUserId(store);
  return store.all(
    store.db
      .selectFrom('bots')
      .selectAll()
      .$if(uid !== null, (q) => q.where('user_id', '=', uid as string))
      .orderBy('created_at')
      .orderBy(sql`rowid`),
  );
}

export function setBotStatus(
  store: Store,
  id: string,
  status: BotStatus,
  nowIso: string,
  extra: Partial<Pick<BotRow, 'is_circuit_broken' | 'circuit_breaker_reason' | 'last_error'>> = {},
): void {
  updateBot(store, id, { status, updated_at: nowIso, ...extra });
}

export interface BotStats {
  trades: number;
  winning: number;
  losing: number;
  totalPnl: number;
}

/**
 * A bot's stats and results are asked once per bot per day of a market advance: hot statements
 * (built once per connection, no query builder work per call). Every value in them is a
 * placeholder or a literal, as a hot statement keeps only the compiled SQL.
 */
const entry = (type: EntryType) => sql.lit(type);

const tradeCounts = (store: Store) =>
  store.hotStatement('bots.tradeCounts', (db) =>
    db
      .selectFrom('ledger_entries as e')
      .innerJoin('orders as o', 'o.id', 'e.order_id')
      .innerJoin('accounts as a', 'a.id', 'e.account_id')
      .select((eb) => [
        eb.fn.countAll<number>().as('trades'),
        eb.fn.coalesce(eb.fn.sum<number>(sql`CASE WHEN e.amount > 0 THEN 1 ELSE 0 END`), eb.lit(0)).as('winning'),
        eb.fn.coalesce(eb.fn.sum<number>(sql`CASE WHEN e.amount < 0 THEN 1 ELSE 0 END`), eb.lit(0)).as('losing'),
      ])
      .where('o.bot_id', '=', param<string>())
      .where('a.kind', '=', sql.lit('trader'))
      .where('e.entry_type', 'in', [entry('trade_pnl'), entry('liquidation')]),
  );

/** Placeholders: [sinceIso when `since`], botId, botId. */
const resultOf = (store: Store, since: boolean) =>
  store.hotStatement(since ? 'bots.resultSince' : 'bots.result', (db) =>
    db
      .selectFrom('ledger_entries as e')
      .innerJoin('accounts as a', 'a.id', 'e.account_id')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('e.amount'), eb.lit(0)).as('s'))
      .where('a.kind', '=', sql.lit('trader'))
      .$if(since, (q) => q.where('e.created_at', '>=', param<string>()))
      .where((eb) =>
        eb.or([
          eb.and([
            eb('e.entry_type', 'in', [entry('trade_pnl'), entry('liquidation'), entry('commission')]),
            eb('e.order_id', 'in', eb.selectFrom('orders').select('id').where('bot_id', '=', param<string>())),
          ]),
          eb.and([
            eb('e.entry_type', '=', entry('funding')),
            eb('e.position_id', 'in', eb.selectFrom('positions').select('id').where('bot_id', '=', param<string>())),
          ]),
        ]),
      ),
  );

export function computeBotStats(store: Store, botId: string): BotStats {
  const t = tradeCounts(store).get(botId);
  const pnl = botResult(store, botId, null);
  return { trades: t?.trades ?? 0, winning: t?.winning ?? 0, losing: t?.losing ?? 0, totalPnl: pnl };
}

export function refreshBotStats(store: Store, botId: string): BotStats {
  const s = computeBotStats(store, botId);
  updateBot(store, botId, { total_trades: s.trades, winning_trades: s.winning, losing_trades: s.losing, total_pnl: s.totalPnl });
  return s;
}

/** The bot's realised result (PnL, fees, funding) since `sinceIso`. */
export function botResultSince(store: Store, botId: string, sinceIso: string): number {
  return botResult(store, botId, sinceIso);
}

/** The bot's realised PnL, fees and funding on trader accounts (since `sinceIso`, or ever). */
function botResult(store: Store, botId: string, sinceIso: string | null): number {
  const r = sinceIso === null ? resultOf(store, false).get(botId, botId) : resultOf(store, true).get(sinceIso, botId, botId);
  return r?.s ?? 0;
}

/** A bot's open position on its account and instrument, if it holds one. */
export function botOpenPosition(
  store: Store,
  bot: Pick<BotRow, 'id' | 'account_id' | 'instrument_id'>,
): { id: string; size: number; side: string } | undefined {
  return store.get(
    store.db
      .selectFrom('positions')
      .select(['id', 'size', 'side'])
      .where('is_open', '=', 1)
      .where('account_id', '=', bot.account_id)
      .where('instrument_id', '=', bot.instrument_id)
      .where('bot_id', '=', bot.id),
  );
}

/** Delete a bot; its orders and positions keep their history (the link is cleared: ON DELETE SET NULL). */
export function deleteBot(store: Store, botId: string): void {
  store.run(store.db.deleteFrom('bots').where('id', '=', botId));
}

/** A row of `bot_decisions` with its bot's name. */
export type DecisionRow = Selectable<BotDecisionsTable> & { bot_name: string };

const decisions = (store: Store) =>
  store.db.selectFrom('bot_decisions as d').innerJoin('bots as b', 'b.id', 'd.bot_id').selectAll('d').select('b.name as bot_name');

/** The latest `limit` decisions of a bot, oldest first; `onlyTrades`: those that placed or were blocked from placing an order. */
export function botDecisionRows(store: Store, botId: string, opts: { limit: number; onlyTrades: boolean }): DecisionRow[] {
  const rows = store.all(
    decisions(store)
      .where('d.bot_id', '=', botId)
      .$if(opts.onlyTrades, (q) => q.where((eb) => eb.or([eb('d.order_id', 'is not', null), eb('d.risk_adjusted', '=', 1)])))
      .orderBy('d.candle_timestamp', 'desc')
      .orderBy(sql`d.rowid`, 'desc')
      .limit(opts.limit),
  );
  return rows.reverse();
}

/** The decision that placed an order (its open leg, or a reversal's close leg), if a bot placed it. */
export function decisionForOrder(store: Store, orderId: string): DecisionRow | undefined {
  return store.get(decisions(store).where((eb) => eb.or([eb('d.order_id', '=', orderId), eb('d.close_order_id', '=', orderId)])));
}

export function updateBot(store: Store, id: string, change: Updateable<BotsTable>): void {
  store.run(store.db.updateTable('bots').set(change).where('id', '=', id));
}

export function insertBot(store: Store, row: Insertable<BotsTable>): void {
  store.run(store.db.insertInto('bots').values(row));
}

/** Is there a bot of that name (any user's: bot names are unique in the database)? */
export function botNamed(store: Store, name: string): boolean {
  return store.get(store.db.selectFrom('bots').select('id').where('name', '=', name)) !== undefined;
}

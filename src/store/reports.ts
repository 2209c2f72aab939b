/**
 * Read-only queries behind the HTML reports (src/app/report*.ts): a backtest row by id prefix,
 * a bot's fills and decisions, an account's fills, ledger history, open positions.
 */
import { sql, type NotNull } from 'kysely';
import { NotFoundError } from '../core/errors.ts';
import { findBacktest as findBacktestView } from './backtests.ts';
import type { Store } from './db.ts';

export interface BacktestRowView {
  id: string;
  user_id: string;
  strategy_id: string;
  instrument_id: string;
  symbol: string;
  timeframe: string;
  params: string;
  start_date: string | null;
  end_date: string | null;
  initial_capital: number;
  status: string;
  progress: number;
  metrics: string | null;
  trade_log_url: string | null;
  error_message: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
}

/** A backtest by its id or a unique prefix (the one rule of core/ids.ts); another user's is not found. */
export function findBacktest(store: Store, idOrPrefix: string): BacktestRowView {
  return findBacktestView(store, idOrPrefix);
}

/** A filled order (fixed-point size and price, ISO fill time). */
export interface FillRow {
  id: string;
  instrument_id: string;
  side: 'buy' | 'sell';
  filled_size: number;
  fill_price: number;
  leverage: number;
  commission: number;
  filled_at: string;
  source: string;
  bot_id: string | null;
  reason: string | null;
}

const fills = (store: Store) =>
  store.db
    .selectFrom('orders as o')
    .select((eb) => [
      'o.id',
      'o.instrument_id',
      'o.side',
      'o.filled_size',
      'o.fill_price',
      'o.leverage',
      'o.commission',
      'o.filled_at',
      'o.source',
      'o.bot_id',
      eb.selectFrom('bot_decisions as d').select('d.reason').whereRef('d.order_id', '=', 'o.id').limit(1).as('reason'),
    ])
    .where('o.status', '=', 'filled')
    .where('o.fill_price', 'is not', null)
    .where('o.filled_at', 'is not', null)
    .$narrowType<{ fill_price: NotNull; filled_at: NotNull }>();

export function botFills(store: Store, botId: string): FillRow[] {
  return store.all(
    fills(store)
      .where('o.bot_id', '=', botId)
      .orderBy('o.filled_at')
      .orderBy(sql`o.rowid`),
  );
}

export function accountFills(store: Store, accountId: string): FillRow[] {
  return store.all(
    fills(store)
      .where('o.account_id', '=', accountId)
      .orderBy('o.filled_at')
      .orderBy(sql`o.rowid`),
  );
}

export interface DecisionRowView {
  candle_timestamp: string;
  decision: string;
  reason: string;
  indicators: string;
  risk_adjusted: number;
  risk_adjustment_reason: string | null;
  executed: number;
  execution_result: string | null;
  order_id: string | null;
}

/** The decision columns a bot report shows. */
const DECISION_COLUMNS = [
  'candle_timestamp',
  'decision',
  'reason',
  'indicators',
  'risk_adjusted',
  'risk_adjustment_reason',
  'executed',
  'execution_result',
  'order_id',
] as const;

/** The latest `limit` decisions of a bot, oldest first; and how many there are in all. */
export function botDecisionRows(store: Store, botId: string, limit: number): { rows: DecisionRowView[]; total: number } {
  const total =
    store.get(
      store.db
        .selectFrom('bot_decisions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('bot_id', '=', botId),
    )?.n ?? 0;
  const latest = store.db
    .selectFrom('bot_decisions')
    .select([...DECISION_COLUMNS, sql<number>`rowid`.as('r')])
    .where('bot_id', '=', botId)
    .orderBy('candle_timestamp', 'desc')
    .orderBy(sql`rowid`, 'desc')
    .limit(limit);
  const rows = store.all(store.db.selectFrom(latest.as('l')).select(DECISION_COLUMNS).orderBy('candle_timestamp').orderBy('r'));
  return { rows, total };
}

export function firstDecisionTime(store: Store, botId: string): string | undefined {
  return (
    store.get(
      store.db
        .selectFrom('bot_decisions')
        .select((eb) => eb.fn.min<string | null>('candle_timestamp').as('t'))
        .where('bot_id', '=', botId),
    )?.t ?? undefined
  );
}

export interface LedgerPoint {
  created_at: string;
  balance_after: number;
  entry_type: string;
  amount: number;
}

/** Every posting of an account in order: its balance over time. */
export function ledgerHistory(store: Store, accountId: string): LedgerPoint[] {
  return store.all(
    store.db
      .selectFrom('ledger_entries')
      .select(['created_at', 'balance_after', 'entry_type', 'amount'])
      .where('account_id', '=', accountId)
      .orderBy('seq'),
  );
}

export interface AccountView {
  id: string;
  name: string;
  balance: number;
  equity: number;
  margin_used: number;
  margin_available: number;
  max_leverage: number;
  maker_fee_ppm: number;
  taker_fee_ppm: number;
  is_demo: number;
  created_at: string;
}

export function accountView(store: Store, accountId: string): AccountView {
  const r = store.get(
    store.db
      .selectFrom('accounts')
      .select([
        'id',
        'name',
        'balance',
        'equity',
        'margin_used',
        'margin_available',
        'max_leverage',
        'maker_fee_ppm',
        'taker_fee_ppm',
        'is_demo',
        'created_at',
      ])
      .where('id', '=', accountId),
  );
  if (!r) throw new NotFoundError('account', accountId);
  return r;
}

export interface OpenPositionView {
  symbol: string;
  side: string;
  size: number;
  entry_price: number;
  current_price: number;
  unrealized_pnl: number;
  leverage: number;
  margin_used: number;
  opened_at: string;
  instrument_id: string;
}

export function openPositions(store: Store, accountId: string): OpenPositionView[] {
  return store.all(
    store.db
      .selectFrom('positions as p')
      .innerJoin('instruments as i', 'i.id', 'p.instrument_id')
      .select([
        'i.symbol',
        'p.side',
        'p.size',
        'p.entry_price',
        'p.current_price',
        'p.unrealized_pnl',
        'p.leverage',
        'p.margin_used',
        'p.opened_at',
        'p.instrument_id',
      ])
      .where('p.account_id', '=', accountId)
      .where('p.is_open', '=', 1)
      .orderBy('p.opened_at'),
  );
}

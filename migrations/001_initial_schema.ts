/**
 * The ten tables of the platform spec, plus what the terminal product needs and the spec lacks:
 * `settings` (simulation clock, default account, market seed), house accounts (accounts.kind,
 * users.is_system) and `ledger_entries.journal_id`/`seq` for double-entry journals.
 *
 * Conventions: UUID text primary keys; money, prices and sizes are INTEGER fixed-point (see
 * src/core/money.ts); candle OHLCV are REAL with an INTEGER epoch-ms timestamp; other times are
 * ISO-8601 UTC text; booleans are INTEGER 0/1; JSON is TEXT.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('hashed_password', 'text')
    .addColumn('is_verified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_system', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('twofa_secret', 'text')
    .addColumn('twofa_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('plan_id', 'text', (c) => c.notNull().defaultTo('free'))
    .addColumn('stripe_customer_id', 'text')
    .addColumn('stripe_subscription_id', 'text')
    .addColumn('kyc_status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('kyc_verified_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_login', 'text')
    .execute();
  await db.schema.createIndex('ix_users_email').on('users').column('email').execute();

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .defaultTo('trader')
        .check(sql`kind in ('trader', 'house')`),
    )
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('USD'))
    .addColumn('balance', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('equity', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('margin_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('margin_available', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('max_leverage', 'real', (c) => c.notNull().defaultTo(10))
    .addColumn('max_daily_loss', 'integer')
    .addColumn('maker_fee_ppm', 'integer', (c) => c.notNull().defaultTo(200))
    .addColumn('taker_fee_ppm', 'integer', (c) => c.notNull().defaultTo(500))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('uq_accounts_user_name', ['user_id', 'name'])
    .execute();
  await db.schema.createIndex('ix_accounts_user_id').on('accounts').column('user_id').execute();

  await db.schema
    .createTable('instruments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('symbol', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('instrument_type', 'text', (c) => c.notNull().check(sql`instrument_type in ('stock', 'crypto', 'forex', 'futures', 'cfd')`))
    .addColumn('tick_size', 'integer', (c) => c.notNull().check(sql`tick_size > 0`))
    .addColumn('contract_size', 'integer', (c) => c.notNull().check(sql`contract_size > 0`))
    .addColumn('base_currency', 'text', (c) => c.notNull())
    .addColumn('quote_currency', 'text', (c) => c.notNull())
    .addColumn('base_spread', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('funding_rate', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('slippage_factor', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('min_size', 'integer', (c) => c.notNull())
    .addColumn('max_size', 'integer', (c) => c.notNull())
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('is_tradeable', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ix_instruments_symbol').on('instruments').column('symbol').execute();

  await db.schema
    .createTable('candles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('instrument_id', 'text', (c) => c.notNull().references('instruments.id').onDelete('cascade'))
    .addColumn('timeframe', 'text', (c) => c.notNull())
    .addColumn('timestamp', 'integer', (c) => c.notNull())
    .addColumn('open', 'real', (c) => c.notNull())
    .addColumn('high', 'real', (c) => c.notNull())
    .addColumn('low', 'real', (c) => c.notNull())
    .addColumn('close', 'real', (c) => c.notNull())
    .addColumn('volume', 'real', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ix_candles_instrument_id').on('candles').column('instrument_id').execute();
  await db.schema.createIndex('ix_candles_timeframe').on('candles').column('timeframe').execute();
  await db.schema.createIndex('ix_candles_timestamp').on('candles').column('timestamp').execute();
  await db.schema
    .createIndex('uq_candles_instrument_timeframe_timestamp')
    .on('candles')
    .columns(['instrument_id', 'timeframe', 'timestamp'])
    .unique()
    .execute();

  await db.schema
    .createTable('bots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('instrument_id', 'text', (c) => c.notNull().references('instruments.id'))
    .addColumn('timeframe', 'text', (c) => c.notNull().defaultTo('1h'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('strategy_id', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('size_spec', 'text', (c) => c.notNull().defaultTo('all'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('idle')
        .check(sql`status in ('idle', 'running', 'paused', 'error', 'stopped')`),
    )
    .addColumn('max_position_size', 'integer')
    .addColumn('max_daily_loss', 'integer')
    .addColumn('max_drawdown', 'real')
    .addColumn('total_trades', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('winning_trades', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('losing_trades', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total_pnl', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('peak_equity', 'integer')
    .addColumn('is_circuit_broken', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('circuit_breaker_reason', 'text')
    .addColumn('last_execution_at', 'text')
    .addColumn('last_candle_at', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ix_bots_user_id').on('bots').column('user_id').execute();
  await db.schema.createIndex('ix_bots_account_id').on('bots').column('account_id').execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('instrument_id', 'text', (c) => c.notNull().references('instruments.id'))
    .addColumn('order_type', 'text', (c) => c.notNull().check(sql`order_type in ('market', 'limit', 'stop', 'stop_limit')`))
    .addColumn('side', 'text', (c) => c.notNull().check(sql`side in ('buy', 'sell')`))
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('price', 'integer')
    .addColumn('stop_price', 'integer')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'filled', 'partial', 'canceled', 'rejected')`))
    .addColumn('filled_size', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fill_price', 'integer')
    .addColumn('slippage', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('commission', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('leverage', 'real', (c) => c.notNull().defaultTo(1))
    .addColumn('margin_required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stop_loss', 'integer')
    .addColumn('take_profit', 'integer')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('reject_reason', 'text')
    .addColumn('triggered_at', 'text')
    .addColumn('bot_id', 'text', (c) => c.references('bots.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('filled_at', 'text')
    .addColumn('canceled_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ix_orders_account_id').on('orders').column('account_id').execute();
  await db.schema.createIndex('ix_orders_instrument_id').on('orders').column('instrument_id').execute();
  await db.schema.createIndex('ix_orders_status').on('orders').column('status').execute();

  await db.schema
    .createTable('positions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('instrument_id', 'text', (c) => c.notNull().references('instruments.id'))
    .addColumn('side', 'text', (c) => c.notNull().check(sql`side in ('long', 'short')`))
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('entry_price', 'integer', (c) => c.notNull())
    .addColumn('current_price', 'integer', (c) => c.notNull())
    .addColumn('unrealized_pnl', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('realized_pnl', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('leverage', 'real', (c) => c.notNull().defaultTo(1))
    .addColumn('margin_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stop_loss', 'integer')
    .addColumn('take_profit', 'integer')
    .addColumn('funding_paid', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_funding_at', 'text')
    .addColumn('is_open', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('bot_id', 'text', (c) => c.references('bots.id').onDelete('set null'))
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ix_positions_account_id').on('positions').column('account_id').execute();
  await db.schema.createIndex('ix_positions_instrument_id').on('positions').column('instrument_id').execute();
  await db.schema.createIndex('ix_positions_is_open').on('positions').column('is_open').execute();
  // Netting: at most one open position per (account, instrument).
  await db.schema
    .createIndex('uq_positions_open_netting')
    .on('positions')
    .columns(['account_id', 'instrument_id'])
    .unique()
    .where(sql.ref('is_open'), '=', 1)
    .execute();

  await db.schema
    .createTable('ledger_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .addColumn('journal_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('entry_type', 'text', (c) =>
      c.notNull().check(sql`entry_type in ('deposit', 'withdrawal', 'trade_pnl', 'commission', 'funding', 'liquidation', 'adjustment')`),
    )
    .addColumn('amount', 'integer', (c) => c.notNull())
    .addColumn('balance_after', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('USD'))
    .addColumn('order_id', 'text', (c) => c.references('orders.id'))
    .addColumn('position_id', 'text', (c) => c.references('positions.id'))
    .addColumn('description', 'text')
    .addColumn('meta', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ix_ledger_entries_account_id').on('ledger_entries').column('account_id').execute();
  await db.schema.createIndex('ix_ledger_entries_journal_id').on('ledger_entries').column('journal_id').execute();
  await db.schema.createIndex('ix_ledger_entries_created_at').on('ledger_entries').column('created_at').execute();

  await db.schema
    .createTable('backtests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('strategy_id', 'text', (c) => c.notNull())
    .addColumn('instrument_id', 'text', (c) => c.notNull().references('instruments.id'))
    .addColumn('timeframe', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('start_date', 'text')
    .addColumn('end_date', 'text')
    .addColumn('initial_capital', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'running', 'completed', 'failed', 'canceled')`),
    )
    .addColumn('progress', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('metrics', 'text')
    .addColumn('trade_log_url', 'text')
    .addColumn('error_message', 'text')
    .addColumn('task_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('completed_at', 'text')
    .execute();
  await db.schema.createIndex('ix_backtests_user_id').on('backtests').column('user_id').execute();

  await db.schema
    .createTable('bot_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('bot_id', 'text', (c) => c.notNull().references('bots.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('candle_timestamp', 'text', (c) => c.notNull())
    .addColumn('instrument_id', 'text', (c) => c.notNull().references('instruments.id'))
    .addColumn('indicators', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('buy', 'sell', 'hold', 'close')`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('proposed_order', 'text')
    .addColumn('order_id', 'text', (c) => c.references('orders.id'))
    .addColumn('final_order', 'text')
    .addColumn('risk_adjusted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('risk_adjustment_reason', 'text')
    .addColumn('executed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('execution_result', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ix_bot_decisions_bot_id').on('bot_decisions').column('bot_id').execute();
  await db.schema.createIndex('ix_bot_decisions_account_id').on('bot_decisions').column('account_id').execute();
  await db.schema.createIndex('ix_bot_decisions_candle_timestamp').on('bot_decisions').column('candle_timestamp').execute();
  await db.schema.createIndex('ix_bot_decisions_created_at').on('bot_decisions').column('created_at').execute();
}

export async function down(db: Db): Promise<void> {
  for (const table of [
    'bot_decisions',
    'backtests',
    'ledger_entries',
    'positions',
    'orders',
    'bots',
    'candles',
    'instruments',
    'accounts',
    'users',
    'settings',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

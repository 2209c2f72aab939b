/**
 * PostgreSQL 001_schema: the END STATE of the SQLite schema (migrations/001..013) in one step, for
 * the same Kysely-built queries (src/store, types in src/store/schema.ts). Same tables, column
 * names, NOT NULL, DEFAULT, PRIMARY KEY, UNIQUE, FOREIGN KEY (same ON DELETE), CHECK and indexes
 * (same names), with these deliberate differences:
 *
 * - Types: INTEGER -> BIGINT (money, prices and sizes are fixed-point integers past 2^31; booleans
 *   stay 0/1 integers; epoch-ms times), REAL -> DOUBLE PRECISION, TEXT -> TEXT. Other times stay
 *   ISO-8601 UTC text, JSON stays text.
 * - `rowid BIGINT GENERATED ALWAYS AS IDENTITY` on every table except `candles`: the stores order by
 *   SQLite's implicit rowid (insertion order), so PostgreSQL needs a column of that name. It is not
 *   the key and nothing writes it. `candles` is WITHOUT ROWID on SQLite (migration 010) and no
 *   query orders it by rowid.
 * - `candles`: primary key (instrument_id, timeframe, timestamp) as on SQLite, a B-tree that reads
 *   one series' range in order; the spec's `id` keeps its uniqueness through uq_candles_id.
 * - Left out here: the `candle_packs` table (SQLite's migrations 012/013, a packed BLOB cache of
 *   candles) and its invalidation triggers, added on PostgreSQL by migrations/pg/003.
 *   `schema_migrations` is the migrator's own table, not made here.
 * - SQLite lets a `text primary key` column hold NULL (PRAGMA table_info says nullable); on
 *   PostgreSQL a primary key column is NOT NULL.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/** The insertion-order column the stores' `ORDER BY rowid` reads (see above). */
const ROWID = '"rowid" bigint generated always as identity';

/** Tables in creation order (a table after every table it references); `down` drops them in reverse. */
export const PG_TABLES = [
  'settings',
  'plans',
  'users',
  'recovery_codes',
  'sessions',
  'accounts',
  'instruments',
  'candles',
  'bots',
  'orders',
  'positions',
  'ledger_entries',
  'backtests',
  'bot_decisions',
  'amendments',
  'sweeps',
  'sweep_results',
] as const;

const STATEMENTS: readonly string[] = [
  `CREATE TABLE "settings" ("key" text primary key, "value" text not null, ${ROWID})`,

  `CREATE TABLE "plans" ("id" text primary key,
    "max_accounts" bigint check (max_accounts >= 0), "max_bots" bigint check (max_bots >= 0),
    "max_sweep" bigint check (max_sweep >= 0), "created_at" text not null, "updated_at" text not null, ${ROWID})`,

  `CREATE TABLE "users" ("id" text primary key, "email" text not null unique, "hashed_password" text,
    "is_verified" bigint default 0 not null, "is_active" bigint default 1 not null, "is_admin" bigint default 0 not null,
    "is_system" bigint default 0 not null, "twofa_secret" text, "twofa_enabled" bigint default 0 not null,
    "plan_id" text default 'free' not null, "stripe_customer_id" text, "stripe_subscription_id" text,
    "kyc_status" text default 'pending' not null, "kyc_verified_at" text, "created_at" text not null,
    "updated_at" text not null, "last_login" text, "failed_logins" bigint default 0 not null, "locked_until" text,
    "twofa_last_step" bigint, ${ROWID})`,
  `CREATE INDEX "ix_users_email" ON "users" ("email")`,

  `CREATE TABLE "recovery_codes" ("id" text primary key,
    "user_id" text not null references "users" ("id") on delete cascade, "code_hash" text not null, "used_at" text,
    "created_at" text not null, ${ROWID})`,
  `CREATE INDEX "ix_recovery_codes_user_id" ON "recovery_codes" ("user_id")`,

  `CREATE TABLE "sessions" ("id" text primary key, "user_id" text not null references "users" ("id") on delete cascade,
    "token_hash" text not null unique, "created_at" text not null, "expires_at" text not null, ${ROWID})`,
  `CREATE INDEX "ix_sessions_user_id" ON "sessions" ("user_id")`,

  `CREATE TABLE "accounts" ("id" text primary key, "user_id" text not null references "users" ("id"), "name" text not null,
    "kind" text default 'trader' not null check (kind in ('trader', 'house')), "currency" text default 'USD' not null,
    "balance" bigint default 0 not null, "equity" bigint default 0 not null, "margin_used" bigint default 0 not null,
    "margin_available" bigint default 0 not null, "is_demo" bigint default 1 not null, "is_active" bigint default 1 not null,
    "max_leverage" double precision default 10 not null, "max_daily_loss" bigint,
    "maker_fee_ppm" bigint default 200 not null, "taker_fee_ppm" bigint default 500 not null,
    "created_at" text not null, "updated_at" text not null, ${ROWID},
    constraint "uq_accounts_user_name" unique ("user_id", "name"))`,
  `CREATE INDEX "ix_accounts_user_id" ON "accounts" ("user_id")`,

  `CREATE TABLE "instruments" ("id" text primary key, "symbol" text not null unique, "name" text not null,
    "instrument_type" text not null check (instrument_type in ('stock', 'crypto', 'forex', 'futures', 'cfd')),
    "tick_size" bigint not null check (tick_size > 0), "contract_size" bigint not null check (contract_size > 0),
    "base_currency" text not null, "quote_currency" text not null, "base_spread" double precision default 0 not null,
    "funding_rate" double precision default 0 not null, "slippage_factor" double precision default 0 not null,
    "min_size" bigint not null, "max_size" bigint not null, "is_active" bigint default 1 not null,
    "is_tradeable" bigint default 1 not null, "created_at" text not null, "updated_at" text not null,
    "data_origin" text default 'imported' not null check (data_origin in ('synthetic', 'imported')),
    "synthetic_from" bigint, "max_participation" double precision default 0 not null, ${ROWID})`,
  `CREATE INDEX "ix_instruments_symbol" ON "instruments" ("symbol")`,

  // No rowid (see the header). The key is the read order: one series' range is one index range scan.
  `CREATE TABLE "candles" ("id" text not null, "instrument_id" text not null, "timeframe" text not null,
    "timestamp" bigint not null, "open" double precision not null, "high" double precision not null,
    "low" double precision not null, "close" double precision not null, "volume" double precision not null,
    constraint "fk_candles_instrument_id" foreign key ("instrument_id") references "instruments" ("id") on delete cascade,
    constraint "pk_candles" primary key ("instrument_id", "timeframe", "timestamp"))`,
  `CREATE INDEX "ix_candles_timestamp" ON "candles" ("timestamp")`,
  `CREATE UNIQUE INDEX "uq_candles_id" ON "candles" ("id")`,

  `CREATE TABLE "bots" ("id" text primary key, "user_id" text not null references "users" ("id"),
    "account_id" text not null references "accounts" ("id"), "instrument_id" text not null references "instruments" ("id"),
    "timeframe" text default '1h' not null, "name" text not null unique, "strategy_id" text not null,
    "params" text default '{}' not null, "size_spec" text default 'all' not null,
    "status" text default 'idle' not null check (status in ('idle', 'running', 'paused', 'error', 'stopped')),
    "max_position_size" bigint, "max_daily_loss" bigint, "max_drawdown" double precision,
    "total_trades" bigint default 0 not null, "winning_trades" bigint default 0 not null,
    "losing_trades" bigint default 0 not null, "total_pnl" bigint default 0 not null, "peak_equity" bigint,
    "is_circuit_broken" bigint default 0 not null, "circuit_breaker_reason" text, "last_execution_at" text,
    "last_candle_at" bigint, "last_error" text, "created_at" text not null, "updated_at" text not null,
    "started_at" bigint, "leverage" double precision default 1 not null, ${ROWID})`,
  `CREATE INDEX "ix_bots_account_id" ON "bots" ("account_id")`,
  `CREATE INDEX "ix_bots_user_id" ON "bots" ("user_id")`,

  `CREATE TABLE "orders" ("id" text primary key, "account_id" text not null references "accounts" ("id"),
    "instrument_id" text not null references "instruments" ("id"),
    "order_type" text not null check (order_type in ('market', 'limit', 'stop', 'stop_limit')),
    "side" text not null check (side in ('buy', 'sell')), "size" bigint not null, "price" bigint, "stop_price" bigint,
    "status" text not null check (status in ('pending', 'filled', 'partial', 'canceled', 'rejected')),
    "filled_size" bigint default 0 not null, "fill_price" bigint, "slippage" bigint default 0 not null,
    "commission" bigint default 0 not null, "leverage" double precision default 1 not null,
    "margin_required" bigint default 0 not null, "stop_loss" bigint, "take_profit" bigint,
    "source" text default 'manual' not null, "reject_reason" text, "triggered_at" text,
    "bot_id" text references "bots" ("id") on delete set null, "created_at" text not null, "filled_at" text,
    "canceled_at" text, "updated_at" text not null, "trail_distance" bigint, "trail_ppm" bigint, "trail_anchor" bigint,
    "sl_trail_distance" bigint, "sl_trail_ppm" bigint, "reduce_only" bigint default 0 not null, "size_at_fill" text,
    "requested_size" bigint, "reject_code" text, ${ROWID})`,
  `CREATE INDEX "ix_orders_account_id" ON "orders" ("account_id")`,
  `CREATE INDEX "ix_orders_instrument_id" ON "orders" ("instrument_id")`,
  `CREATE INDEX "ix_orders_status" ON "orders" ("status")`,

  `CREATE TABLE "positions" ("id" text primary key, "account_id" text not null references "accounts" ("id"),
    "instrument_id" text not null references "instruments" ("id"), "side" text not null check (side in ('long', 'short')),
    "size" bigint not null, "entry_price" bigint not null, "current_price" bigint not null,
    "unrealized_pnl" bigint default 0 not null, "realized_pnl" bigint default 0 not null,
    "leverage" double precision default 1 not null, "margin_used" bigint default 0 not null, "stop_loss" bigint,
    "take_profit" bigint, "funding_paid" bigint default 0 not null, "last_funding_at" text,
    "is_open" bigint default 1 not null, "bot_id" text references "bots" ("id") on delete set null,
    "opened_at" text not null, "closed_at" text, "updated_at" text not null, "trail_distance" bigint,
    "trail_ppm" bigint, "trail_anchor" bigint, ${ROWID})`,
  `CREATE INDEX "ix_positions_account_id" ON "positions" ("account_id")`,
  `CREATE INDEX "ix_positions_instrument_id" ON "positions" ("instrument_id")`,
  `CREATE INDEX "ix_positions_is_open" ON "positions" ("is_open")`,
  // Netting: at most one open position per (account, instrument).
  `CREATE UNIQUE INDEX "uq_positions_open_netting" ON "positions" ("account_id", "instrument_id") WHERE "is_open" = 1`,

  `CREATE TABLE "ledger_entries" ("id" text primary key, "seq" bigint not null unique, "journal_id" text not null,
    "account_id" text not null references "accounts" ("id"),
    "entry_type" text not null check (entry_type in ('deposit', 'withdrawal', 'trade_pnl', 'commission', 'funding', 'liquidation', 'adjustment')),
    "amount" bigint not null, "balance_after" bigint not null, "currency" text default 'USD' not null,
    "order_id" text references "orders" ("id"), "position_id" text references "positions" ("id"), "description" text,
    "meta" text, "created_at" text not null, ${ROWID})`,
  `CREATE INDEX "ix_ledger_entries_account_id" ON "ledger_entries" ("account_id")`,
  `CREATE INDEX "ix_ledger_entries_created_at" ON "ledger_entries" ("created_at")`,
  `CREATE INDEX "ix_ledger_entries_journal_id" ON "ledger_entries" ("journal_id")`,

  `CREATE TABLE "backtests" ("id" text primary key, "user_id" text not null references "users" ("id"),
    "strategy_id" text not null, "instrument_id" text not null references "instruments" ("id"), "timeframe" text not null,
    "params" text default '{}' not null, "start_date" text, "end_date" text, "initial_capital" bigint not null,
    "status" text default 'pending' not null check (status in ('pending', 'running', 'completed', 'failed', 'canceled')),
    "progress" double precision default 0 not null, "metrics" text, "trade_log_url" text, "error_message" text,
    "task_id" text, "created_at" text not null, "started_at" text, "completed_at" text, "pid" bigint,
    "heartbeat_at" text, ${ROWID})`,
  `CREATE INDEX "ix_backtests_status" ON "backtests" ("status")`,
  `CREATE INDEX "ix_backtests_user_id" ON "backtests" ("user_id")`,

  `CREATE TABLE "bot_decisions" ("id" text primary key, "bot_id" text not null references "bots" ("id") on delete cascade,
    "account_id" text not null references "accounts" ("id"), "candle_timestamp" text not null,
    "instrument_id" text not null references "instruments" ("id"), "indicators" text default '{}' not null,
    "decision" text not null check (decision in ('buy', 'sell', 'hold', 'close')), "reason" text not null,
    "proposed_order" text, "order_id" text references "orders" ("id"), "final_order" text,
    "risk_adjusted" bigint default 0 not null, "risk_adjustment_reason" text, "executed" bigint default 0 not null,
    "execution_result" text, "created_at" text not null, "close_order_id" text, ${ROWID})`,
  `CREATE INDEX "ix_bot_decisions_account_id" ON "bot_decisions" ("account_id")`,
  `CREATE INDEX "ix_bot_decisions_bot_id" ON "bot_decisions" ("bot_id")`,
  `CREATE INDEX "ix_bot_decisions_candle_timestamp" ON "bot_decisions" ("candle_timestamp")`,
  `CREATE INDEX "ix_bot_decisions_created_at" ON "bot_decisions" ("created_at")`,

  `CREATE TABLE "amendments" ("id" text primary key, "account_id" text not null references "accounts" ("id"),
    "order_id" text references "orders" ("id"), "position_id" text references "positions" ("id"), "before" text not null,
    "after" text not null, "clock_at" text not null, "created_at" text not null, ${ROWID})`,
  `CREATE INDEX "ix_amendments_order_id" ON "amendments" ("order_id")`,
  `CREATE INDEX "ix_amendments_position_id" ON "amendments" ("position_id")`,

  `CREATE TABLE "sweeps" ("id" text primary key, "strategy_id" text not null,
    "instrument_id" text not null references "instruments" ("id"), "user_id" text references "users" ("id"),
    "timeframe" text not null, "metric" text not null, "config" text not null, "combinations" bigint not null,
    "created_at" text not null, ${ROWID})`,

  // "window" is a reserved word on PostgreSQL: always quoted (Kysely's builders quote identifiers).
  `CREATE TABLE "sweep_results" ("id" text primary key, "sweep_id" text not null references "sweeps" ("id") on delete cascade,
    "window" bigint default 0 not null, "rank" bigint, "params" text not null, "trades" bigint not null,
    "metrics" text not null, "test_metrics" text, "excluded" text, ${ROWID})`,
  `CREATE INDEX "ix_sweep_results_sweep_id" ON "sweep_results" ("sweep_id")`,
];

export async function up(db: Db): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
  // the rows SQLite's 005_users_sessions_plans writes: the plans users.plan_id names (unlimited)
  const now = new Date().toISOString();
  await db
    .insertInto('plans')
    .values(['free', 'pro'].map((id) => ({ id, max_accounts: null, max_bots: null, max_sweep: null, created_at: now, updated_at: now })))
    .execute();
}

export async function down(db: Db): Promise<void> {
  // dropping a table drops its indexes, constraints and identity sequence
  for (const table of [...PG_TABLES].reverse()) await db.schema.dropTable(table).execute();
}

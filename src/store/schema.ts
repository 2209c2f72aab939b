/**
 * Kysely table types, mirroring migrations/. Booleans are 0/1 (SQLite has no boolean type and
 * better-sqlite3 refuses JS booleans as parameters). See migrations/001_initial_schema.ts for
 * units: money, prices and sizes are fixed-point integers (src/core/money.ts).
 */
import type { Generated, Selectable } from 'kysely';

type Bool = 0 | 1;

export interface SettingsTable {
  key: string;
  value: string;
}

export interface UsersTable {
  id: string;
  email: string;
  hashed_password: string | null;
  is_verified: Generated<Bool>;
  is_active: Generated<Bool>;
  is_admin: Generated<Bool>;
  is_system: Generated<Bool>;
  twofa_secret: string | null;
  twofa_enabled: Generated<Bool>;
  plan_id: Generated<string>;
  stripe_customer_id: string | null;
  stripe_subscription_id: string | null;
  kyc_status: Generated<string>;
  kyc_verified_at: string | null;
  created_at: string;
  updated_at: string;
  last_login: string | null;
  /** Migration 005: failed logins since the last success, the lock they set, the last TOTP step accepted. */
  failed_logins: Generated<number>;
  locked_until: string | null;
  twofa_last_step: number | null;
}

/** Migration 005. A NULL limit is unlimited. */
export interface PlansTable {
  id: string;
  max_accounts: number | null;
  max_bots: number | null;
  max_sweep: number | null;
  created_at: string;
  updated_at: string;
}

/** Migration 005: only the SHA-256 of a session token is stored. */
export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
}

/** Migration 005: one-time 2FA recovery codes, SHA-256 hashed. */
export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: string | null;
  created_at: string;
}

export type AccountKind = 'trader' | 'house';
export interface AccountsTable {
  id: string;
  user_id: string;
  name: string;
  kind: Generated<AccountKind>;
  currency: Generated<string>;
  balance: Generated<number>;
  equity: Generated<number>;
  margin_used: Generated<number>;
  margin_available: Generated<number>;
  is_demo: Generated<Bool>;
  is_active: Generated<Bool>;
  max_leverage: Generated<number>;
  max_daily_loss: number | null;
  maker_fee_ppm: Generated<number>;
  taker_fee_ppm: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface InstrumentsTable {
  id: string;
  symbol: string;
  name: string;
  instrument_type: string;
  tick_size: number;
  contract_size: number;
  base_currency: string;
  quote_currency: string;
  base_spread: number;
  funding_rate: number;
  slippage_factor: number;
  min_size: number;
  max_size: number;
  is_active: Bool;
  is_tradeable: Bool;
  created_at: string;
  updated_at: string;
  data_origin: Generated<DataOrigin>;
  synthetic_from: number | null;
  /** 006: largest share of a 1m candle's volume one fill may take (0 = no cap). */
  max_participation: Generated<number>;
}

/** Where an instrument's candles come from (migration 003). */
export type DataOrigin = 'synthetic' | 'imported';

export interface CandlesTable {
  id: string;
  instrument_id: string;
  timeframe: string;
  timestamp: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** 012: a bucket of candles packed as six float64 columns (a copy of `candles`; see store/candle-packs.ts). */
export interface CandlePacksTable {
  instrument_id: string;
  timeframe: string;
  bucket: number;
  n: number;
  data: Uint8Array;
}

export interface OrdersTable {
  id: string;
  account_id: string;
  instrument_id: string;
  order_type: string;
  side: 'buy' | 'sell';
  size: number;
  price: number | null;
  stop_price: number | null;
  status: string;
  filled_size: Generated<number>;
  fill_price: number | null;
  slippage: Generated<number>;
  commission: Generated<number>;
  leverage: Generated<number>;
  margin_required: Generated<number>;
  stop_loss: number | null;
  take_profit: number | null;
  source: Generated<string>;
  reject_reason: string | null;
  triggered_at: string | null;
  bot_id: string | null;
  created_at: string;
  filled_at: string | null;
  canceled_at: string | null;
  updated_at: string;
  /** 007: a strategy's order that waits for the next open (see engine/fill-sizing.ts). */
  reduce_only: Generated<number>;
  size_at_fill: string | null;
  requested_size: number | null;
  /** 006: trailing stop order (trail_*) and trailing stop-loss for the position (sl_trail_*). */
  trail_distance: number | null;
  trail_ppm: number | null;
  trail_anchor: number | null;
  sl_trail_distance: number | null;
  sl_trail_ppm: number | null;
  /** 011: the stable code of a rejection (core/orders.ts RejectCode), null otherwise. */
  reject_code: string | null;
}

export interface PositionsTable {
  id: string;
  account_id: string;
  instrument_id: string;
  side: string;
  size: number;
  entry_price: number;
  current_price: number;
  unrealized_pnl: Generated<number>;
  realized_pnl: Generated<number>;
  leverage: Generated<number>;
  margin_used: Generated<number>;
  stop_loss: number | null;
  take_profit: number | null;
  funding_paid: Generated<number>;
  last_funding_at: string | null;
  is_open: Generated<Bool>;
  bot_id: string | null;
  opened_at: string;
  closed_at: string | null;
  updated_at: string;
  /** 006: trailing stop-loss (distance or ppm) and its anchor, the best mid since entry. */
  trail_distance: number | null;
  trail_ppm: number | null;
  trail_anchor: number | null;
}

export type EntryType = 'deposit' | 'withdrawal' | 'trade_pnl' | 'commission' | 'funding' | 'liquidation' | 'adjustment';
export interface LedgerEntriesTable {
  id: string;
  seq: number;
  journal_id: string;
  account_id: string;
  entry_type: EntryType;
  amount: number;
  balance_after: number;
  currency: Generated<string>;
  order_id: string | null;
  position_id: string | null;
  description: string | null;
  meta: string | null;
  created_at: string;
}

export type BotStatus = 'idle' | 'running' | 'paused' | 'stopped' | 'error';
export interface BotsTable {
  id: string;
  user_id: string;
  account_id: string;
  instrument_id: string;
  timeframe: Generated<string>;
  name: string;
  strategy_id: string;
  params: Generated<string>;
  size_spec: Generated<string>;
  status: Generated<BotStatus>;
  max_position_size: number | null;
  max_daily_loss: number | null;
  max_drawdown: number | null;
  total_trades: Generated<number>;
  winning_trades: Generated<number>;
  losing_trades: Generated<number>;
  total_pnl: Generated<number>;
  peak_equity: number | null;
  is_circuit_broken: Generated<Bool>;
  circuit_breaker_reason: string | null;
  last_execution_at: string | null;
  last_candle_at: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  started_at: number | null;
  leverage: Generated<number>;
}

export interface BacktestsTable {
  id: string;
  user_id: string;
  strategy_id: string;
  instrument_id: string;
  timeframe: string;
  params: Generated<string>;
  start_date: string | null;
  end_date: string | null;
  initial_capital: number;
  status: Generated<string>;
  progress: Generated<number>;
  metrics: string | null;
  trade_log_url: string | null;
  error_message: string | null;
  task_id: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  /** Migration 004: the process running it and its last sign of life (wall-clock ISO). */
  pid: number | null;
  heartbeat_at: string | null;
}

export interface BotDecisionsTable {
  id: string;
  bot_id: string;
  account_id: string;
  candle_timestamp: string;
  instrument_id: string;
  indicators: Generated<string>;
  decision: string;
  reason: string;
  proposed_order: string | null;
  order_id: string | null;
  final_order: string | null;
  risk_adjusted: Generated<Bool>;
  risk_adjustment_reason: string | null;
  /** 007: a reversal's close leg (order_id is its open leg). */
  close_order_id: string | null;
  executed: Generated<Bool>;
  execution_result: string | null;
  created_at: string;
}

/** 006: history of `order amend` / `position set` (JSON of the changed fields). */
export interface AmendmentsTable {
  id: string;
  account_id: string;
  order_id: string | null;
  position_id: string | null;
  before: string;
  after: string;
  clock_at: string;
  created_at: string;
}

/** 006: an `optimize` run and its combinations. */
export interface SweepsTable {
  id: string;
  strategy_id: string;
  instrument_id: string;
  user_id: string | null;
  timeframe: string;
  metric: string;
  config: string;
  combinations: number;
  created_at: string;
}
export interface SweepResultsTable {
  id: string;
  sweep_id: string;
  window: Generated<number>;
  rank: number | null;
  params: string;
  trades: number;
  metrics: string;
  test_metrics: string | null;
  excluded: string | null;
}

export interface SchemaMigrationsTable {
  name: string;
  applied_at: string;
}

export interface Database {
  settings: SettingsTable;
  users: UsersTable;
  accounts: AccountsTable;
  instruments: InstrumentsTable;
  candles: CandlesTable;
  candle_packs: CandlePacksTable;
  orders: OrdersTable;
  positions: PositionsTable;
  ledger_entries: LedgerEntriesTable;
  bots: BotsTable;
  backtests: BacktestsTable;
  bot_decisions: BotDecisionsTable;
  amendments: AmendmentsTable;
  sweeps: SweepsTable;
  sweep_results: SweepResultsTable;
  schema_migrations: SchemaMigrationsTable;
  plans: PlansTable;
  sessions: SessionsTable;
  recovery_codes: RecoveryCodesTable;
}

export type InstrumentRow = Selectable<InstrumentsTable>;
export type AccountRow = Selectable<AccountsTable>;
export type UserRow = Selectable<UsersTable>;
export type PlanRow = Selectable<PlansTable>;
export type OrderRow = Selectable<OrdersTable>;
export type PositionRow = Selectable<PositionsTable>;

/**
 * The bad-input table: every row is a command line that must be refused with one clear line on
 * stderr, its documented exit code, and nothing written. Rows run in-process through the real
 * commander program (runInProcess), so the parsing, handlers and error mapping are the binary's.
 *
 * `{db}` is replaced by the shared seeded database, `{dir}` by the suite's temp folder, `{s:NAME}`
 * by a strategy file written by the suite. `db: 'none'` rows pass their own --db; `writes` rows
 * may write by design (a rejected order is stored, a failed backtest keeps its row).
 */

export interface BadCase {
  readonly args: readonly string[];
  readonly code: number;
  /** What the error line must say. */
  readonly says?: RegExp;
  /** The case passes its own --db (or none). */
  readonly db?: 'none';
  /** Writing is part of the documented outcome (rejected order row, failed backtest row). */
  readonly writes?: boolean;
  /** A file that must stay byte-identical (for --db cases). */
  readonly untouched?: string;
}

const USAGE = 2;
const NOT_FOUND = 3;
const CONFLICT = 4;
const REJECTED = 5;
const DATABASE = 6;
const STRATEGY = 9;

const c = (code: number, args: string[], says?: RegExp, extra: Partial<BadCase> = {}): BadCase => ({ args, code, says, ...extra });

/** Values that are not a positive decimal amount. */
const NOT_AMOUNTS = ['abc', '0x10', '0b101', 'NaN', 'Infinity', '', ' ', '1,000', '--5', '+-1', '1..2', '.', '١٢٣'];
const NOT_DATES = [
  'yesterday',
  '2026-02-30',
  '2026-13-01',
  '2026-01-01T25:00',
  '01/02/2026',
  '2026-1-1',
  '20260101',
  '2026-01-01T00:00:00+25:00',
  '',
];
const NOT_DURATIONS = ['0m', 'abc', '1y', '1.5h', '', '-1h', '367d', '99999999999999d', 'h', '1 h'];
const NOT_IDS = ['%%%%', '____', '%', '_', 'zz', 'abc', "'; DROP TABLE orders; --", '0000'];
/** One rule for every id (core/ids.ts): a hex prefix shorter than 4 characters is a usage error, anything else that names nothing is not found. */
const idCode = (id: string): number => (/^[0-9a-f-]{1,3}$/.test(id) ? USAGE : NOT_FOUND);

export function badCases(): BadCase[] {
  const cases: BadCase[] = [];
  const add = (...cs: BadCase[]) => cases.push(...cs);

  // --- the command line itself --------------------------------------------------------------
  add(
    c(USAGE, ['nope']),
    c(USAGE, ['quote']),
    c(USAGE, ['quote', 'BTC-USD', '--bogus']),
    c(USAGE, ['order', 'frobnicate']),
    c(USAGE, ['candles']),
    c(USAGE, ['chart']),
    c(USAGE, ['backtest']),
    c(USAGE, ['bot', 'create']),
    c(USAGE, ['bot', 'show']),
    c(USAGE, ['import', 'candles']),
    c(USAGE, ['account', 'create']),
    c(USAGE, ['account', 'deposit']),
    c(USAGE, ['market', 'advance']),
    c(USAGE, ['candles', 'BTC-USD', '--timeframe', '2m']),
    c(USAGE, ['candles', 'BTC-USD', '--format', 'xml']),
    c(USAGE, ['orders', '--status', 'closed']),
    c(USAGE, ['instruments', 'add', 'ZZZ', '--type', 'bond']),
    c(USAGE, ['order', 'buy', 'BTC-USD', '0.1', '--type', 'iceberg']),
    c(USAGE, ['backtest', 'ema_crossover', '--timeframe', '3h']),
    c(USAGE, ['ledger', '--format', 'pdf']),
    c(USAGE, ['indicators', 'BTC-USD', '--format', 'yaml']),
  );

  // --- the database path (exit 6, the file left byte-identical) --------------------------------
  add(
    c(USAGE, ['--db', '', 'clock'], /--db needs a file path/, { db: 'none' }),
    c(USAGE, ['--db', ' ', 'clock'], /--db needs a file path/, { db: 'none' }),
    c(DATABASE, ['--db', '{dir}', 'clock'], /is a directory/, { db: 'none' }),
    c(DATABASE, ['--db', '/dev/null', 'clock'], /not a regular file/, { db: 'none' }),
    c(DATABASE, ['--db', '/proc/nope/x.db', '--yes', 'db', 'migrate'], /cannot create the database/, { db: 'none' }),
    // a read-only command never creates the database; a missing folder for --db is confirmed (--yes off a terminal)
    c(DATABASE, ['--db', '{dir}/missing.db', 'clock'], /there is no database at .*tunicoin seed/, { db: 'none' }),
    c(DATABASE, ['--db', '{dir}/missing.db', 'quote', 'BTC-USD', '--json'], /there is no database at/, { db: 'none' }),
    c(USAGE, ['--db', '{dir}/no-such-folder/x.db', 'db', 'migrate'], /folder .*no-such-folder does not exist.*pass --yes/, { db: 'none' }),
    c(DATABASE, ['--db', '/proc/self/status', 'clock'], /cannot write|not a tunicoin database/, { db: 'none' }),
    c(DATABASE, ['--db', '{dir}/notes.txt/x.db', 'clock'], /not a directory/, { db: 'none' }),
    c(DATABASE, ['--db', '{dir}/notes.txt', 'clock'], /not a tunicoin database/, { db: 'none', untouched: '{dir}/notes.txt' }),
    c(DATABASE, ['--db', '{dir}/contacts.db', 'seed'], /another application's SQLite database/, {
      db: 'none',
      untouched: '{dir}/contacts.db',
    }),
    c(DATABASE, ['--db', '{dir}/contacts.db', 'clock'], /another application's/, { db: 'none', untouched: '{dir}/contacts.db' }),
    c(DATABASE, ['--db', '{dir}/contacts.db', 'db', 'migrate'], /another application's/, { db: 'none', untouched: '{dir}/contacts.db' }),
    c(DATABASE, ['--db', '{dir}/contacts.db', 'db', 'status'], /another application's/, { db: 'none', untouched: '{dir}/contacts.db' }),
    c(DATABASE, ['--db', '{dir}/users-app.db', 'seed'], /another application's/, { db: 'none', untouched: '{dir}/users-app.db' }),
    c(DATABASE, ['--db', '{dir}/users-app.db', 'account'], /another application's/, { db: 'none', untouched: '{dir}/users-app.db' }),
    c(DATABASE, ['--db', '{dir}/rails.db', 'seed'], /another application's/, { db: 'none', untouched: '{dir}/rails.db' }),
    c(DATABASE, ['--db', '{dir}/knex.db', 'seed'], /another application's/, { db: 'none', untouched: '{dir}/knex.db' }),
    c(DATABASE, ['--db', '{dir}/future.db', 'clock'], /newer than this tunicoin/, { db: 'none', untouched: '{dir}/future.db' }),
    c(DATABASE, ['--db', '{dir}/garbage.db', 'clock'], /not a valid SQLite database|not a tunicoin database/, {
      db: 'none',
      untouched: '{dir}/garbage.db',
    }),
    c(DATABASE, ['--db', '/sys/tunicoin-test.db', 'db', 'migrate'], /cannot create|cannot write/, { db: 'none' }),
  );

  // destructive commands off a terminal: refused without --yes, nothing written
  add(
    c(USAGE, ['db', 'rollback'], /not confirmed, nothing changed \(pass --yes to confirm\)/),
    c(USAGE, ['db', 'rollback', '--all', '--json'], /pass --yes/),
    c(USAGE, ['seed', '--reset'], /pass --yes/),
    c(USAGE, ['candles', 'delete', 'ETH-USD'], /would delete [\d,]+ candle/),
    c(USAGE, ['instruments', 'remove', 'ETH-USD'], /pass --yes/),
  );

  // --- market data -----------------------------------------------------------------------
  for (const cmd of ['quote', 'candles', 'chart', 'indicators']) add(c(NOT_FOUND, [cmd, 'NOPE-USD']), c(NOT_FOUND, [cmd, '%%%']));
  add(c(NOT_FOUND, ['quote', '\u001b[2J']));
  for (const v of ['0', 'abc', '-1', '0x10', '1e3', '99999999999999999999']) add(c(USAGE, ['candles', 'BTC-USD', '--limit', v]));
  for (const v of ['0', 'abc', '1.5', '0x20'])
    add(c(USAGE, ['chart', 'BTC-USD', '--last', v]), c(USAGE, ['chart', 'BTC-USD', '--height', v]));
  for (const d of NOT_DATES) add(c(USAGE, ['candles', 'BTC-USD', '--from', d]), c(USAGE, ['candles', 'BTC-USD', '--to', d]));
  add(c(USAGE, ['candles', 'BTC-USD', '--from', '2026-01-02', '--to', '2026-01-01']));
  for (const spec of ['foo:3', 'ema:0', 'ema:abc', 'ema:0x10', 'rsi:-1', 'macd:26:12:9', 'bb:20:abc', 'sma:100000000', 'ema:1:2:3:4', '']) {
    add(c(USAGE, ['indicators', 'BTC-USD', '--ind', spec]));
  }
  for (const v of ['0', 'abc']) add(c(USAGE, ['indicators', 'BTC-USD', '--last', v]));
  for (const d of NOT_DURATIONS) add(c(USAGE, ['market', 'advance', d]));
  add(c(USAGE, ['market', 'advance', '1h', '--strategy-timeout', 'abc']), c(USAGE, ['market', 'advance', '1h', '--strategy-timeout', '0']));

  // --- instruments and imports (the command line; CSV content is the importer's own suite) ----
  for (const sym of ['', 'A B', 'TOO-LONG-SYMBOL-NAME-123', 'BTC\u001b[2J', 'BTC;DROP', '\u0007'])
    add(c(USAGE, ['instruments', 'add', sym]));
  add(c(CONFLICT, ['instruments', 'add', 'BTC-USD'], /already exists/));
  add(
    c(USAGE, ['instruments', 'add', 'NEW1', '--name', 'evil\u001b]0;title\u0007'], /control character/),
    c(USAGE, ['instruments', 'add', 'NEW2', '--name', 'clear\u001b[2J'], /control character/),
    c(USAGE, ['instruments', 'add', 'NEW3', '--name', 'tab\there'], /control character/),
    c(USAGE, ['instruments', 'add', 'NEW4', '--quote-currency', 'U$D']),
    c(USAGE, ['instruments', 'add', 'NEW5', '--base-currency', '\u001b']),
  );
  for (const [flag, v] of [
    ['--tick', '0'],
    ['--tick', 'abc'],
    ['--tick', '-1'],
    ['--contract-size', '0'],
    ['--spread', '0.5'],
    ['--spread', 'abc'],
    ['--min-size', '0'],
    ['--max-size', '0x10'],
    ['--funding-rate', '0.5'],
    ['--slippage-factor', '2'],
    ['--tick', '1e-20'],
    ['--min-size', '10'],
  ] as const) {
    add(c(USAGE, ['instruments', 'add', 'NEW9', flag, v, ...(flag === '--min-size' && v === '10' ? ['--max-size', '5'] : [])]));
  }
  add(
    c(NOT_FOUND, ['import', 'candles', '{dir}/missing.csv', '--symbol', 'BTC-USD'], /no such file/),
    c(USAGE, ['import', 'candles', '{dir}/good.csv']),
    c(NOT_FOUND, ['import', 'candles', '{dir}/good.csv', '--symbol', 'NOPE']),
    c(USAGE, ['import', 'candles', '{dir}', '--symbol', 'BTC-USD']),
    // 1m candles are stored for BTC-USD: other rows would mix timeframes (one per instrument)
    c(CONFLICT, ['import', 'candles', '{dir}/good.csv', '--symbol', 'BTC-USD', '--timeframe', '5m'], /one timeframe per instrument/),
  );

  // --- unknown commands: said, with the nearest one -----------------------------------------
  add(
    c(USAGE, ['qoute', 'BTC-USD'], /unknown command 'qoute' \(did you mean quote\?\)/),
    c(USAGE, ['frobnicate'], /unknown command 'frobnicate'$/),
  );

  // --- orders ---------------------------------------------------------------------------
  for (const v of NOT_AMOUNTS) add(c(USAGE, ['order', 'buy', 'BTC-USD', v]));
  for (const v of ['0', '0.000000001', '99999999999999999', '-0.1']) add(c(USAGE, ['order', 'sell', 'BTC-USD', v]));
  add(c(NOT_FOUND, ['order', 'buy', 'NOPE', '1']), c(USAGE, ['order', 'buy', 'BTC-USD']), c(USAGE, ['order', 'buy']));
  for (const v of ['0', 'abc', '0x5', '1e1', '-2', '']) add(c(USAGE, ['order', 'buy', 'BTC-USD', '0.01', '--leverage', v]));
  for (const v of ['abc', '0x10', '-5', 'NaN', '']) {
    add(
      c(USAGE, ['order', 'buy', 'BTC-USD', '0.01', '--type', 'limit', '--price', v]),
      c(USAGE, ['order', 'buy', 'BTC-USD', '0.01', '--sl', v]),
      c(USAGE, ['order', 'buy', 'BTC-USD', '0.01', '--type', 'stop', '--stop', v]),
    );
  }
  // Rejections are stored with their reason by design (README): exit 5, the order row written.
  const rejected = (...args: string[]) => c(REJECTED, ['order', ...args], /rejected/, { writes: true });
  add(rejected('buy', 'BTC-USD', '0.01', '--leverage', '126'));
  // A missing or zero level is the command line's mistake: a usage error, nothing stored.
  add(
    c(USAGE, ['order', 'buy', 'BTC-USD', '0.01', '--type', 'limit'], /a limit order needs --price/),
    c(USAGE, ['order', 'buy', 'BTC-USD', '0.01', '--type', 'stop'], /a stop order needs --stop/),
    c(USAGE, ['order', 'buy', 'BTC-USD', '0.01', '--type', 'stop-limit', '--stop', '50000'], /a stop-limit order needs --price/),
    c(USAGE, ['order', 'buy', 'BTC-USD', '0.01', '--type', 'limit', '--price', '0'], /--price must be positive/),
    c(USAGE, ['order', 'buy', 'BTC-USD', '0.01', '--sl', '0'], /--sl must be positive/),
    c(USAGE, ['order', 'buy', 'BTC-USD', '0.01', '--type', 'stop', '--stop', '0'], /--stop must be positive/),
    c(USAGE, ['order', 'buy', 'BTC-USD', '1e3'], /no exponent/),
    c(USAGE, ['order', 'buy', 'BTC-USD', '0.01', '--type', 'limit', '--price', '6e4'], /no exponent/),
  );
  add(
    c(REJECTED, ['order', 'buy', 'BTC-USD', '0.00001'], /rejected/, { writes: true }),
    c(REJECTED, ['order', 'buy', 'BTC-USD', '1000'], /rejected/, { writes: true }),
    c(REJECTED, ['order', 'buy', 'BTC-USD', '5', '--leverage', '1'], /margin/, { writes: true }),
  );
  for (const id of NOT_IDS) add(c(idCode(id), ['order', 'show', id]), c(idCode(id), ['order', 'cancel', id]));
  add(c(NOT_FOUND, ['order', 'show', 'ffffffff']), c(USAGE, ['orders', '--limit', '0']), c(USAGE, ['orders', '--limit', 'abc']));
  add(c(CONFLICT, ['close', 'ETH-USD'], /no open/), c(NOT_FOUND, ['close', 'NOPE']));
  for (const v of ['0', 'abc', '-1', '0x1']) add(c(USAGE, ['close', 'BTC-USD', '--size', v]));

  // --- accounts and money ----------------------------------------------------------------
  for (const id of ['%%%%', '____', '%', '_', '%_%_', 'nope', 'zzzz', "Demo' OR '1'='1"]) {
    add(
      c(NOT_FOUND, ['account', '--account', id]),
      c(NOT_FOUND, ['positions', '--account', id]),
      c(NOT_FOUND, ['orders', '--account', id]),
    );
  }
  add(c(NOT_FOUND, ['account', 'use', '%%%%']), c(NOT_FOUND, ['ledger', '--account', '____']));
  for (const v of NOT_AMOUNTS) add(c(USAGE, ['account', 'deposit', v]), c(USAGE, ['account', 'withdraw', v]));
  add(
    c(USAGE, ['account', 'deposit', '0']),
    c(USAGE, ['account', 'deposit', '1e3']),
    c(USAGE, ['account', 'deposit', '9007199254.740992'], /out of range|largest/),
    c(USAGE, ['account', 'deposit', '9007199254.740991'], /largest balance|limit/),
    c(USAGE, ['account', 'deposit', '1e309']),
    c(USAGE, ['account', 'deposit', '0.0000001']),
    c(USAGE, ['account', 'deposit', '99999999999999999999999']),
  );
  add(c(CONFLICT, ['account', 'withdraw', '100000000'], /cannot withdraw/));
  add(
    c(USAGE, ['account', 'create', 'Big', '--balance', '9007199254.740991'], /limit/),
    c(USAGE, ['account', 'create', 'Huge', '--balance', '9007199254.740992']),
  );
  for (const name of [
    '',
    '   ',
    'house:fees',
    'x'.repeat(65),
    'evil\u001b[2J',
    'bell\u0007',
    'title\u001b]0;pwn\u0007',
    'nul\u0000x',
    'c1\u009b31m',
    'new\nline',
  ]) {
    add(c(USAGE, ['account', 'create', name]));
  }
  add(c(CONFLICT, ['account', 'create', 'Swing'], /already exists/));
  for (const [flag, v] of [
    ['--balance', '0'],
    ['--balance', 'abc'],
    ['--max-leverage', '0'],
    ['--max-leverage', '200'],
    ['--max-leverage', 'x'],
    ['--max-daily-loss', '-5'],
    ['--maker-fee', '0.5'],
    ['--taker-fee', 'abc'],
    ['--maker-fee', '-0.1'],
    ['--taker-fee', '0x1'],
  ] as const) {
    add(c(USAGE, ['account', 'create', 'Other', flag, v]));
  }
  add(c(USAGE, ['ledger', '--type', 'bribe']), c(USAGE, ['ledger', '--limit', '0']), c(USAGE, ['ledger', '--limit', 'many']));

  // --- seed -------------------------------------------------------------------------------
  for (const [flag, v] of [
    ['--days', '0'],
    ['--days', 'abc'],
    ['--days', '100000'],
    ['--days', '0x10'],
    ['--seed', 'abc'],
    ['--seed', '1.5'],
    ['--end', 'tomorrow'],
    ['--end', '2026-02-30'],
    ['--end', '1970-01-01'],
    ['--instruments', 'NOPE'],
    ['--instruments', ','],
    ['--seed', '0x10'],
  ] as const) {
    add(c(v === 'NOPE' ? NOT_FOUND : USAGE, ['seed', flag, v]));
  }

  // --- strategies, backtests --------------------------------------------------------------
  add(
    c(NOT_FOUND, ['backtest', 'no_such_strategy']),
    c(NOT_FOUND, ['backtest', './missing-strategy.js'], /does not exist/),
    c(USAGE, ['backtest', '{dir}/']),
    c(USAGE, ['backtest', '{s:syntax}'], /cannot load/),
    c(USAGE, ['backtest', '{s:noexport}'], /does not export a strategy/),
    c(USAGE, ['backtest', '{s:throwsonload}'], /cannot load/),
    c(USAGE, ['backtest', '{s:baddefault}'], /invalid parameter spec/),
    c(USAGE, ['backtest', '{s:minmax}'], /min 20 is above max 10/),
    c(USAGE, ['backtest', '{s:badkind}'], /kind must be/),
    c(USAGE, ['backtest', '{s:tssyntax}'], /cannot load/),
    c(STRATEGY, ['backtest', '{s:loadloop}', '--strategy-timeout', '0.1'], /did not finish loading/),
    c(STRATEGY, ['backtest', '{s:throws}'], /failed: strategy \S+: threw at the candle of \S+: boom$/, { writes: true }),
    c(STRATEGY, ['backtest', '{s:loop}', '--strategy-timeout', '0.2'], /timed out/, { writes: true }),
    c(STRATEGY, ['backtest', '{s:exits}'], /process\.exit/, { writes: true }),
    c(STRATEGY, ['backtest', '{s:createthrows}'], /threw in create/, { writes: true }),
    c(STRATEGY, ['backtest', '{s:badwarmup}'], /warmup must be/, { writes: true }),
    c(STRATEGY, ['backtest', '{s:validatethrows}'], /threw in validate/),
  );
  for (const p of [
    'fast',
    'fast=',
    '=5',
    'fast=abc',
    'fast=0x10',
    'fast=1e400',
    'fast=Infinity',
    'nope=1',
    'fast=0',
    'fast=5.5',
    'fast=40',
    'mode=sideways',
    '1x=2',
  ]) {
    add(c(USAGE, ['backtest', 'ema_crossover', '--param', p]));
  }
  add(c(USAGE, ['backtest', 'ema_crossover', '--param', 'fast=5', '--param', 'fast=6']));
  for (const [flag, v] of [
    ['--capital', '0'],
    ['--capital', 'abc'],
    ['--capital', '-100'],
    ['--capital', '1e5'],
    ['--capital', '9007199254.740992'],
    ['--leverage', '0'],
    ['--leverage', '500'],
    ['--size', 'abc'],
    ['--size', '0'],
    ['--size', '150%'],
    ['--size', '-1'],
    ['--fee-taker', '0.5'],
    ['--fee-maker', 'abc'],
    ['--from', 'yesterday'],
    ['--to', '2026-02-30'],
    ['--strategy-timeout', '0'],
    ['--strategy-timeout', 'never'],
    ['--strategy-timeout', '99999'],
    ['--trades', '{dir}/t.txt'],
    ['--trades', '{dir}/a-folder.csv'],
    ['--trades', '{dir}/notes.txt/t.csv'],
    ['--trades', '{dir}/existing.csv'],
    ['--symbol', 'NOPE'],
  ] as const) {
    add(c(flag === '--symbol' ? NOT_FOUND : USAGE, ['backtest', 'ema_crossover', flag, v]));
  }
  add(
    c(USAGE, ['backtest', 'ema_crossover', '--from', '2026-01-02', '--to', '2026-01-01']),
    c(USAGE, ['backtest', 'ema_crossover', '--from', '0050-01-01', '--to', '0060-01-01'], /no BTC-USD candles/),
    c(USAGE, ['backtest', 'ema_crossover', '--timeframe', '1m', '--to', '1999-01-01']),
  );
  for (const id of NOT_IDS) add(c(idCode(id), ['backtests', 'show', id]));
  add(
    c(USAGE, ['backtests', '--limit', '0']),
    c(USAGE, ['optimize', 'ema_crossover']),
    c(USAGE, ['optimize', 'ema_crossover', '--grid', 'fast=abc']),
    c(USAGE, ['optimize', 'ema_crossover', '--grid', 'fast=5:20:5', '--metric', 'luck']),
    c(USAGE, ['optimize', 'ema_crossover', '--grid', 'fast=5:20:5', '--workers', '0']),
    c(USAGE, ['optimize', 'ema_crossover', '--grid', 'nope=1:2:1']),
    c(NOT_FOUND, ['optimize', 'nope', '--grid', 'fast=1:2:1']),
  );

  // --- bots ---------------------------------------------------------------------------------
  const create = (name: string, ...rest: string[]) => [
    'bot',
    'create',
    name,
    '--strategy',
    'ema_crossover',
    '--symbol',
    'BTC-USD',
    ...rest,
  ];
  for (const name of ['', 'evil\u001b[2J', 'bell\u0007', '-dash', 'x'.repeat(65), '%%%%', 'a/b']) add(c(USAGE, create(name)));
  add(c(CONFLICT, create('trend'), /already exists/));
  for (const [flag, v] of [
    ['--timeframe', '2h'],
    ['--size', 'lots'],
    ['--leverage', '0'],
    ['--max-position', 'abc'],
    ['--max-daily-loss', '-1'],
    ['--max-drawdown', '0'],
    ['--max-drawdown', '150'],
    ['--max-drawdown', 'abc'],
    ['--param', 'fast=abc'],
    ['--param', 'nope=1'],
  ] as const) {
    add(c(USAGE, create('newbot', flag, v)));
  }
  add(
    c(NOT_FOUND, create('newbot2', '--account', '%%%%')),
    c(NOT_FOUND, ['bot', 'create', 'nb3', '--strategy', 'nope', '--symbol', 'BTC-USD']),
    c(USAGE, ['bot', 'create', 'nb4', '--strategy', '{s:baddefault}', '--symbol', 'BTC-USD']),
    c(NOT_FOUND, ['bot', 'create', 'nb5', '--strategy', 'ema_crossover', '--symbol', 'NOPE']),
    c(USAGE, ['bot', 'create', 'nb6', '--symbol', 'BTC-USD']),
  );
  for (const id of ['%%%%', '____', 'nope', 'ffffffff']) {
    add(
      c(NOT_FOUND, ['bot', 'show', id]),
      c(NOT_FOUND, ['bot', 'start', id]),
      c(NOT_FOUND, ['bot', 'decisions', id]),
      c(NOT_FOUND, ['bot', 'delete', id]),
    );
  }
  add(c(CONFLICT, ['bot', 'pause', 'trend']), c(CONFLICT, ['bot', 'resume', 'trend']), c(CONFLICT, ['bot', 'reset', 'trend']));
  for (const d of NOT_DURATIONS) add(c(USAGE, ['bot', 'run', 'trend', '--for', d]));
  add(
    c(USAGE, ['bot', 'run', 'trend', '--for', '1h', '--strategy-timeout', '-1']),
    c(USAGE, ['bot', 'decisions', 'trend', '--limit', '0']),
    c(NOT_FOUND, ['bot', 'explain', '%%%%']),
    c(NOT_FOUND, ['bot', 'explain', 'ffffffff']),
  );

  // --- migrations ---------------------------------------------------------------------------
  add(
    c(NOT_FOUND, ['db', 'rollback', '--to', 'nope']),
    c(USAGE, ['db', 'rollback', '--to', '001_initial_schema', '--all']),
    c(USAGE, ['db', 'create', '!!!', '--dir', '{dir}/migs']),
    c(USAGE, ['db', 'create', '', '--dir', '{dir}/migs']),
    c(NOT_FOUND, ['db', 'create', 'add_x', '--dir', '{dir}/no-such-dir']),
  );
  return cases;
}

/** Strategy files the table refers to as {s:NAME}. */
export const STRATEGY_FILES: Readonly<Record<string, readonly [file: string, text: string]>> = {
  syntax: ['syntax.js', 'export default { id: "x", params: [], create( {'],
  tssyntax: ['tssyntax.ts', 'const x: number = ;\nexport default x;'],
  noexport: ['noexport.js', 'export const nothing = 1;'],
  throwsonload: ['throwsonload.js', 'throw new Error("no config file");'],
  loadloop: ['loadloop.js', 'for (;;) {}\nexport default {};'],
  baddefault: [
    'baddefault.js',
    strategy("params: [{ name: 'n', kind: 'int', default: 'abc', min: 1, max: 10, description: '' }]", "return 'hold';"),
  ],
  minmax: ['minmax.js', strategy("params: [{ name: 'n', kind: 'int', default: 15, min: 20, max: 10, description: '' }]", "return 'hold';")],
  badkind: ['badkind.js', strategy("params: [{ name: 'n', kind: 'float', default: 1, description: '' }]", "return 'hold';")],
  throws: ['throws.js', strategy('params: []', "if (++n > 3) throw new Error('boom'); return 'hold';")],
  loop: ['loop.js', strategy('params: []', "if (++n > 3) for (;;) {} return 'hold';")],
  exits: ['exits.js', strategy('params: []', "if (++n > 3) process.exit(0); return 'hold';")],
  createthrows: ['createthrows.js', "export default { id: 'ct', description: '', params: [], create() { throw new Error('no'); } };"],
  badwarmup: [
    'badwarmup.js',
    "export default { id: 'bw', description: '', params: [], create() { return { warmup: -3, onCandle() { return 'hold'; }, explain() { return { reason: '', indicators: {} }; } }; } };",
  ],
  validatethrows: [
    'validatethrows.js',
    "export default { id: 'vt', description: '', params: [], validate() { throw new Error('bad'); }, create() { return { warmup: 1, onCandle() { return 'hold'; }, explain() { return { reason: '', indicators: {} }; } }; } };",
  ],
};

function strategy(params: string, body: string): string {
  return `let n = 0;\nexport default { id: 'user_test', description: 'test', ${params}, create() { return { warmup: 1, onCandle(c, p) { ${body} }, explain() { return { reason: 'r', indicators: {} }; } }; } };\n`;
}

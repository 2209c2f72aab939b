/**
 * The CLI edge: the only file that imports commander, maps errors to exit codes and calls
 * process.exit. Command modules are imported lazily so start-up stays close to `node -e 0`.
 *
 * Exit codes: 0 ok · 1 internal error · 2 usage · 3 not found · 4 conflict · 5 order rejected ·
 * 6 database unusable · 7 integrity check failed · 8 log in first · 9 strategy failed · 130 interrupted.
 */
import { Command, CommanderError, Option } from 'commander';
import { TunicoinError, type ErrorKind } from '../core/errors.ts';
import { createContext, type Context, type GlobalOptions } from './context.ts';
import { DecimalParseError, FixedPointOverflowError } from '../core/money.ts';

declare const __TUNICOIN_VERSION__: string;
const VERSION = typeof __TUNICOIN_VERSION__ === 'string' ? __TUNICOIN_VERSION__ : '0.0.0-dev';

export const EXIT: Readonly<Record<ErrorKind | 'ok' | 'internal', number>> = {
  ok: 0, internal: 1, usage: 2, 'not-found': 3, conflict: 4, rejected: 5, database: 6, integrity: 7, auth: 8, strategy: 9, interrupted: 130,
};

/** Where commands write and read: the process's streams, or injected ones (runInProcess). */
interface Io { out: NodeJS.WritableStream & { isTTY?: boolean }; err: NodeJS.WritableStream & { isTTY?: boolean }; env: NodeJS.ProcessEnv; exitCode: number }
let io: Io = { out: process.stdout, err: process.stderr, env: process.env, exitCode: 0 };

type Handler = (ctx: Context, cmd: Command) => Promise<void>;

/** Timeframes for market-data commands (bots and backtests keep their own list). */
const TIMEFRAME_CHOICES = ['1m', '5m', '15m', '30m', '1h', '2h', '4h', '1d', '1w'];

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/** Run a handler with a fresh context; map failures to one line on stderr and an exit code. */
function action(handler: Handler) {
  return async (...args: unknown[]): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    const options = cmd.optsWithGlobals() as GlobalOptions;
    let ctx: Context | undefined;
    try {
      ctx = createContext({ out: io.out as never, err: io.err as never, env: io.env, options });
      await handler(ctx, cmd);
    } catch (e) {
      io.exitCode = reportError(ctx ?? fallbackReporter(options), e);
    } finally {
      try { ctx?.close(); } catch (e) { io.exitCode ||= reportError(fallbackReporter(options), e); }
    }
  };
}

/** Reports an error raised before the context exists (e.g. --db ""). */
function fallbackReporter(options: GlobalOptions): Pick<Context, 'note' | 'verbose' | 'style'> {
  const plain = (s: string) => s;
  return {
    verbose: options.verbose === true,
    note: (t: string) => { io.err.write(t.endsWith('\n') ? t : `${t}\n`); },
    style: { chalk: { red: plain } } as unknown as Context['style'],
  };
}

/** SQLite failures that mean the file cannot be used (exit 6), not a bug. */
const DATABASE_CODES = /^SQLITE_(BUSY|LOCKED|READONLY|CANTOPEN|IOERR|FULL|CORRUPT|NOTADB|PERM|AUTH|PROTOCOL)/;

export function reportError(ctx: Pick<Context, 'note' | 'verbose' | 'style'>, e: unknown): number {
  if (e instanceof TunicoinError) {
    ctx.note(`${ctx.style.chalk.red('error:')} ${e.message}${e.hint ? ` (${e.hint})` : ''}`);
    if (ctx.verbose && e.stack) ctx.note(e.stack);
    return EXIT[e.kind];
  }
  if (e instanceof DecimalParseError || e instanceof FixedPointOverflowError) {
    ctx.note(`${ctx.style.chalk.red('error:')} ${e.message}`);
    return EXIT.usage;
  }
  const err = e as Error & { code?: string };
  if (err?.code === 'SQLITE_BUSY' || err?.code === 'SQLITE_LOCKED') {
    ctx.note('error: the database stayed locked by another tunicoin process; try again');
    return EXIT.database;
  }
  if (typeof err?.code === 'string' && DATABASE_CODES.test(err.code)) {
    ctx.note(`error: the database cannot be used: ${err.message} (${err.code}); check the file, its folder and the disk`);
    return EXIT.database;
  }
  ctx.note(`${ctx.style.chalk.red('internal error:')} ${err?.message ?? String(e)}${ctx.verbose ? '' : ' (run with --verbose for details)'}`);
  if (ctx.verbose && err?.stack) ctx.note(err.stack);
  return EXIT.internal;
}

export function buildProgram(): Command {
  const program = new Command('tunicoin')
    .description('Paper trading and backtesting on one SQLite file.')
    .version(VERSION, '-V, --version')
    .option('--db <path>', 'database file (default: $TUNICOIN_DB, else $XDG_DATA_HOME/tunicoin/tunicoin.db)')
    .option('--json', 'machine-readable JSON on stdout')
    .option('--no-color', 'no colour (also NO_COLOR=1 or a non-TTY stdout)')
    .option('-y, --yes', 'never prompt')
    .option('--verbose', 'stack traces on errors')
    .option('--all-users', 'admins: every user\'s accounts, orders, bots and backtests')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', examples('tunicoin seed', 'tunicoin instruments', 'tunicoin quote BTC-USD', 'tunicoin chart BTC-USD --timeframe 1h',
      'tunicoin candles ETH-USD --timeframe 15m --limit 20 --format csv'));

  const db = program.command('db').description('where the database is and its migrations')
    .addHelpText('after', examples('tunicoin db path', 'tunicoin db status', 'tunicoin db rollback --all'));
  db.command('path').description('print the database path').addHelpText('after', examples('tunicoin db path', 'TUNICOIN_DB=/tmp/t.db tunicoin db path --json'))
    .action(action(async (ctx) => (await import('./commands/db.ts')).dbPath(ctx)));
  db.command('status').description('applied and pending migrations').addHelpText('after', examples('tunicoin db status --json'))
    .action(action(async (ctx) => (await import('./commands/db.ts')).dbStatus(ctx)));
  db.command('migrate').description('apply pending migrations (also done automatically on open)').addHelpText('after', examples('tunicoin db migrate'))
    .action(action(async (ctx) => (await import('./commands/db.ts')).dbMigrate(ctx)));
  db.command('rollback').description('revert the last migration, those after --to NAME, or --all')
    .option('--to <name>', 'keep NAME applied and revert every later migration')
    .option('--all', 'revert every migration (drops all data)')
    .addHelpText('after', examples('tunicoin db rollback', 'tunicoin db rollback --to 001_initial_schema', 'tunicoin db rollback --all'))
    .action(action(async (ctx, cmd) => (await import('./commands/db.ts')).dbRollback(ctx, cmd.optsWithGlobals())));
  db.command('create').description('write a new migration file from the template').argument('<name>', 'what the migration does, e.g. add_bot_notes')
    .option('--dir <dir>', 'migrations directory (default: the package\'s migrations/)')
    .addHelpText('after', examples('tunicoin db create add_bot_notes'))
    .action(action(async (ctx, cmd) => (await import('./commands/db.ts')).dbCreate(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));

  program.command('seed').description('create the demo user, account, instruments and 1m candle history')
    .option('--seed <n>', 'random seed for the synthetic market', '42')
    .option('--days <n>', 'days of 1m history per instrument', '30')
    .option('--end <iso>', 'time of the last candle (default: now, floored to the minute)')
    .option('--instruments <list>', 'comma-separated subset, e.g. BTC-USD,ETH-USD')
    .option('--reset', 'wipe every table and seed again')
    .addHelpText('after', examples('tunicoin seed', 'tunicoin seed --seed 7 --days 7 --end 2026-01-01T00:00:00Z', 'tunicoin seed --reset --instruments BTC-USD,EURUSD'))
    .action(action(async (ctx, cmd) => (await import('./commands/seed.ts')).seed(ctx, cmd.optsWithGlobals())));

  const instruments = program.command('instruments').description('the tradeable instruments and their parameters')
    .addHelpText('after', examples('tunicoin instruments', 'tunicoin instruments --json', 'tunicoin instruments add SPX500 --type cfd --tick 0.01'))
    .action(action(async (ctx) => (await import('./commands/market.ts')).instruments(ctx)));
  instruments.command('add').description('define a new instrument (e.g. to import real history into)').argument('<symbol>')
    .addOption(new Option('--type <type>', 'instrument type (default stock)').choices(['stock', 'crypto', 'forex', 'futures', 'cfd']))
    .option('--name <name>', 'display name').option('--tick <p>', 'tick size (default 0.01)').option('--contract-size <n>', 'units per contract (default 1)')
    .option('--spread <rate>', 'base spread (default 0.0005 = 0.05%)').option('--min-size <n>', 'minimum size and lot step (default 0.01)')
    .option('--max-size <n>', 'maximum size (default 1000000)').option('--funding-rate <rate>', 'funding per 8 h (default 0)')
    .option('--slippage-factor <f>', 'slippage factor (default 0.01)').option('--quote-currency <ccy>', 'quote currency (default USD)').option('--base-currency <ccy>', 'base currency')
    .addHelpText('after', examples('tunicoin instruments add SPX500 --type cfd --name "S&P 500 index" --tick 0.01', 'tunicoin instruments add SOL-USD --type crypto --tick 0.001 --min-size 0.01 --funding-rate 0.0001'))
    .action(action(async (ctx, cmd) => (await import('./commands/data.ts')).addInstrument(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
  instruments.command('remove').description('delete an instrument and its candles (refused while orders, positions or bots use it)').argument('<symbol>')
    .option('--force', 'cancel its working orders and delete its bots first (asks on a terminal; open positions must be closed)')
    .addHelpText('after', examples('tunicoin instruments remove SPX500', 'tunicoin instruments remove BTC-USD --force --yes'))
    .action(action(async (ctx, cmd) => (await import('./commands/data.ts')).removeInstrumentCmd(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
  instruments.command('set').description('trading settings of an instrument').argument('<symbol>')
    .option('--max-participation <share>', 'largest share of a 1m candle\'s volume one fill may take (0.1 = 10%; 0 = no cap, the default); the rest of the order keeps working as `partial`')
    .addHelpText('after', examples('tunicoin instruments set ETH-USD --max-participation 0.1', 'tunicoin instruments set ETH-USD --max-participation 0'))
    .action(action(async (ctx, cmd) => (await import('./commands/instrument-set.ts')).instrumentSet(ctx, cmd.args[0] as string, cmd.opts())));
  const imp = program.command('import').description('bring real market data in')
    .addHelpText('after', examples('tunicoin import candles fixtures/sp500-daily-2015-2020.csv --symbol SPX500 --timeframe 1d'));
  imp.command('candles').description('import OHLCV candles from CSV or .csv.gz (header-detected, pandas, Yahoo, Binance kline dumps; , ; or tab)').argument('<file>')
    .option('--symbol <sym>', 'instrument to import into (see `instruments add`)')
    .addOption(new Option('--timeframe <tf>', 'timeframe of the rows').choices(TIMEFRAME_CHOICES).default('1m'))
    .option('--skip-invalid', 'import the valid rows and report the others (default: all or nothing)')
    .option('--merge', 'add only timestamps not stored yet (into a synthetic instrument or over stored candles)')
    .option('--replace', 'replace the stored candles in the file\'s range, in one transaction')
    .option('--adjusted', 'scale open/high/low/close by Adj Close / Close (Yahoo layout)')
    .addHelpText('after', examples('tunicoin import candles fixtures/sp500-daily-2015-2020.csv --symbol SPX500 --timeframe 1d',
      'tunicoin import candles fixtures/binance-klines-sample.csv --symbol BTC-USD --timeframe 1m --merge --skip-invalid'))
    .action(action(async (ctx, cmd) => (await import('./commands/data.ts')).importCandlesCmd(ctx, cmd.args[0] as string, cmd.optsWithGlobals(), onInterrupt)));

  const timeframeOption = (def: string) => new Option('--timeframe <tf>', 'candle timeframe').choices(TIMEFRAME_CHOICES).default(def);
  const candles = program.command('candles').description('OHLCV candles: the latest at or before the clock, however old').argument('<symbol>')
    .addOption(timeframeOption('1m'))
    .option('--from <iso>', 'first bucket (ISO-8601)').option('--to <iso>', 'last time (default: the clock)')
    .option('--limit <n>', 'at most N candles, the latest (default 50)')
    .addOption(new Option('--format <fmt>', 'output format').choices(['table', 'json', 'csv']))
    .addHelpText('after', examples('tunicoin candles BTC-USD', 'tunicoin candles BTC-USD --timeframe 1h --limit 24', 'tunicoin candles SPX500 --timeframe 1w --from 2020-01-01',
      'tunicoin candles EURUSD --timeframe 1d --format csv > eurusd.csv', 'tunicoin candles delete SPX500 --from 2020-01-01'))
    .action(action(async (ctx, cmd) => (await import('./commands/market.ts')).candles(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
  candles.command('delete').description('delete stored candles of an instrument (all, or --from/--to)').argument('<symbol>')
    .option('--from <iso>', 'first candle to delete').option('--to <iso>', 'last candle to delete')
    .addHelpText('after', examples('tunicoin candles delete BTCUSDT', 'tunicoin candles delete SPX500 --from 2020-03-01 --to 2020-03-31'))
    .action(action(async (ctx, cmd) => (await import('./commands/data.ts')).deleteCandlesCmd(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
  program.command('quote').description('bid, ask and mid at the simulation clock, with the 24h change').argument('<symbol>')
    .addHelpText('after', examples('tunicoin quote BTC-USD', 'tunicoin quote EURUSD --json'))
    .action(action(async (ctx, cmd) => (await import('./commands/market.ts')).quote(ctx, cmd.args[0] as string)));
  program.command('chart').description('terminal chart of closes').argument('<symbol>')
    .addOption(timeframeOption('1h'))
    .option('--last <n>', 'number of candles (default 72)')
    .option('--from <iso>', 'first bucket').option('--to <iso>', 'last time (default: the clock)')
    .option('--height <n>', 'chart height in rows (default 15)')
    .option('--candles', 'candlesticks (Unicode blocks) instead of a line of closes')
    .addHelpText('after', examples('tunicoin chart BTC-USD', 'tunicoin chart BTC-USD --candles --last 60', 'tunicoin chart SPX-FUT --timeframe 15m --last 96 --height 20', 'tunicoin chart SPX500 --timeframe 1w --from 2018-01-01 --to 2019-12-31'))
    .action(action(async (ctx, cmd) => (await import('./commands/market.ts')).chart(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));

  registerTrading(program);
  registerResearch(program);
  registerBots(program);
  registerUsers(program);
  registerReports(program);
  // `tunicoin` alone: the help, on stdout, as a success.
  program.action(() => program.help());
  return program;
}

function registerBots(program: Command): void {
  const bot = program.command('bot').description('strategies running on paper accounts as the clock advances')
    .addHelpText('after', examples('tunicoin bot create trend --strategy ema_crossover --symbol BTC-USD --timeframe 1h --max-daily-loss 200',
      'tunicoin bot start trend', 'tunicoin bot run trend --for 1d', 'tunicoin bot decisions trend --only-trades', 'tunicoin bot explain 3f2a9c1e'));
  bot.command('create').description('a new bot (idle until started)').argument('<name>')
    .option('--strategy <s>', 'a built-in strategy id or a .js/.ts file').option('--symbol <sym>', 'instrument')
    .addOption(new Option('--timeframe <tf>', 'candle timeframe it acts on').choices(['1m', '5m', '15m', '1h', '4h', '1d']).default('1h'))
    .option('--account <name>', 'paper account (default: the default account)').option('--param <k=v>', 'strategy parameter, repeatable', collect, [])
    .option('--size <spec>', 'contracts (0.5), % of equity (50%) or all (default)').option('--leverage <n>', 'leverage (default 1)')
    .option('--max-position <n>', 'largest position in contracts; bigger orders are cut')
    .option('--max-daily-loss <n>', 'pause (circuit breaker) when the day\'s loss reaches this').option('--max-drawdown <pct>', 'pause when equity falls this % below its peak')
    .option('--strict', 'refuse (exit 4) instead of warning: another bot on the same account and symbol, leverage above the account maximum, no candles at the clock, minimum size unaffordable')
    .addHelpText('after', examples('tunicoin bot create trend --strategy ema_crossover --symbol BTC-USD --param fast=10 --param slow=30 --size 50% --max-drawdown 15',
      'tunicoin bot create swing --strategy rsi_reversion --symbol ETH-USD --timeframe 15m --strict'))
    .action(action(async (ctx, cmd) => (await import('./commands/bot.ts')).botCreate(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
  bot.command('list').description('all bots').addHelpText('after', examples('tunicoin bot list --json'))
    .action(action(async (ctx) => (await import('./commands/bot.ts')).botList(ctx)));
  bot.command('show').description('status, parameters, limits and stats of a bot').argument('<bot>', 'name or id prefix')
    .addHelpText('after', examples('tunicoin bot show trend --json'))
    .action(action(async (ctx, cmd) => (await import('./commands/bot.ts')).botShow(ctx, cmd.args[0] as string)));
  for (const [verb, help] of [['start', 'idle/stopped -> running'], ['pause', 'running -> paused'], ['resume', 'paused -> running'], ['stop', 'running/paused/error -> stopped'], ['reset', 'clear the circuit breaker and the last error (-> paused)']] as const) {
    bot.command(verb).description(help).argument('<bot>', 'name or id prefix').addHelpText('after', examples(`tunicoin bot ${verb} trend`))
      .action(action(async (ctx, cmd) => (await import('./commands/bot.ts')).botAction(ctx, cmd.args[0] as string, verb)));
  }
  bot.command('delete').description('delete a bot (refused while it holds a position unless --force)').argument('<bot>', 'name or id prefix')
    .option('--force', 'close its position at market first')
    .addHelpText('after', examples('tunicoin bot delete trend', 'tunicoin bot delete trend --force'))
    .action(action(async (ctx, cmd) => (await import('./commands/bot.ts')).botDelete(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
  bot.command('run').description('start the bot if needed and advance the clock, with a live summary').argument('<bot>', 'name or id prefix')
    .option('--for <duration>', 'how far to advance: 12h, 7d, 2w')
    .option('--strategy-timeout <s>', 'time limit per candle of a strategy file, seconds (default 1)')
    .addHelpText('after', examples('tunicoin bot run trend --for 1d', 'tunicoin bot run trend --for 12h --json'))
    .action(action(async (ctx, cmd) => (await import('./commands/bot.ts')).botRun(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
  bot.command('decisions').description('every evaluation of a bot: decision, reason, indicators, risk, order, result').argument('<bot>', 'name or id prefix')
    .option('--limit <n>', 'the latest N (default 20)').option('--only-trades', 'only decisions that placed or were blocked from placing an order')
    .addHelpText('after', examples('tunicoin bot decisions trend', 'tunicoin bot decisions trend --only-trades --json'))
    .action(action(async (ctx, cmd) => (await import('./commands/bot.ts')).botDecisions(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
  bot.command('explain').description('the decision behind one order').argument('<order>', 'order id or prefix')
    .addHelpText('after', examples('tunicoin bot explain 3f2a9c1e'))
    .action(action(async (ctx, cmd) => (await import('./commands/bot.ts')).botExplain(ctx, cmd.args[0] as string)));
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

function registerUsers(program: Command): void {
  const users = async () => import('./commands/user.ts');
  const pwStdin = ['--password-stdin', 'read the password from stdin (for scripts; never put one on the command line)'] as const;
  const user = program.command('user').description('users of this database: register, profile, password, 2FA; admins: list and set')
    .addHelpText('after', examples('tunicoin user register ada@example.com', 'tunicoin user show', 'tunicoin user 2fa enable', 'tunicoin user set bob@example.com --kyc approved --plan pro'));
  user.command('register').description('a new user (the first one on a database without an admin becomes admin)').argument('<email>')
    .option(...pwStdin)
    .addHelpText('after', examples('tunicoin user register ada@example.com', 'printf %s "$PASSWORD" | tunicoin user register ci@example.com --password-stdin'))
    .action(action(async (ctx, cmd) => (await users()).userRegister(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
  user.command('show').description('your profile (admins: anyone\'s): verified, plan, KYC, 2FA, last login').argument('[email]')
    .addHelpText('after', examples('tunicoin user show', 'tunicoin user show --json'))
    .action(action(async (ctx, cmd) => (await users()).userShow(ctx, cmd.args[0])));
  user.command('passwd').description('change your password (other sessions are logged out)')
    .option(...pwStdin)
    .addHelpText('after', examples('tunicoin user passwd', 'printf "%s\\n%s\\n" "$OLD" "$NEW" | tunicoin user passwd --password-stdin'))
    .action(action(async (ctx, cmd) => (await users()).userPasswd(ctx, cmd.optsWithGlobals())));
  user.command('list').description('every user (admins)').addHelpText('after', examples('tunicoin user list', 'tunicoin user list --json'))
    .action(action(async (ctx) => (await users()).userList(ctx)));
  user.command('set').description('change a user (admins): admin, active, verified, KYC status, plan').argument('<email>')
    .option('--admin [bool]', 'make admin (or --admin false)').option('--active <bool>', 'true or false (false: cannot log in or act)')
    .option('--verified [bool]', 'mark the email verified').addOption(new Option('--kyc <status>', 'KYC status (approved stamps kyc_verified_at)').choices(['pending', 'approved', 'rejected']))
    .option('--plan <name>', 'plan (see `tunicoin plan list`)')
    .addHelpText('after', examples('tunicoin user set bob@example.com --kyc approved --verified', 'tunicoin user set bob@example.com --plan pro', 'tunicoin user set eve@example.com --active false'))
    .action(action(async (ctx, cmd) => (await users()).userSet(ctx, cmd.args[0] as string, cmd.opts())));
  const twofa = user.command('2fa').description('two-factor authentication (TOTP, e.g. an authenticator app)')
    .addHelpText('after', examples('tunicoin user 2fa enable', 'tunicoin user 2fa disable --code 123456'));
  twofa.command('enable').description('show the otpauth:// URI and a QR code; 2FA turns on after a valid code, with ten recovery codes')
    .option('--code <code>', 'confirm a set-up started earlier with this code from the app')
    .addHelpText('after', examples('tunicoin user 2fa enable', 'tunicoin user 2fa enable --json   # then: tunicoin user 2fa enable --code 123456'))
    .action(action(async (ctx, cmd) => (await users()).twoFactorEnable(ctx, cmd.opts())));
  twofa.command('disable').description('turn 2FA off (needs a current code or a recovery code)')
    .option('--code <code>', 'a code from the app, or a recovery code')
    .addHelpText('after', examples('tunicoin user 2fa disable', 'tunicoin user 2fa disable --code 123456'))
    .action(action(async (ctx, cmd) => (await users()).twoFactorDisable(ctx, cmd.opts())));

  program.command('login').description('start a session: password, then the 2FA code if it is on').argument('[email]')
    .option(...pwStdin).option('--code <code>', '2FA code (or a recovery code); asked for on a terminal')
    .option('--days <n>', 'session lifetime in days (default 30)').option('--print-token', 'print the token for TUNICOIN_TOKEN instead of saving it')
    .addHelpText('after', examples('tunicoin login ada@example.com', 'export TUNICOIN_TOKEN=$(printf %s "$PW" | tunicoin login ci@example.com --password-stdin --print-token)'))
    .action(action(async (ctx, cmd) => (await users()).loginCmd(ctx, cmd.args[0], cmd.optsWithGlobals())));
  program.command('logout').description('end the session').addHelpText('after', examples('tunicoin logout'))
    .action(action(async (ctx) => (await users()).logoutCmd(ctx)));
  program.command('whoami').description('who the commands act as').addHelpText('after', examples('tunicoin whoami', 'tunicoin whoami --json'))
    .action(action(async (ctx) => (await users()).whoami(ctx)));

  const plan = program.command('plan').description('plans and their limits (empty = unlimited)')
    .addHelpText('after', examples('tunicoin plan list', 'tunicoin plan set free --max-accounts 3 --max-bots 2 --max-sweep 100'));
  plan.command('list').description('plans and their limits').addHelpText('after', examples('tunicoin plan list --json'))
    .action(action(async (ctx) => (await users()).planList(ctx)));
  plan.command('set').description('change a plan\'s limits (admins); "unlimited" clears one').argument('<plan>')
    .option('--max-accounts <n>', 'trading accounts per user').option('--max-bots <n>', 'bots per user').option('--max-sweep <n>', 'combinations in one `optimize`')
    .addHelpText('after', examples('tunicoin plan set free --max-accounts 3 --max-bots 2 --max-sweep 100', 'tunicoin plan set free --max-bots unlimited'))
    .action(action(async (ctx, cmd) => (await users()).planSet(ctx, cmd.args[0] as string, cmd.opts())));
}

function registerResearch(program: Command): void {
  program.command('indicators').description('indicator values over the latest candles (computed over all the history they need)').argument('<symbol>')
    .addOption(new Option('--timeframe <tf>', 'candle timeframe').choices(TIMEFRAME_CHOICES).default('1h'))
    .option('--ind <spec>', 'sma:N ema:N rsi:N macd:F:S:G bb:N:K atr:N, repeatable (default ema:12 ema:26 rsi:14)', collect, [])
    .option('--last <n>', 'rows to show (default 20)')
    .option('--from <iso>', 'first row shown').option('--to <iso>', 'last time (default: the clock)')
    .addOption(new Option('--format <fmt>', 'output format').choices(['table', 'json', 'csv']))
    .addHelpText('after', examples('tunicoin indicators BTC-USD', 'tunicoin indicators ETH-USD --timeframe 15m --ind ema:10 --ind rsi:14 --ind bb:20:2 --last 10', 'tunicoin indicators EURUSD --ind macd --format csv',
      'tunicoin indicators SPX500 --timeframe 1d --ind sma:200 --from 2020-02-01 --to 2020-03-31'))
    .action(action(async (ctx, cmd) => (await import('./commands/indicators.ts')).indicators(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
  program.command('strategies').description('built-in strategies and their parameters')
    .addHelpText('after', examples('tunicoin strategies', 'tunicoin strategies --json'))
    .action(action(async (ctx) => (await import('./commands/backtest.ts')).listStrategies(ctx)));
  program.command('backtest').description('run a strategy over stored candles on the paper engine (no look-ahead)').argument('<strategy>', 'a built-in id or a .js/.ts file')
    .option('--symbol <sym>', 'instrument (default BTC-USD)').addOption(new Option('--timeframe <tf>', 'strategy timeframe').choices(['1m', '5m', '15m', '1h', '4h', '1d']).default('1h'))
    .option('--from <iso>', 'first candle').option('--to <iso>', 'last candle (default: the clock)')
    .option('--capital <n>', 'starting capital (default 10000)').option('--leverage <n>', 'leverage (default 1)')
    .option('--param <k=v>', 'strategy parameter, repeatable', collect, [])
    .option('--size <spec>', 'position size: contracts (0.5), % of equity (50%) or all (default)')
    .option('--fee-taker <rate>', 'taker fee rate (default 0.0005)').option('--fee-maker <rate>', 'maker fee rate (default 0.0002)')
    .option('--trades <file>', 'write the trade log to FILE.csv or FILE.json (an existing file: asked, or --yes)')
    .option('--report <file>', 'also write an HTML report (charts, trades, metrics) to FILE.html')
    .option('--strategy-timeout <s>', 'time limit per candle of a strategy file, seconds (default 1)')
    .option('--periods-per-year <days>', 'days a year for annualising (default: 365 for crypto and forex, 252 for stocks, futures and CFDs)')
    .addHelpText('after', examples('tunicoin backtest ema_crossover', 'tunicoin backtest macd --report macd.html', 'tunicoin backtest ema_crossover --param fast=10 --param slow=30 --param mode=long_short --size 50%',
      'tunicoin backtest rsi_reversion --symbol ETH-USD --timeframe 15m --from 2026-01-01 --trades trades.csv', 'tunicoin backtest ./fixtures/example-strategy.js --json'))
    .action(action(async (ctx, cmd) => (await import('./commands/backtest.ts')).backtest(ctx, cmd.args[0] as string, cmd.optsWithGlobals(), onInterrupt)));
  const optimizeCmd = program.command('optimize').description('sweep a parameter grid of backtests on worker threads and rank the results').argument('<strategy>', 'a built-in id or a .js/.ts file')
    .option('--grid <name=start:end:step>', 'a parameter range (end included) or a list NAME=A,B; repeatable', collect, [])
    .option('--metric <m>', 'rank by: sharpe (default), sortino, calmar, returnPct, cagrPct, profitFactor, maxDrawdownPct, winRatePct, sqn, expectancy')
    .option('--workers <n>', 'worker threads (default: the number of CPUs)').option('--top <n>', 'rows to show (default 10)')
    .option('--symbol <sym>', 'instrument (default BTC-USD)').addOption(new Option('--timeframe <tf>', 'strategy timeframe').choices(['1m', '5m', '15m', '1h', '4h', '1d']).default('1h'))
    .option('--from <iso>', 'first candle').option('--to <iso>', 'last candle (default: the clock)')
    .option('--capital <n>', 'starting capital (default 10000)').option('--leverage <n>', 'leverage (default 1)')
    .option('--param <k=v>', 'fixed strategy parameter, repeatable', collect, [])
    .option('--size <spec>', 'position size: contracts, % of equity or all (default)')
    .option('--fee-taker <rate>', 'taker fee rate (default 0.0005)').option('--fee-maker <rate>', 'maker fee rate (default 0.0002)')
    .option('--report <file>', 'also write an HTML report (heat map, top 5 equity curves, all results) to FILE.html')
    .option('--periods-per-year <days>', 'days a year for annualising (default: by instrument type, 365 or 252)')
    .option('--min-trades <n>', 'rank only combinations with at least N closed trades (default 5; 0 ranks all)')
    .option('--train <pct>', 'rank on the first PCT of the range and test the best on the rest, e.g. 70%')
    .option('--walk-forward <n>', 'roll the train/test split over N windows (with --window; train share from --train, default 70%)')
    .option('--window <duration>', 'length of each walk-forward window, e.g. 90d')
    .addHelpText('after', examples('tunicoin optimize ema_crossover --grid fast=5:20:5 --grid slow=20:60:10', 'tunicoin optimize ema_crossover --grid fast=5:20:5 --grid slow=20:60:10 --report sweep.html', 'tunicoin optimize rsi_reversion --grid period=7:21:7 --grid oversold=20,25,30 --metric calmar --workers 2 --json',
      'tunicoin optimize ema_crossover --grid fast=5:20:5 --grid slow=20:60:10 --train 70% --min-trades 3', 'tunicoin optimize ema_crossover --grid fast=5:15:5 --walk-forward 3 --window 1d --timeframe 15m', 'tunicoin optimize show 0193ab12'))
    .action(action(async (ctx, cmd) => (await import('./commands/backtest.ts')).optimize(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
  optimizeCmd.command('show').description('a stored sweep: its ranking, windows and out-of-sample results').argument('<id>', 'sweep id or prefix')
    .option('--top <n>', 'rows to show (default 10)')
    .addHelpText('after', examples('tunicoin optimize show 0193ab12', 'tunicoin optimize show 0193ab12 --json'))
    .action(action(async (ctx, cmd) => (await import('./commands/research.ts')).optimizeShow(ctx, cmd.args[0] as string, cmd.opts())));
  const bts = program.command('backtests').description('past backtests, newest first').option('--limit <n>', 'at most N (default 20)')
    .addHelpText('after', examples('tunicoin backtests', 'tunicoin backtests show 0193ab12'))
    .action(action(async (ctx, cmd) => (await import('./commands/backtest.ts')).listBacktests(ctx, cmd.optsWithGlobals())));
  bts.command('show').description('one backtest with its parameters and metrics').argument('<id>')
    .option('--monthly', 'the return of each calendar month, a row per year')
    .addHelpText('after', examples('tunicoin backtests show 0193ab12 --json', 'tunicoin backtests show 0193ab12 --monthly'))
    .action(action(async (ctx, cmd) => (await import('./commands/backtest.ts')).showBacktest(ctx, cmd.args[0] as string, cmd.opts())));
}

function registerReports(program: Command): void {
  const report = program.command('report').description('self-contained HTML reports (charts, trades, metrics) that open offline in a browser')
    .addHelpText('after', examples('tunicoin report backtest 3f2a9c1e', 'tunicoin report backtest 3f2a -o reports/macd.html --open', 'tunicoin report bot trend',
      'tunicoin report account', 'tunicoin report compare 3f2a 9c1e 77ab'));
  const out = (c: Command): Command => c.option('-o, --output <file>', 'the HTML file to write (default: a name in the current folder)')
    .option('--open', 'open it in the default browser');
  const run = (fn: (m: typeof import('./commands/report.ts'), ctx: Context, cmd: Command, yes: boolean) => Promise<void>) =>
    action(async (ctx, cmd) => fn(await import('./commands/report.ts'), ctx, cmd, (cmd.optsWithGlobals() as GlobalOptions).yes === true));
  out(report.command('backtest').description('candles with trade markers, indicators, equity vs buy & hold, drawdown, metrics and trades of a backtest').argument('<id>', 'backtest id or prefix'))
    .addHelpText('after', examples('tunicoin report backtest 3f2a9c1e', 'tunicoin report backtest 3f2a -o macd.html --yes'))
    .action(run((m, ctx, cmd, yes) => m.reportBacktest(ctx, cmd.args[0] as string, cmd.opts(), yes)));
  out(report.command('bot').description('a bot\'s fills on the candles, its decision log, the equity and drawdown of its account').argument('<bot>', 'name or id prefix'))
    .addHelpText('after', examples('tunicoin report bot trend', 'tunicoin report bot trend -o trend.html --open'))
    .action(run((m, ctx, cmd, yes) => m.reportBot(ctx, cmd.args[0] as string, cmd.opts(), yes)));
  out(report.command('account').description('equity, balance and margin over time, open positions and recent orders of an account').argument('[name]', 'account name or id prefix (default: the default account)'))
    .addHelpText('after', examples('tunicoin report account', 'tunicoin report account Swing -o swing.html'))
    .action(run((m, ctx, cmd, yes) => m.reportAccount(ctx, cmd.args[0] as string | undefined, cmd.opts(), yes)));
  out(report.command('compare').description('equity curves and metrics of several backtests side by side').argument('<ids...>', 'two or more backtest ids or prefixes'))
    .addHelpText('after', examples('tunicoin report compare 3f2a 9c1e', 'tunicoin report compare 3f2a 9c1e 77ab -o top3.html'))
    .action(run((m, ctx, cmd, yes) => m.reportCompare(ctx, cmd.args as string[], cmd.opts(), yes)));
}

/** Ctrl-C: long jobs register a handler to stop cleanly; without one, exit 130 at once. */
let interruptHandler: (() => void) | null = null;
function onInterrupt(fn: () => void): void { interruptHandler = fn; }

const timeframeChoice = (def: string) => new Option('--timeframe <tf>', 'candle timeframe').choices(['1m', '5m', '15m', '1h', '4h', '1d']).default(def);

function registerTrading(program: Command): void {
  const accountOpt = () => new Option('--account <name>', 'account name or id prefix (default: `account use`, or the only one)');
  const order = program.command('order').description('place, show and cancel orders')
    .addHelpText('after', examples('tunicoin order buy BTC-USD 0.1', 'tunicoin order sell ETH-USD 2 --type limit --price 3100', 'tunicoin order show 3f2a9c1e', 'tunicoin order cancel 3f2a9c1e'));
  for (const side of ['buy', 'sell'] as const) {
    order.command(side).description(`${side} SIZE contracts of SYMBOL (market orders fill now at the quote)`).argument('[symbol]').argument('[size]')
      .addOption(new Option('--type <type>', 'order type').choices(['market', 'limit', 'stop', 'stop-limit', 'stop_limit']))
      .option('--price <p>', 'limit price (limit, stop-limit)').option('--stop <p>', 'trigger price (stop, stop-limit)')
      .option('--leverage <n>', 'leverage, up to the account maximum (default: the open position\'s, else 1); adding at another leverage re-margins the whole position').option('--sl <p>', 'stop-loss on the position').option('--tp <p>', 'take-profit on the position')
      .option('--trail <d>', 'trailing stop-loss on the position, a distance (500) or a percentage (2%); with --type stop and no --stop, the order itself trails')
      .addOption(accountOpt())
      .addHelpText('after', examples(`tunicoin order ${side} BTC-USD 0.1`, `tunicoin order ${side} BTC-USD 0.5 --leverage 5 --sl ${side === 'buy' ? '40000' : '60000'} --tp ${side === 'buy' ? '60000' : '40000'}`,
        `tunicoin order ${side} ETH-USD 1 --trail 2%`, `tunicoin order ${side === 'buy' ? 'sell' : 'buy'} ETH-USD 1 --type stop --trail 150`,
        `tunicoin order ${side} EURUSD 0.05 --type limit --price ${side === 'buy' ? '1.09500' : '1.10500'}`, `tunicoin order ${side} SPX-FUT 1 --leverage 5 --type stop-limit --stop 4510 --price 4512 --json`))
      .action(action(async (ctx, cmd) => (await import('./commands/order.ts')).placeOrder(ctx, side, cmd.args[0], cmd.args[1], cmd.optsWithGlobals())));
  }
  order.command('show').description('one order, by id or unique id prefix').argument('<id>')
    .addHelpText('after', examples('tunicoin order show 3f2a9c1e --json'))
    .action(action(async (ctx, cmd) => (await import('./commands/order.ts')).showOrder(ctx, cmd.args[0] as string)));
  order.command('cancel').description('cancel a working order (a partly filled one keeps its filled part)').argument('<id>')
    .addHelpText('after', examples('tunicoin order cancel 3f2a9c1e'))
    .action(action(async (ctx, cmd) => (await import('./commands/order.ts')).cancelOrder(ctx, cmd.args[0] as string)));
  order.command('amend').description('change a working order\'s limit, stop or size (no fee; the history is kept, see `order show`)').argument('<id>')
    .option('--price <p>', 'new limit price').option('--stop <p>', 'new stop price').option('--size <n>', 'new total size (not below what has filled)')
    .addHelpText('after', examples('tunicoin order amend 3f2a9c1e --price 3050', 'tunicoin order amend 3f2a9c1e --size 1.5 --json'))
    .action(action(async (ctx, cmd) => (await import('./commands/order.ts')).amendOrderCmd(ctx, cmd.args[0] as string, cmd.opts())));
  order.action(action(async (ctx) => (await import('./commands/order.ts')).placeOrder(ctx, undefined, undefined, undefined, {})));

  program.command('orders').description('orders of the account, newest first')
    .addOption(new Option('--status <s>', 'open (pending) or all').choices(['open', 'all']).default('open'))
    .option('--limit <n>', 'at most N orders (default 100)').addOption(accountOpt())
    .addHelpText('after', examples('tunicoin orders', 'tunicoin orders --status all --json'))
    .action(action(async (ctx, cmd) => (await import('./commands/order.ts')).listOrdersCmd(ctx, cmd.optsWithGlobals())));

  program.command('positions').description('open positions, marked at the clock').addOption(accountOpt())
    .addHelpText('after', examples('tunicoin positions', 'tunicoin positions --json'))
    .action(action(async (ctx, cmd) => (await import('./commands/account.ts')).listPositions(ctx, cmd.optsWithGlobals())));
  const position = program.command('position').description('change an open position')
    .addHelpText('after', examples('tunicoin position set ETH-USD --sl 2500 --tp none'));
  position.command('set').description('set or remove the stop-loss, take-profit or trailing stop of an open position').argument('<symbol>')
    .option('--sl <p>', 'stop-loss price, or none').option('--tp <p>', 'take-profit price, or none')
    .option('--trail <d>', 'trailing stop-loss: a distance (150) or a percentage (2%), or none to stop it moving').addOption(accountOpt())
    .addHelpText('after', examples('tunicoin position set ETH-USD --sl 2500 --tp none', 'tunicoin position set ETH-USD --trail 2%'))
    .action(action(async (ctx, cmd) => (await import('./commands/position.ts')).positionSet(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
  program.command('close').description('close a position at market (all of it, or --size)').argument('<symbol>')
    .option('--size <n>', 'close only part of it').addOption(accountOpt())
    .addHelpText('after', examples('tunicoin close BTC-USD', 'tunicoin close ETH-USD --size 0.5'))
    .action(action(async (ctx, cmd) => (await import('./commands/account.ts')).closePosition(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));

  const account = program.command('account').description('balance, equity, margin and positions of an account').addOption(accountOpt())
    .addHelpText('after', examples('tunicoin account', 'tunicoin account --json', 'tunicoin account list', 'tunicoin account create Swing --balance 5000 --max-leverage 5'))
    .action(action(async (ctx, cmd) => (await import('./commands/account.ts')).showAccount(ctx, cmd.optsWithGlobals())));
  account.command('list').description('all trading accounts (* = default)').addHelpText('after', examples('tunicoin account list --json'))
    .action(action(async (ctx) => (await import('./commands/account.ts')).listAccounts(ctx)));
  account.command('create').description('a new paper account funded by a deposit').argument('<name>')
    .option('--balance <n>', 'initial deposit (default 10000)').option('--max-leverage <n>', 'maximum leverage (default 10)')
    .option('--max-daily-loss <n>', 'block new risk once the day\'s loss reaches this').option('--maker-fee <rate>', 'maker fee rate (default 0.0002 = 0.02%)')
    .option('--taker-fee <rate>', 'taker fee rate (default 0.0005 = 0.05%)')
    .addHelpText('after', examples('tunicoin account create Swing --balance 5000 --max-leverage 5 --max-daily-loss 250'))
    .action(action(async (ctx, cmd) => (await import('./commands/account.ts')).createAccount(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
  for (const [verb, kind] of [['deposit', 'deposit'], ['withdraw', 'withdrawal']] as const) {
    account.command(verb).description(`${verb} cash (a ledger journal against external cash)`).argument('<amount>').addOption(accountOpt())
      .addHelpText('after', examples(`tunicoin account ${verb} 2500`, `tunicoin account ${verb} 100.50 --account Swing`))
      .action(action(async (ctx, cmd) => (await import('./commands/account.ts')).moveCash(ctx, kind, cmd.args[0] as string, cmd.optsWithGlobals())));
  }
  account.command('use').description('set the default account for later commands').argument('<name>')
    .addHelpText('after', examples('tunicoin account use Swing'))
    .action(action(async (ctx, cmd) => (await import('./commands/account.ts')).useAccount(ctx, cmd.args[0] as string)));

  const ledger = program.command('ledger').description('the account\'s ledger postings (double-entry)')
    .option('--type <t>', 'only deposit, withdrawal, trade_pnl, commission, funding, liquidation or adjustment')
    .option('--limit <n>', 'the latest N postings (default 50)')
    .addOption(new Option('--format <fmt>', 'output format').choices(['table', 'json', 'csv'])).addOption(accountOpt())
    .addHelpText('after', examples('tunicoin ledger', 'tunicoin ledger --type commission --format csv', 'tunicoin ledger verify'))
    .action(action(async (ctx, cmd) => (await import('./commands/ledger.ts')).listLedger(ctx, cmd.optsWithGlobals())));
  ledger.command('verify').description('check every ledger and margin invariant; exit 7 on any break')
    .addHelpText('after', examples('tunicoin ledger verify', 'tunicoin ledger verify --json'))
    .action(action(async (ctx) => (await import('./commands/ledger.ts')).verify(ctx)));

  const clock = program.command('clock').description('the simulation clock').addHelpText('after', examples('tunicoin clock', 'tunicoin clock --json', 'tunicoin clock set 2015-01-02T23:59'))
    .action(action(async (ctx) => (await import('./commands/clock.ts')).showClock(ctx)));
  clock.command('set').description('market replay: put the clock at a time of imported history (only imported instruments, nothing happened after it)')
    .argument('<iso>', 'e.g. 2015-01-02T23:59 (a daily candle\'s close is known at 23:59)')
    .addHelpText('after', examples('tunicoin clock set 2015-01-02T23:59', 'tunicoin clock set 2020-02-03 --json'))
    .action(action(async (ctx, cmd) => (await import('./commands/clock.ts')).setClockCmd(ctx, cmd.args[0] as string)));
  const market = program.command('market').description('move the simulated market')
    .addHelpText('after', examples('tunicoin market advance 4h'));
  program.command('watch').description('live trading screen: the market moves at the speed you choose; trade it with keys').argument('[symbols...]', 'symbols to watch (default: all)')
    .option('--speed <n>', 'simulated seconds per wall second (60 = a minute per second; 0 = paused, n steps)', '60')
    .addOption(timeframeChoice('1m')).addOption(accountOpt())
    .addHelpText('after', `${examples('tunicoin watch', 'tunicoin watch BTC-USD ETH-USD --speed 3600 --timeframe 1h', 'tunicoin watch EURUSD --speed 0 --account Swing')}
Keys: b/s order form, c close, x cancel, tab symbol, space pause, +/- speed, n step, ? help, q quit.
Needs a terminal; from a script use \`tunicoin market advance DURATION --json\`.
`)
    .action(action(async (ctx, cmd) => (await import('./commands/watch.ts')).watch(ctx, cmd.args as string[], cmd.optsWithGlobals(), onInterrupt)));
  market.command('advance').description('advance the clock: replay candles (or extend the synthetic market), fill orders, SL/TP, funding, liquidations')
    .argument('<duration>', 'e.g. 15m, 4h, 2d, 1w, 1d12h')
    .option('--extend <how>', 'past the end of imported history: "synthetic" continues it with the generator (default: the clock stops there)')
    .option('--strategy-timeout <s>', 'time limit per candle of a strategy file, seconds (default 1)')
    .addHelpText('after', examples('tunicoin market advance 15m', 'tunicoin market advance 2d --json', 'tunicoin market advance 30d --extend synthetic', 'tunicoin market advance 1d --strategy-timeout 5'))
    .action(action(async (ctx, cmd) => (await import('./commands/clock.ts')).advance(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
}

/** Parse and run one command line; returns the exit code (never exits). */
async function run(argv: string[], from: 'node' | 'user'): Promise<number> {
  const program = buildProgram();
  const output = { writeErr: (s: string) => io.err.write(s), writeOut: (s: string) => io.out.write(s) };
  // Every subcommand too: commander copies settings only when a command is created.
  const override = (c: Command): void => { c.exitOverride(); c.configureOutput(output); c.commands.forEach(override); };
  override(program);
  io.exitCode = 0;
  try {
    await program.parseAsync(argv, { from });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT.usage;
    throw e;
  }
  return io.exitCode;
}

/**
 * Run a command line in this process with injected streams and environment (tests, the
 * bad-input suite): the same parsing, handlers and error mapping as the binary.
 */
export async function runInProcess(args: string[], streams: { out: Io['out']; err: Io['err']; env: NodeJS.ProcessEnv }): Promise<number> {
  const saved = io;
  io = { ...streams, exitCode: 0 };
  try {
    return await run(args, 'user');
  } finally {
    io = saved;
    interruptHandler = null;
  }
}

export async function main(argv: string[]): Promise<void> {
  // `tunicoin ... | head`: a closed pipe is the reader saying "enough", not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
  // Ctrl-C and SIGTERM (kill, a CI timeout, a container stop) end a command the same clean way.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      process.stderr.write(`\ninterrupted${signal === 'SIGTERM' ? ' (SIGTERM)' : ''}\n`);
      if (interruptHandler) { const h = interruptHandler; interruptHandler = null; h(); io.exitCode = EXIT.interrupted; process.exitCode = EXIT.interrupted; return; }
      process.exit(EXIT.interrupted);
    });
  }
  process.exitCode = await run(argv, 'node');
}

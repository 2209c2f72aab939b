/**
 * The CLI edge: the only file that imports commander, maps errors to exit codes and calls
 * process.exit. Command modules are imported lazily so start-up stays close to `node -e 0`.
 *
 * Exit codes: 0 ok · 1 internal error · 2 usage · 3 not found · 4 conflict · 5 order rejected ·
 * 6 database unusable · 7 integrity check failed · 130 interrupted.
 */
import { Command, CommanderError, Option } from 'commander';
import { TunicoinError, type ErrorKind } from '../core/errors.ts';
import { createContext, type Context, type GlobalOptions } from './context.ts';
import { DecimalParseError, FixedPointOverflowError } from '../core/money.ts';

declare const __TUNICOIN_VERSION__: string;
const VERSION = typeof __TUNICOIN_VERSION__ === 'string' ? __TUNICOIN_VERSION__ : '0.0.0-dev';

export const EXIT: Readonly<Record<ErrorKind | 'ok' | 'internal', number>> = {
  ok: 0, internal: 1, usage: 2, 'not-found': 3, conflict: 4, rejected: 5, database: 6, integrity: 7, interrupted: 130,
};

type Handler = (ctx: Context, cmd: Command) => Promise<void>;

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/** Run a handler with a fresh context; map failures to one line on stderr and an exit code. */
function action(handler: Handler) {
  return async (...args: unknown[]): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    const options = cmd.optsWithGlobals() as GlobalOptions;
    const ctx = createContext({ out: process.stdout, err: process.stderr, env: process.env, options });
    try {
      await handler(ctx, cmd);
    } catch (e) {
      process.exitCode = reportError(ctx, e);
    } finally {
      ctx.close();
    }
  };
}

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
  if (err?.code === 'SQLITE_BUSY') {
    ctx.note('error: the database stayed locked by another tunicoin process; try again');
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
  instruments.command('set').description('trading settings of an instrument').argument('<symbol>')
    .option('--max-participation <share>', 'largest share of a 1m candle\'s volume one fill may take (0.1 = 10%; 0 = no cap, the default); the rest of the order keeps working as `partial`')
    .addHelpText('after', examples('tunicoin instruments set ETH-USD --max-participation 0.1', 'tunicoin instruments set ETH-USD --max-participation 0'))
    .action(action(async (ctx, cmd) => (await import('./commands/instrument-set.ts')).instrumentSet(ctx, cmd.args[0] as string, cmd.opts())));
  const imp = program.command('import').description('bring real market data in')
    .addHelpText('after', examples('tunicoin import candles fixtures/sp500-daily-2015-2020.csv --symbol SPX500 --timeframe 1d'));
  imp.command('candles').description('import OHLCV candles from CSV (header-detected generic layout or Binance kline dumps)').argument('<file>')
    .option('--symbol <sym>', 'instrument to import into (see `instruments add`)')
    .addOption(new Option('--timeframe <tf>', 'timeframe of the rows').choices(['1m', '1h', '1d']).default('1m'))
    .option('--skip-invalid', 'import the valid rows and report the others (default: all or nothing)')
    .addHelpText('after', examples('tunicoin import candles fixtures/sp500-daily-2015-2020.csv --symbol SPX500 --timeframe 1d', 'tunicoin import candles fixtures/binance-klines-sample.csv --symbol BTC-USD --timeframe 1m --skip-invalid'))
    .action(action(async (ctx, cmd) => (await import('./commands/data.ts')).importCandlesCmd(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));

  const timeframeOption = (def: string) => new Option('--timeframe <tf>', 'candle timeframe').choices(['1m', '5m', '15m', '1h', '4h', '1d']).default(def);
  program.command('candles').description('OHLCV candles up to the simulation clock').argument('<symbol>')
    .addOption(timeframeOption('1m'))
    .option('--from <iso>', 'first bucket (ISO-8601)').option('--to <iso>', 'last time (default: the clock)')
    .option('--limit <n>', 'at most N candles, the latest (default 50)')
    .addOption(new Option('--format <fmt>', 'output format').choices(['table', 'json', 'csv']))
    .addHelpText('after', examples('tunicoin candles BTC-USD', 'tunicoin candles BTC-USD --timeframe 1h --limit 24', 'tunicoin candles EURUSD --timeframe 1d --format csv > eurusd.csv'))
    .action(action(async (ctx, cmd) => (await import('./commands/market.ts')).candles(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
  program.command('quote').description('bid, ask and mid at the simulation clock, with the 24h change').argument('<symbol>')
    .addHelpText('after', examples('tunicoin quote BTC-USD', 'tunicoin quote EURUSD --json'))
    .action(action(async (ctx, cmd) => (await import('./commands/market.ts')).quote(ctx, cmd.args[0] as string)));
  program.command('chart').description('terminal chart of closes').argument('<symbol>')
    .addOption(timeframeOption('1h'))
    .option('--last <n>', 'number of candles (default 72)')
    .option('--height <n>', 'chart height in rows (default 15)')
    .addHelpText('after', examples('tunicoin chart BTC-USD', 'tunicoin chart SPX-FUT --timeframe 15m --last 96 --height 20'))
    .action(action(async (ctx, cmd) => (await import('./commands/market.ts')).chart(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));

  registerTrading(program);
  registerResearch(program);
  registerBots(program);
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

function registerResearch(program: Command): void {
  program.command('indicators').description('indicator values over the latest candles').argument('<symbol>')
    .addOption(new Option('--timeframe <tf>', 'candle timeframe').choices(['1m', '5m', '15m', '1h', '4h', '1d']).default('1h'))
    .option('--ind <spec>', 'sma:N ema:N rsi:N macd:F:S:G bb:N:K atr:N, repeatable (default ema:12 ema:26 rsi:14)', collect, [])
    .option('--last <n>', 'rows to show (default 20)')
    .addOption(new Option('--format <fmt>', 'output format').choices(['table', 'json', 'csv']))
    .addHelpText('after', examples('tunicoin indicators BTC-USD', 'tunicoin indicators ETH-USD --timeframe 15m --ind ema:10 --ind rsi:14 --ind bb:20:2 --last 10', 'tunicoin indicators EURUSD --ind macd --format csv'))
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
    .option('--trades <file>', 'write the trade log to FILE.csv or FILE.json')
    .option('--periods-per-year <days>', 'days a year for annualising (default: 365 for crypto and forex, 252 for stocks, futures and CFDs)')
    .addHelpText('after', examples('tunicoin backtest ema_crossover', 'tunicoin backtest ema_crossover --param fast=10 --param slow=30 --param mode=long_short --size 50%',
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
    .option('--periods-per-year <days>', 'days a year for annualising (default: by instrument type, 365 or 252)')
    .option('--min-trades <n>', 'rank only combinations with at least N closed trades (default 5; 0 ranks all)')
    .option('--train <pct>', 'rank on the first PCT of the range and test the best on the rest, e.g. 70%')
    .option('--walk-forward <n>', 'roll the train/test split over N windows (with --window; train share from --train, default 70%)')
    .option('--window <duration>', 'length of each walk-forward window, e.g. 90d')
    .addHelpText('after', examples('tunicoin optimize ema_crossover --grid fast=5:20:5 --grid slow=20:60:10', 'tunicoin optimize rsi_reversion --grid period=7:21:7 --grid oversold=20,25,30 --metric calmar --workers 2 --json',
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

/** Ctrl-C: long jobs register a handler to stop cleanly; without one, exit 130 at once. */
let interruptHandler: (() => void) | null = null;
function onInterrupt(fn: () => void): void { interruptHandler = fn; }

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

  program.command('clock').description('the simulation clock').addHelpText('after', examples('tunicoin clock', 'tunicoin clock --json'))
    .action(action(async (ctx) => (await import('./commands/clock.ts')).showClock(ctx)));
  const market = program.command('market').description('move the simulated market')
    .addHelpText('after', examples('tunicoin market advance 4h'));
  market.command('advance').description('advance the clock: replay candles (or extend the synthetic market), fill orders, SL/TP, funding, liquidations')
    .argument('<duration>', 'e.g. 15m, 4h, 2d, 1w, 1d12h')
    .addHelpText('after', examples('tunicoin market advance 15m', 'tunicoin market advance 2d --json'))
    .action(action(async (ctx, cmd) => (await import('./commands/clock.ts')).advance(ctx, cmd.args[0] as string)));
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  const override = (c: Command): void => { c.exitOverride(); c.commands.forEach(override); };
  override(program);
  // `tunicoin ... | head`: a closed pipe is the reader saying "enough", not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
  process.on('SIGINT', () => {
    process.stderr.write('\ninterrupted\n');
    if (interruptHandler) { const h = interruptHandler; interruptHandler = null; h(); process.exitCode = EXIT.interrupted; return; }
    process.exit(EXIT.interrupted);
  });
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : EXIT.usage;
    } else {
      throw e;
    }
  }
}

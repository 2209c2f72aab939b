/**
 * The `strategies`, `backtest(s)` and `optimize` commands of the CLI: their options, help texts with examples, and the lazy import
 * of their handlers (src/cli/commands/). Registered by main.ts, which owns the program.
 */
import { Option, type Command } from 'commander';
import type { ProgramKit } from './kit.ts';

export function register(program: Command, { action, examples, collect, onInterrupt, TIMEFRAME_CHOICES }: ProgramKit): void {
  program
    .command('indicators')
    .description('indicator values over the latest candles (computed over all the history they need)')
    .argument('<symbol>')
    .addOption(new Option('--timeframe <tf>', 'candle timeframe').choices(TIMEFRAME_CHOICES).default('1h'))
    .option('--ind <spec>', 'sma:N ema:N rsi:N macd:F:S:G bb:N:K atr:N, repeatable (default ema:12 ema:26 rsi:14)', collect, [])
    .option('--last <n>', 'rows to show (default 20)')
    .option('--from <iso>', 'first row shown')
    .option('--to <iso>', 'last time (default: the clock)')
    .addOption(new Option('--format <fmt>', 'output format').choices(['table', 'json', 'csv']))
    .addHelpText(
      'after',
      examples(
        'tunicoin indicators BTC-USD',
        'tunicoin indicators ETH-USD --timeframe 15m --ind ema:10 --ind rsi:14 --ind bb:20:2 --last 10',
        'tunicoin indicators EURUSD --ind macd --format csv',
        'tunicoin indicators SPX500 --timeframe 1d --ind sma:200 --from 2020-02-01 --to 2020-03-31',
      ),
    )
    .action(
      action(async (ctx, cmd) => (await import('../commands/indicators.ts')).indicators(ctx, cmd.args[0] as string, cmd.optsWithGlobals())),
    );
  program
    .command('strategies')
    .description('built-in strategies and their parameters')
    .addHelpText('after', examples('tunicoin strategies', 'tunicoin strategies --json'))
    .action(action(async (ctx) => (await import('../commands/backtest.ts')).listStrategies(ctx)));
  program
    .command('backtest')
    .description('run a strategy over stored candles on the paper engine (no look-ahead)')
    .argument('<strategy>', 'a built-in id or a .js/.ts file')
    .option('--symbol <sym>', 'instrument (default BTC-USD)')
    .addOption(new Option('--timeframe <tf>', 'strategy timeframe').choices(['1m', '5m', '15m', '1h', '4h', '1d']).default('1h'))
    .option('--from <iso>', 'first candle')
    .option('--to <iso>', 'last candle (default: the clock)')
    .option('--capital <n>', 'starting capital (default 10000)')
    .option('--leverage <n>', 'leverage (default 1)')
    .option('--param <k=v>', 'strategy parameter, repeatable', collect, [])
    .option('--size <spec>', 'position size: contracts (0.5), % of equity (50%) or all (default)')
    .option('--fee-taker <rate>', 'taker fee rate (default 0.0005)')
    .option('--fee-maker <rate>', 'maker fee rate (default 0.0002)')
    .option('--trades <file>', 'write the trade log to FILE.csv or FILE.json (an existing file: asked, or --yes)')
    .option('--report <file>', 'also write an HTML report (charts, trades, metrics) to FILE.html')
    .option('--strategy-timeout <s>', 'time limit per candle of a strategy file, seconds (default 1)')
    .option(
      '--periods-per-year <days>',
      'days a year for annualising (default: 365 for crypto and forex, 252 for stocks, futures and CFDs)',
    )
    .option('--queue', 'run it on a worker (`tunicoin worker`; PostgreSQL --db only) and follow it')
    .option('--detach', 'with --queue: print the job id and return without waiting')
    .addHelpText(
      'after',
      examples(
        'tunicoin backtest ema_crossover',
        'tunicoin backtest macd --report macd.html',
        'tunicoin backtest ema_crossover --param fast=10 --param slow=30 --param mode=long_short --size 50%',
        'tunicoin backtest rsi_reversion --symbol ETH-USD --timeframe 15m --from 2026-01-01 --trades trades.csv',
        'tunicoin backtest ./fixtures/example-strategy.js --json',
      ),
    )
    .action(
      action(async (ctx, cmd) =>
        (await import('../commands/backtest.ts')).backtest(ctx, cmd.args[0] as string, cmd.optsWithGlobals(), onInterrupt),
      ),
    );
  const optimizeCmd = program
    .command('optimize')
    .description('sweep a parameter grid of backtests on worker threads and rank the results')
    .argument('<strategy>', 'a built-in id or a .js/.ts file')
    .option('--grid <name=start:end:step>', 'a parameter range (end included) or a list NAME=A,B; repeatable', collect, [])
    .option(
      '--metric <m>',
      'rank by: sharpe (default), sortino, calmar, returnPct, cagrPct, profitFactor, maxDrawdownPct, winRatePct, sqn, expectancy',
    )
    .option('--workers <n>', 'worker threads (default: the number of CPUs)')
    .option('--top <n>', 'rows to show (default 10)')
    .option('--symbol <sym>', 'instrument (default BTC-USD)')
    .addOption(new Option('--timeframe <tf>', 'strategy timeframe').choices(['1m', '5m', '15m', '1h', '4h', '1d']).default('1h'))
    .option('--from <iso>', 'first candle')
    .option('--to <iso>', 'last candle (default: the clock)')
    .option('--capital <n>', 'starting capital (default 10000)')
    .option('--leverage <n>', 'leverage (default 1)')
    .option('--param <k=v>', 'fixed strategy parameter, repeatable', collect, [])
    .option('--size <spec>', 'position size: contracts, % of equity or all (default)')
    .option('--fee-taker <rate>', 'taker fee rate (default 0.0005)')
    .option('--fee-maker <rate>', 'maker fee rate (default 0.0002)')
    .option('--report <file>', 'also write an HTML report (heat map, top 5 equity curves, all results) to FILE.html')
    .option('--periods-per-year <days>', 'days a year for annualising (default: by instrument type, 365 or 252)')
    .option('--min-trades <n>', 'rank only combinations with at least N closed trades (default 5; 0 ranks all)')
    .option('--train <pct>', 'rank on the first PCT of the range and test the best on the rest, e.g. 70%')
    .option('--walk-forward <n>', 'roll the train/test split over N windows (with --window; train share from --train, default 70%)')
    .option('--window <duration>', 'length of each walk-forward window, e.g. 90d')
    .option('--queue', 'run the sweep on a worker (`tunicoin worker`; PostgreSQL --db only) and follow it')
    .option('--detach', 'with --queue: print the job id and return without waiting')
    .addHelpText(
      'after',
      examples(
        'tunicoin optimize ema_crossover --grid fast=5:20:5 --grid slow=20:60:10',
        'tunicoin optimize ema_crossover --grid fast=5:20:5 --grid slow=20:60:10 --report sweep.html',
        'tunicoin optimize rsi_reversion --grid period=7:21:7 --grid oversold=20,25,30 --metric calmar --workers 2 --json',
        'tunicoin optimize ema_crossover --grid fast=5:20:5 --grid slow=20:60:10 --train 70% --min-trades 3',
        'tunicoin optimize ema_crossover --grid fast=5:15:5 --walk-forward 3 --window 1d --timeframe 15m',
        'tunicoin optimize show 0193ab12',
      ),
    )
    .action(
      action(async (ctx, cmd) =>
        (await import('../commands/optimize.ts')).optimize(ctx, cmd.args[0] as string, cmd.optsWithGlobals(), onInterrupt),
      ),
    );
  program
    .command('worker')
    .description('take backtest and sweep jobs (--queue) from the queue of a PostgreSQL database and run them')
    .option('--max-jobs <n>', 'stop after N jobs (done or failed); default: until stopped')
    .option('--once', 'stop after one job (--max-jobs 1)')
    .option('--lease <seconds>', 'how long a silent worker keeps its job before another may take it (default 30)')
    // not an "Examples:" block (those run on the SQLite demo database in the tests): a server is needed
    .addHelpText(
      'after',
      [
        '',
        'With a PostgreSQL database, on any machine that reaches it:',
        '  tunicoin --db postgres://me@db.lan/tunicoin worker',
        '  TUNICOIN_DB=postgres://me@db.lan/tunicoin tunicoin worker --max-jobs 10 --lease 60',
        'then, from anywhere:',
        '  tunicoin --db postgres://me@db.lan/tunicoin backtest macd --queue',
        '  tunicoin --db postgres://me@db.lan/tunicoin optimize macd --grid fast=8:16:4 --queue --detach',
        '',
      ].join('\n'),
    )
    .action(action(async (ctx, cmd) => (await import('../commands/worker.ts')).worker(ctx, cmd.optsWithGlobals(), onInterrupt)));
  optimizeCmd
    .command('show')
    .description('a stored sweep: its ranking, windows and out-of-sample results')
    .argument('<id>', 'sweep id or prefix')
    .option('--top <n>', 'rows to show (default 10)')
    .addHelpText('after', examples('tunicoin optimize show 0193ab12', 'tunicoin optimize show 0193ab12 --json'))
    .action(action(async (ctx, cmd) => (await import('../commands/research.ts')).optimizeShow(ctx, cmd.args[0] as string, cmd.opts())));
  const bts = program
    .command('backtests')
    .description('past backtests, newest first')
    .option('--limit <n>', 'at most N (default 20)')
    .addHelpText('after', examples('tunicoin backtests', 'tunicoin backtests show 0193ab12'))
    .action(action(async (ctx, cmd) => (await import('../commands/backtests.ts')).listBacktests(ctx, cmd.optsWithGlobals())));
  bts
    .command('show')
    .description('one backtest with its parameters and metrics')
    .argument('<id>')
    .option('--monthly', 'the return of each calendar month, a row per year')
    .addHelpText('after', examples('tunicoin backtests show 0193ab12 --json', 'tunicoin backtests show 0193ab12 --monthly'))
    .action(action(async (ctx, cmd) => (await import('../commands/backtests.ts')).showBacktest(ctx, cmd.args[0] as string, cmd.opts())));
}

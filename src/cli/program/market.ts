/**
 * The market-data commands of the CLI (db, seed, instruments, import, candles, quote, chart): their
 * options, help texts with examples, and the lazy import of their handlers. Registered by main.ts.
 */
import { Option, type Command } from 'commander';
import type { ProgramKit } from './kit.ts';

export function register(program: Command, { action, examples, onInterrupt, TIMEFRAME_CHOICES }: ProgramKit): void {
  const db = program
    .command('db')
    .description('where the database is and its migrations')
    .addHelpText('after', examples('tunicoin db path', 'tunicoin db status', 'tunicoin db rollback --all --yes'));
  db.command('path')
    .description('print the database path')
    .addHelpText('after', examples('tunicoin db path', 'TUNICOIN_DB=/tmp/t.db tunicoin db path --json'))
    .action(action(async (ctx) => (await import('../commands/db.ts')).dbPath(ctx)));
  db.command('status')
    .description('applied and pending migrations')
    .addHelpText('after', examples('tunicoin db status --json'))
    .action(action(async (ctx) => (await import('../commands/db.ts')).dbStatus(ctx)));
  db.command('migrate')
    .description('apply pending migrations (also done automatically on open)')
    .addHelpText('after', examples('tunicoin db migrate'))
    .action(action(async (ctx) => (await import('../commands/db.ts')).dbMigrate(ctx)));
  db.command('rollback')
    .description('revert the last migration, those after --to NAME, or --all (asks on a terminal; --yes without one)')
    .option('--to <name>', 'keep NAME applied and revert every later migration')
    .option('--all', 'revert every migration (drops all data)')
    .addHelpText(
      'after',
      examples('tunicoin db rollback --yes', 'tunicoin db rollback --to 001_initial_schema --yes', 'tunicoin db rollback --all --yes'),
    )
    .action(action(async (ctx, cmd) => (await import('../commands/db.ts')).dbRollback(ctx, cmd.optsWithGlobals())));
  db.command('create')
    .description('write a new migration file from the template')
    .argument('<name>', 'what the migration does, e.g. add_bot_notes')
    .option('--dir <dir>', "migrations directory (default: the package's migrations/)")
    .addHelpText('after', examples('tunicoin db create add_bot_notes'))
    .action(action(async (ctx, cmd) => (await import('../commands/db.ts')).dbCreate(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));

  program
    .command('seed')
    .description('create the demo user, account, instruments and 1m candle history')
    .option('--seed <n>', 'random seed for the synthetic market', '42')
    .option('--days <n>', 'days of 1m history per instrument', '30')
    .option('--end <iso>', 'time of the last candle (default: now, floored to the minute)')
    .option('--instruments <list>', 'comma-separated subset, e.g. BTC-USD,ETH-USD')
    .option('--reset', 'wipe every table and seed again (asks on a terminal; --yes without one)')
    .addHelpText(
      'after',
      examples(
        'tunicoin seed',
        'tunicoin seed --seed 7 --days 7 --end 2026-01-01T00:00:00Z',
        'tunicoin seed --reset --yes --instruments BTC-USD,EURUSD',
      ),
    )
    .action(action(async (ctx, cmd) => (await import('../commands/seed.ts')).seed(ctx, cmd.optsWithGlobals())));

  const instruments = program
    .command('instruments')
    .description('the tradeable instruments and their parameters')
    .addHelpText(
      'after',
      examples('tunicoin instruments', 'tunicoin instruments --json', 'tunicoin instruments add SPX500 --type cfd --tick 0.01'),
    )
    .action(action(async (ctx) => (await import('../commands/market.ts')).instruments(ctx)));
  instruments
    .command('add')
    .description('define a new instrument (e.g. to import real history into)')
    .argument('<symbol>')
    .addOption(new Option('--type <type>', 'instrument type (default stock)').choices(['stock', 'crypto', 'forex', 'futures', 'cfd']))
    .option('--name <name>', 'display name')
    .option('--tick <p>', 'tick size (default 0.01)')
    .option('--contract-size <n>', 'units per contract (default 1)')
    .option('--spread <rate>', 'base spread (default 0.0005 = 0.05%)')
    .option('--min-size <n>', 'minimum size and lot step (default 0.01)')
    .option('--max-size <n>', 'maximum size (default 1000000)')
    .option('--funding-rate <rate>', 'funding per 8 h (default 0)')
    .option('--slippage-factor <f>', 'slippage factor (default 0.01)')
    .option('--quote-currency <ccy>', 'quote currency (default USD)')
    .option('--base-currency <ccy>', 'base currency')
    .addHelpText(
      'after',
      examples(
        'tunicoin instruments add SPX500 --type cfd --name "S&P 500 index" --tick 0.01',
        'tunicoin instruments add SOL-USD --type crypto --tick 0.001 --min-size 0.01 --funding-rate 0.0001',
      ),
    )
    .action(
      action(async (ctx, cmd) => (await import('../commands/data.ts')).addInstrument(ctx, cmd.args[0] as string, cmd.optsWithGlobals())),
    );
  instruments
    .command('remove')
    .description(
      'delete an instrument and its candles (refused while orders, positions or bots use it; asks on a terminal, --yes without one)',
    )
    .argument('<symbol>')
    .option('--force', 'cancel its working orders and delete its bots first (open positions must be closed)')
    .addHelpText('after', examples('tunicoin instruments remove SPX500 --yes', 'tunicoin instruments remove BTC-USD --force --yes'))
    .action(
      action(async (ctx, cmd) =>
        (await import('../commands/data.ts')).removeInstrumentCmd(ctx, cmd.args[0] as string, cmd.optsWithGlobals()),
      ),
    );
  instruments
    .command('set')
    .description('trading settings of an instrument')
    .argument('<symbol>')
    .option(
      '--max-participation <share>',
      "largest share of a 1m candle's volume one fill may take (0.1 = 10%; 0 = no cap, the default); the rest of the order keeps working as `partial`",
    )
    .addHelpText(
      'after',
      examples('tunicoin instruments set ETH-USD --max-participation 0.1', 'tunicoin instruments set ETH-USD --max-participation 0'),
    )
    .action(
      action(async (ctx, cmd) => (await import('../commands/instrument-set.ts')).instrumentSet(ctx, cmd.args[0] as string, cmd.opts())),
    );
  const imp = program
    .command('import')
    .description('bring real market data in')
    .addHelpText('after', examples('tunicoin import candles fixtures/sp500-daily-2015-2020.csv --symbol SPX500 --timeframe 1d'));
  imp
    .command('candles')
    .description('import OHLCV candles from CSV or .csv.gz (header-detected, pandas, Yahoo, Binance kline dumps; , ; or tab)')
    .argument('<file>')
    .option('--symbol <sym>', 'instrument to import into (see `instruments add`)')
    .addOption(new Option('--timeframe <tf>', 'timeframe of the rows').choices(TIMEFRAME_CHOICES).default('1m'))
    .option('--skip-invalid', 'import the valid rows and report the others (default: all or nothing)')
    .option('--merge', 'add only timestamps not stored yet (into a synthetic instrument or over stored candles)')
    .option('--replace', "replace the stored candles in the file's range, in one transaction")
    .option('--adjusted', 'scale open/high/low/close by Adj Close / Close (Yahoo layout)')
    .addHelpText(
      'after',
      examples(
        'tunicoin import candles fixtures/sp500-daily-2015-2020.csv --symbol SPX500 --timeframe 1d',
        'tunicoin import candles fixtures/binance-klines-sample.csv --symbol BTC-USD --timeframe 1m --merge --skip-invalid',
      ),
    )
    .action(
      action(async (ctx, cmd) =>
        (await import('../commands/data.ts')).importCandlesCmd(ctx, cmd.args[0] as string, cmd.optsWithGlobals(), onInterrupt),
      ),
    );

  const timeframeOption = (def: string) => new Option('--timeframe <tf>', 'candle timeframe').choices(TIMEFRAME_CHOICES).default(def);
  const candles = program
    .command('candles')
    .description('OHLCV candles: the latest at or before the clock, however old')
    .argument('<symbol>')
    .addOption(timeframeOption('1m'))
    .option('--from <iso>', 'first bucket (ISO-8601)')
    .option('--to <iso>', 'last time (default: the clock)')
    .option('--limit <n>', 'at most N candles, the latest (default 50)')
    .addOption(new Option('--format <fmt>', 'output format').choices(['table', 'json', 'csv']))
    .addHelpText(
      'after',
      examples(
        'tunicoin candles BTC-USD',
        'tunicoin candles BTC-USD --timeframe 1h --limit 24',
        'tunicoin candles SPX500 --timeframe 1w --from 2020-01-01',
        'tunicoin candles EURUSD --timeframe 1d --format csv > eurusd.csv',
        'tunicoin candles delete SPX500 --from 2020-01-01 --yes',
      ),
    )
    .action(action(async (ctx, cmd) => (await import('../commands/market.ts')).candles(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
  candles
    .command('delete')
    .description('delete stored candles of an instrument (all, or --from/--to; asks on a terminal, --yes without one)')
    .argument('<symbol>')
    .option('--from <iso>', 'first candle to delete')
    .option('--to <iso>', 'last candle to delete')
    .addHelpText(
      'after',
      examples('tunicoin candles delete SPX500 --yes', 'tunicoin candles delete SPX500 --from 2020-03-01 --to 2020-03-31 --yes'),
    )
    .action(
      action(async (ctx, cmd) => (await import('../commands/data.ts')).deleteCandlesCmd(ctx, cmd.args[0] as string, cmd.optsWithGlobals())),
    );
  program
    .command('quote')
    .description('bid, ask and mid at the simulation clock, with the 24h change')
    .argument('<symbol>')
    .addHelpText('after', examples('tunicoin quote BTC-USD', 'tunicoin quote EURUSD --json'))
    .action(action(async (ctx, cmd) => (await import('../commands/market.ts')).quote(ctx, cmd.args[0] as string)));
  program
    .command('chart')
    .description('terminal chart of closes')
    .argument('<symbol>')
    .addOption(timeframeOption('1h'))
    .option('--last <n>', 'number of candles (default 72)')
    .option('--from <iso>', 'first bucket')
    .option('--to <iso>', 'last time (default: the clock)')
    .option('--height <n>', 'chart height in rows (default 15)')
    .option('--candles', 'candlesticks (Unicode blocks) instead of a line of closes')
    .addHelpText(
      'after',
      examples(
        'tunicoin chart BTC-USD',
        'tunicoin chart BTC-USD --candles --last 60',
        'tunicoin chart SPX-FUT --timeframe 15m --last 96 --height 20',
        'tunicoin chart SPX500 --timeframe 1w --from 2018-01-01 --to 2019-12-31',
      ),
    )
    .action(action(async (ctx, cmd) => (await import('../commands/market.ts')).chart(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
}

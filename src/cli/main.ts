/**
 * The CLI edge: builds the commander program (the command groups are registered from
 * program/*.ts, which import commander for its types and options only), maps errors to exit codes
 * and is the only file that calls process.exit. Command modules are imported lazily so start-up stays close to `node -e 0`.
 *
 * Exit codes: 0 ok · 1 internal error · 2 usage · 3 not found · 4 conflict · 5 order rejected ·
 * 6 database unusable · 7 integrity check failed · 8 log in first · 9 strategy failed · 130 interrupted.
 */
import { Command, CommanderError, Option } from 'commander';
import { TunicoinError, type ErrorKind } from '../core/errors.ts';
import { createContext, type Context, type GlobalOptions } from './context.ts';
import { commandPath, READ_ONLY_COMMANDS } from './read-only.ts';
import { DecimalParseError, FixedPointOverflowError } from '../core/money.ts';
import type { ProgramKit } from './program/kit.ts';
import { findUnknownCommand, nearest, rewriteHelp } from './command-path.ts';
import { register as registerBots } from './program/bots.ts';
import { register as registerReports } from './program/reports.ts';
import { register as registerResearch } from './program/research.ts';
import { register as registerTrading } from './program/trading.ts';
import { register as registerUsers } from './program/users.ts';

declare const __TUNICOIN_VERSION__: string;
const VERSION = typeof __TUNICOIN_VERSION__ === 'string' ? __TUNICOIN_VERSION__ : '0.0.0-dev';

export const EXIT: Readonly<Record<ErrorKind | 'ok' | 'internal', number>> = {
  ok: 0,
  internal: 1,
  usage: 2,
  'not-found': 3,
  conflict: 4,
  rejected: 5,
  database: 6,
  integrity: 7,
  auth: 8,
  strategy: 9,
  interrupted: 130,
};

/** Where one run of the CLI writes and reads: the process's streams (the binary) or injected ones (tests). */
export interface RunIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Default: an empty stream (the binary passes process.stdin). */
  readonly stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  /** Relative output paths resolve against this (default: process.cwd()). */
  readonly cwd?: string;
}

/** The state of one run: its streams, its exit code and what Ctrl-C stops. Nothing is shared between runs. */
interface Run {
  readonly io: RunIo;
  exitCode: number;
  interrupt: (() => void) | null;
}

type Handler = (ctx: Context, cmd: Command) => Promise<void>;

/** Timeframes for market-data commands (bots and backtests keep their own list). */
const TIMEFRAME_CHOICES = ['1m', '5m', '15m', '30m', '1h', '2h', '4h', '1d', '1w'];

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/** Run a handler with a fresh context; map failures to one line on stderr and an exit code. */
function actionFor(run: Run) {
  const { io } = run;
  return (handler: Handler) =>
    async (...args: unknown[]): Promise<void> => {
      const cmd = args[args.length - 1] as Command;
      const options = cmd.optsWithGlobals<GlobalOptions>();
      let ctx: Context | undefined;
      try {
        // stdin on first use only: the binary's process.stdin is created when read.
        ctx = createContext({
          out: io.stdout as never,
          err: io.stderr as never,
          get stdin() {
            return io.stdin as never;
          },
          env: io.env,
          cwd: io.cwd,
          options,
          readOnly: READ_ONLY_COMMANDS.has(commandPath(cmd)),
        });
        await handler(ctx, cmd);
      } catch (e) {
        run.exitCode = reportError(ctx ?? fallbackReporter(io, options), e);
      } finally {
        try {
          ctx?.close();
        } catch (e) {
          run.exitCode ||= reportError(fallbackReporter(io, options), e);
        }
      }
    };
}

/** Reports an error raised before the context exists (e.g. --db ""). */
function fallbackReporter(io: RunIo, options: GlobalOptions): Pick<Context, 'note' | 'verbose' | 'style'> {
  const plain = (s: string) => s;
  return {
    verbose: options.verbose === true,
    note: (t: string) => {
      io.stderr.write(t.endsWith('\n') ? t : `${t}\n`);
    },
    style: { chalk: { red: plain } } as unknown as Context['style'],
  };
}

const processIo = (): RunIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  get stdin() {
    return process.stdin;
  },
  env: process.env,
});

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
  ctx.note(
    `${ctx.style.chalk.red('internal error:')} ${err?.message ?? String(e)}${ctx.verbose ? '' : ' (run with --verbose for details)'}`,
  );
  if (ctx.verbose && err?.stack) ctx.note(err.stack);
  return EXIT.internal;
}

export function buildProgram(run: Run = { io: processIo(), exitCode: 0, interrupt: null }): Command {
  const action = actionFor(run);
  const onInterrupt = (fn: () => void): void => {
    run.interrupt = fn;
  };
  const program = new Command('tunicoin')
    .description('Paper trading and backtesting on one SQLite file.')
    .version(VERSION, '-V, --version')
    .option('--db <path>', 'database file (default: $TUNICOIN_DB, else $XDG_DATA_HOME/tunicoin/tunicoin.db)')
    .option('--json', 'machine-readable JSON on stdout')
    .option('--no-color', 'no colour (also NO_COLOR=1 or a non-TTY stdout)')
    .option('-y, --yes', 'never prompt')
    .option('--verbose', 'stack traces on errors')
    .option('--all-users', "admins: every user's accounts, orders, bots and backtests")
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      examples(
        'tunicoin seed',
        'tunicoin instruments',
        'tunicoin quote BTC-USD',
        'tunicoin chart BTC-USD --timeframe 1h',
        'tunicoin candles ETH-USD --timeframe 15m --limit 20 --format csv',
      ),
    );

  const db = program
    .command('db')
    .description('where the database is and its migrations')
    .addHelpText('after', examples('tunicoin db path', 'tunicoin db status', 'tunicoin db rollback --all --yes'));
  db.command('path')
    .description('print the database path')
    .addHelpText('after', examples('tunicoin db path', 'TUNICOIN_DB=/tmp/t.db tunicoin db path --json'))
    .action(action(async (ctx) => (await import('./commands/db.ts')).dbPath(ctx)));
  db.command('status')
    .description('applied and pending migrations')
    .addHelpText('after', examples('tunicoin db status --json'))
    .action(action(async (ctx) => (await import('./commands/db.ts')).dbStatus(ctx)));
  db.command('migrate')
    .description('apply pending migrations (also done automatically on open)')
    .addHelpText('after', examples('tunicoin db migrate'))
    .action(action(async (ctx) => (await import('./commands/db.ts')).dbMigrate(ctx)));
  db.command('rollback')
    .description('revert the last migration, those after --to NAME, or --all (asks on a terminal; --yes without one)')
    .option('--to <name>', 'keep NAME applied and revert every later migration')
    .option('--all', 'revert every migration (drops all data)')
    .addHelpText(
      'after',
      examples('tunicoin db rollback --yes', 'tunicoin db rollback --to 001_initial_schema --yes', 'tunicoin db rollback --all --yes'),
    )
    .action(action(async (ctx, cmd) => (await import('./commands/db.ts')).dbRollback(ctx, cmd.optsWithGlobals())));
  db.command('create')
    .description('write a new migration file from the template')
    .argument('<name>', 'what the migration does, e.g. add_bot_notes')
    .option('--dir <dir>', "migrations directory (default: the package's migrations/)")
    .addHelpText('after', examples('tunicoin db create add_bot_notes'))
    .action(action(async (ctx, cmd) => (await import('./commands/db.ts')).dbCreate(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));

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
    .action(action(async (ctx, cmd) => (await import('./commands/seed.ts')).seed(ctx, cmd.optsWithGlobals())));

  const instruments = program
    .command('instruments')
    .description('the tradeable instruments and their parameters')
    .addHelpText(
      'after',
      examples('tunicoin instruments', 'tunicoin instruments --json', 'tunicoin instruments add SPX500 --type cfd --tick 0.01'),
    )
    .action(action(async (ctx) => (await import('./commands/market.ts')).instruments(ctx)));
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
      action(async (ctx, cmd) => (await import('./commands/data.ts')).addInstrument(ctx, cmd.args[0] as string, cmd.optsWithGlobals())),
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
        (await import('./commands/data.ts')).removeInstrumentCmd(ctx, cmd.args[0] as string, cmd.optsWithGlobals()),
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
      action(async (ctx, cmd) => (await import('./commands/instrument-set.ts')).instrumentSet(ctx, cmd.args[0] as string, cmd.opts())),
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
        (await import('./commands/data.ts')).importCandlesCmd(ctx, cmd.args[0] as string, cmd.optsWithGlobals(), onInterrupt),
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
    .action(action(async (ctx, cmd) => (await import('./commands/market.ts')).candles(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
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
      action(async (ctx, cmd) => (await import('./commands/data.ts')).deleteCandlesCmd(ctx, cmd.args[0] as string, cmd.optsWithGlobals())),
    );
  program
    .command('quote')
    .description('bid, ask and mid at the simulation clock, with the 24h change')
    .argument('<symbol>')
    .addHelpText('after', examples('tunicoin quote BTC-USD', 'tunicoin quote EURUSD --json'))
    .action(action(async (ctx, cmd) => (await import('./commands/market.ts')).quote(ctx, cmd.args[0] as string)));
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
    .action(action(async (ctx, cmd) => (await import('./commands/market.ts')).chart(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));

  const kit: ProgramKit = { action, examples, collect, timeframeChoice, onInterrupt, TIMEFRAME_CHOICES };
  registerTrading(program, kit);
  registerResearch(program, kit);
  registerBots(program, kit);
  registerUsers(program, kit);
  registerReports(program, kit);
  // `tunicoin` alone (global options or not): the help, on stdout, as a success; an unknown
  // command: say so, with the nearest one.
  program.allowExcessArguments(true).action(() => {
    const [word] = program.args;
    if (word === undefined) return program.help();
    const near = nearest(
      word,
      program.commands.map((c) => c.name()),
    );
    return program.error(`error: unknown command '${word}'${near ? ` (did you mean ${near}?)` : ''}`, {
      exitCode: EXIT.usage,
      code: 'tunicoin.unknownCommand',
    });
  });
  return program;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

const timeframeChoice = (def: string) =>
  new Option('--timeframe <tf>', 'candle timeframe').choices(['1m', '5m', '15m', '1h', '4h', '1d']).default(def);

/** Parse and run one command line; returns the exit code (never exits). */
async function execute(run: Run, argv: string[], from: 'node' | 'user'): Promise<number> {
  const program = buildProgram(run);
  const output = { writeErr: (s: string) => run.io.stderr.write(s), writeOut: (s: string) => run.io.stdout.write(s) };
  // Every subcommand too: commander copies settings only when a command is created.
  const override = (c: Command): void => {
    c.exitOverride();
    c.configureOutput(output);
    c.commands.forEach(override);
  };
  override(program);
  // `tunicoin help X` is `tunicoin X --help`; an unknown command at any level says so (exit 2),
  // also with --help, instead of printing the parent's help as a success.
  const args = rewriteHelp(program, from === 'node' ? argv.slice(2) : argv);
  const unknown = findUnknownCommand(program, args);
  if (unknown) {
    run.io.stderr.write(
      `error: unknown command '${unknown.typed}'${unknown.near ? ` (did you mean ${unknown.near}?)` : ''}\n(run with --help for usage)\n`,
    );
    return EXIT.usage;
  }
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT.usage;
    throw e;
  }
  return run.exitCode;
}

/**
 * Run one command line (without `node tunicoin`) in this process with the given streams and
 * environment: the same parsing, handlers and error mapping as the binary. Returns the exit
 * code; never exits, and keeps no state between runs (tests run it many times per process).
 */
export async function runMain(args: readonly string[], io: RunIo): Promise<number> {
  return execute({ io, exitCode: 0, interrupt: null }, [...args], 'user');
}

/** runMain with the older stream names (the bad-input suites). */
export function runInProcess(
  args: string[],
  streams: { out: RunIo['stdout']; err: RunIo['stderr']; env: NodeJS.ProcessEnv },
): Promise<number> {
  return runMain(args, { stdout: streams.out, stderr: streams.err, env: streams.env });
}

export async function main(argv: string[]): Promise<void> {
  const run: Run = { io: processIo(), exitCode: 0, interrupt: null };
  // `tunicoin ... | head`: a closed pipe is the reader saying "enough", not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  // Ctrl-C and SIGTERM (kill, a CI timeout, a container stop) end a command the same clean way:
  // long jobs register a handler to stop cleanly; without one, exit 130 at once.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      process.stderr.write(`\ninterrupted${signal === 'SIGTERM' ? ' (SIGTERM)' : ''}\n`);
      if (run.interrupt) {
        const h = run.interrupt;
        run.interrupt = null;
        h();
        run.exitCode = EXIT.interrupted;
        process.exitCode = EXIT.interrupted;
        return;
      }
      process.exit(EXIT.interrupted);
    });
  }
  process.exitCode = await execute(run, argv, 'node');
}

/**
 * The CLI edge: builds the commander program (the command groups are registered from
 * program/*.ts, which import commander for its types and options only), runs handlers with the
 * exit codes of exit-codes.ts and is the only file that calls process.exit. Command modules are imported lazily so start-up stays close to `node -e 0`.
 *
 * Exit codes: 0 ok · 1 internal error · 2 usage · 3 not found · 4 conflict · 5 order rejected ·
 * 6 database unusable · 7 integrity check failed · 8 log in first · 9 strategy failed · 130 interrupted.
 */
import { Command, CommanderError, Option } from 'commander';
import { createContext, type Context, type GlobalOptions } from './context.ts';
import { commandPath, READ_ONLY_COMMANDS } from './read-only.ts';
import { EXIT, reportError } from './exit-codes.ts';
import type { ProgramKit } from './program/kit.ts';
import { findUnknownCommand, firstOperand, nearest, rewriteHelp } from './command-path.ts';
import { registerFor } from './program/groups.ts';
import { stdStream } from './std-streams.ts';

declare const __TUNICOIN_VERSION__: string;
const VERSION = typeof __TUNICOIN_VERSION__ === 'string' ? __TUNICOIN_VERSION__ : '0.0.0-dev';

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

/** The process's streams; stdout and stderr made on first use (see std-streams.ts). */
function processIo(): RunIo {
  let stdout: RunIo['stdout'] | undefined;
  let stderr: RunIo['stderr'] | undefined;
  // `tunicoin ... | head`: a closed pipe is the reader saying "enough", not an error.
  const closed = () => process.exit(0);
  return {
    get stdout() {
      return (stdout ??= stdStream(1, closed) as RunIo['stdout']);
    },
    get stderr() {
      return (stderr ??= stdStream(2, closed) as RunIo['stderr']);
    },
    get stdin() {
      return process.stdin;
    },
    env: process.env,
  };
}

/**
 * The commander program. `args` (the command line without `node tunicoin`): build only the
 * top-level command its first word names (program/groups.ts); without, or for any other word, all.
 */
export function buildProgram(run: Run = { io: processIo(), exitCode: 0, interrupt: null }, args?: readonly string[]): Command {
  const action = actionFor(run);
  const onInterrupt = (fn: () => void): void => {
    run.interrupt = fn;
  };
  const program = new Command('tunicoin')
    .description('Paper trading and backtesting on one SQLite file.')
    .version(VERSION, '-V, --version')
    .option(
      '--db <path|url>',
      'database file, or a PostgreSQL server as postgres://user:pw@host/db (default: $TUNICOIN_DB, else $XDG_DATA_HOME/tunicoin/tunicoin.db)',
    )
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

  const kit: ProgramKit = { action, examples, collect, timeframeChoice, onInterrupt, TIMEFRAME_CHOICES };
  const i = args ? firstOperand(program, args) : -1;
  registerFor(program, kit, i >= 0 ? args?.[i] : undefined);
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
  const argsIn = from === 'node' ? argv.slice(2) : argv;
  const program = buildProgram(run, argsIn);
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
  const args = rewriteHelp(program, argsIn);
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
  // Ctrl-C and SIGTERM (kill, a CI timeout, a container stop) end a command the same clean way:
  // long jobs register a handler to stop cleanly; without one, exit 130 at once.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      run.io.stderr.write(`\ninterrupted${signal === 'SIGTERM' ? ' (SIGTERM)' : ''}\n`);
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

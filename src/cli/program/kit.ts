/** What main.ts lends the command groups it registers (program/*.ts): no group imports main. */
import type { Command, Option } from 'commander';
import type { Context } from '../context.ts';

export interface ProgramKit {
  /** Run a handler with a fresh context; failures become one line on stderr and an exit code. */
  readonly action: (handler: (ctx: Context, cmd: Command) => Promise<void>) => (...args: unknown[]) => Promise<void>;
  /** The "Examples:" block of a help text. */
  readonly examples: (...lines: string[]) => string;
  /** A repeatable option's collector. */
  readonly collect: (value: string, previous?: string[]) => string[];
  /** `--timeframe` for bots and backtests, with its default. */
  readonly timeframeChoice: (def: string) => Option;
  /** Long jobs register here what Ctrl-C should do to stop them cleanly. */
  readonly onInterrupt: (fn: () => void) => void;
  /** Timeframes of the market-data commands. */
  readonly TIMEFRAME_CHOICES: readonly string[];
}

/** Colour, decided once per command: off for NO_COLOR, --no-color, TERM=dumb and non-TTY output. */
import { Chalk, type ChalkInstance } from 'chalk';

export interface Style {
  readonly enabled: boolean;
  readonly chalk: ChalkInstance;
  /** Green for gains, red for losses, plain for zero. */
  signed(value: number, text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export function makeStyle(enabled: boolean): Style {
  const chalk = new Chalk({ level: enabled ? 1 : 0 });
  return {
    enabled, chalk,
    signed: (v, t) => (v > 0 ? chalk.green(t) : v < 0 ? chalk.red(t) : t),
    dim: (t) => chalk.dim(t),
    bold: (t) => chalk.bold(t),
  };
}

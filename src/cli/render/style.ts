/**
 * Colour and width, decided once per command: colour is off for NO_COLOR, --no-color, TERM=dumb
 * and non-TTY output; width is what tables fit in (undefined: no limit), see terminalWidth.
 */
import { Chalk, type ChalkInstance } from 'chalk';

export interface Style {
  readonly enabled: boolean;
  readonly chalk: ChalkInstance;
  /** Columns tables must fit in; undefined = no limit. */
  readonly width?: number;
  /** Green for gains, red for losses, plain for zero. */
  signed(value: number, text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export function makeStyle(enabled: boolean, width?: number): Style {
  const chalk = new Chalk({ level: enabled ? 1 : 0 });
  return {
    enabled,
    chalk,
    width,
    signed: (v, t) => (v > 0 ? chalk.green(t) : v < 0 ? chalk.red(t) : t),
    dim: (t) => chalk.dim(t),
    bold: (t) => chalk.bold(t),
  };
}

/**
 * The width tables fit in: the terminal's columns when stdout is one (COLUMNS if it reports
 * none); off a terminal, COLUMNS when set (so `COLUMNS=80 tunicoin orders | less` fits), else no
 * limit: a pipe or file gets every column, uncut. Widths under 20 are ignored.
 */
export function terminalWidth(out: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): number | undefined {
  const fromEnv = Number(env.COLUMNS);
  const envWidth = Number.isInteger(fromEnv) && fromEnv >= 20 ? fromEnv : undefined;
  if (out.isTTY && typeof out.columns === 'number' && out.columns >= 20) return out.columns;
  return envWidth;
}

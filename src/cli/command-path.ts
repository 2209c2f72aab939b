/**
 * Where a command line names a command that does not exist: `tunicoin users --help`,
 * `tunicoin order plac`. Checked before commander parses, so that a near-miss never falls back to
 * the parent's help with exit 0 (commander treats the unknown word as an operand of a group).
 */
import type { Command, Option } from 'commander';

export interface UnknownCommand {
  /** The command path as typed up to and including the unknown word, e.g. "order plac". */
  readonly typed: string;
  /** The nearest existing command at that level, or null. */
  readonly near: string | null;
}

/** The option of `cmd` or one of its ancestors (global options) that `token` names. */
function findOption(cmd: Command, token: string): Option | undefined {
  const name = token.split('=')[0] as string;
  for (let c: Command | null = cmd; c; c = c.parent) {
    const o = c.options.find((x) => x.long === name || x.short === name);
    if (o) return o;
  }
  return undefined;
}

/** Index of the first operand (not an option or an option's value) in `args`, as `cmd` reads them; -1 if none. */
export function firstOperand(cmd: Command, args: readonly string[]): number {
  for (let i = 0; i < args.length; i++) {
    const token = args[i] as string;
    if (token === '--') return i + 1 < args.length ? i + 1 : -1;
    if (!token.startsWith('-') || token === '-') return i;
    const o = findOption(cmd, token);
    if (o && (o.required || o.optional) && !token.includes('=') && !(o.optional && (args[i + 1] ?? '-').startsWith('-'))) i++;
  }
  return -1;
}

/** `tunicoin help order place` means `tunicoin order place --help`. */
export function rewriteHelp(program: Command, args: readonly string[]): string[] {
  const i = firstOperand(program, args);
  if (i < 0 || args[i] !== 'help' || program.commands.some((c) => c.name() === 'help')) return [...args];
  return [...args.slice(0, i), ...args.slice(i + 1), '--help'];
}

export function findUnknownCommand(program: Command, args: readonly string[]): UnknownCommand | null {
  let cmd = program;
  const path: string[] = [];
  let rest = [...args];
  for (;;) {
    if (cmd.commands.length === 0) return null;
    const i = firstOperand(cmd, rest);
    if (i < 0 || rest[i - 1] === '--') return null;
    const token = rest[i] as string;
    rest = rest.slice(i + 1);
    const sub = cmd.commands.find((c) => c.name() === token || c.aliases().includes(token));
    if (sub) {
      cmd = sub;
      path.push(token);
      continue;
    }
    if (token === 'help') return null; // commander's own `GROUP help [command]`
    // a group that also takes operands (`candles <symbol>`, `optimize <strategy>`): an operand
    if (cmd.registeredArguments.length > 0) return null;
    const near = nearest(
      token,
      cmd.commands.map((c) => c.name()),
    );
    return { typed: [...path, token].join(' '), near: near === null ? null : [...path, near].join(' ') };
  }
}

/** The name closest to `word` (Levenshtein, at most 2 edits away: typos like `qoute`; or a plural like `users`), or null. */
export function nearest(word: string, names: readonly string[]): string | null {
  const distance = (a: string, b: string): number => {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++) {
        row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      prev = row;
    }
    return prev[b.length] as number;
  };
  let best: string | null = null;
  let bestD = 3;
  for (const n of names) {
    const d = distance(word, n);
    if (d < bestD) {
      best = n;
      bestD = d;
    }
  }
  return best;
}

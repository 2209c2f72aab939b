/**
 * Commands that only read the database. On a missing file they stop with exit 6 and a hint
 * (`tunicoin seed`) instead of creating an empty database. Paths are the command words after
 * `tunicoin`; test/integration/cli-safety.test.ts checks that each one exists.
 */
export const READ_ONLY_COMMANDS: ReadonlySet<string> = new Set([
  'instruments',
  'candles',
  'quote',
  'chart',
  'indicators',
  'strategies',
  'orders',
  'order show',
  'positions',
  'account',
  'account list',
  'ledger',
  'ledger verify',
  'clock',
  'backtests',
  'backtests show',
  'optimize show',
  'bot list',
  'bot show',
  'bot decisions',
  'bot explain',
  'user show',
  'user list',
  'whoami',
  'plan list',
  'report backtest',
  'report bot',
  'report account',
  'report compare',
  'db status',
]);

/** "bot show" for the `show` subcommand of `bot`. */
export function commandPath(cmd: { name(): string; parent: unknown }): string {
  const words: string[] = [];
  for (let c: { name(): string; parent: unknown } | null = cmd; c && (c as { parent: unknown }).parent; c = c.parent as typeof c)
    words.unshift(c.name());
  return words.join(' ');
}

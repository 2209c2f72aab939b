/**
 * The command groups of the CLI (program/*.ts) and the top-level commands each registers. A
 * command line naming one of these commands builds only its group: commander's objects for the
 * other ~80 commands cost every start a few ms (main.ts, buildProgram). Anything else (`--help`,
 * `help X`, an unknown or misspelt command) builds them all. test/unit/program-groups.test.ts
 * checks these lists against what each group registers.
 */
import type { Command } from 'commander';
import type { ProgramKit } from './kit.ts';
import { register as registerBots } from './bots.ts';
import { register as registerMarket } from './market.ts';
import { register as registerReports } from './reports.ts';
import { register as registerResearch } from './research.ts';
import { register as registerTrading } from './trading.ts';
import { register as registerUsers } from './users.ts';

export interface CommandGroup {
  readonly register: (program: Command, kit: ProgramKit) => void;
  readonly commands: readonly string[];
}

/** In help order. */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  { register: registerMarket, commands: ['db', 'seed', 'instruments', 'import', 'candles', 'quote', 'chart'] },
  {
    register: registerTrading,
    commands: ['order', 'orders', 'positions', 'position', 'close', 'account', 'ledger', 'clock', 'market', 'watch'],
  },
  { register: registerResearch, commands: ['indicators', 'strategies', 'backtest', 'optimize', 'backtests'] },
  { register: registerBots, commands: ['bot'] },
  { register: registerUsers, commands: ['user', 'login', 'logout', 'whoami', 'plan'] },
  { register: registerReports, commands: ['report'] },
];

/** The groups to build for a command line whose first operand is `word` (all when it names none). */
export function groupsFor(word: string | undefined): readonly CommandGroup[] {
  const g = word === undefined ? undefined : COMMAND_GROUPS.find((x) => x.commands.includes(word));
  return g ? [g] : COMMAND_GROUPS;
}

/**
 * The command groups of the CLI (program/*.ts) and the top-level commands each registers. A
 * command line naming one of these commands builds only that command (registerFor): commander's
 * objects for the other ~80 commands cost every start a few ms (main.ts, buildProgram). Anything else (`--help`,
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
  { register: registerResearch, commands: ['indicators', 'strategies', 'backtest', 'optimize', 'worker', 'backtests'] },
  { register: registerBots, commands: ['bot'] },
  { register: registerUsers, commands: ['user', 'login', 'logout', 'whoami', 'plan'] },
  { register: registerReports, commands: ['report'] },
];

/** The groups to build for a command line whose first operand is `word` (all when it names none). */
export function groupsFor(word: string | undefined): readonly CommandGroup[] {
  const g = word === undefined ? undefined : COMMAND_GROUPS.find((x) => x.commands.includes(word));
  return g ? [g] : COMMAND_GROUPS;
}

/**
 * Register the command line's top-level command `word` alone, or every group when `word` names
 * none of them. A group's register function builds its commands with `program.command(...)`
 * chains; here the chains of the group's other top-level commands go to a sink that accepts any
 * call and builds nothing (no commander objects, options or help listeners for them).
 */
export function registerFor(program: Command, kit: ProgramKit, word: string | undefined): void {
  const groups = groupsFor(word);
  if (groups.length !== 1 || word === undefined) {
    for (const g of groups) g.register(program, kit);
    return;
  }
  const sink: unknown = new Proxy(() => undefined, { get: () => sink, apply: () => sink });
  const only = new Proxy(program, {
    get(target, key) {
      if (key === 'command')
        return (nameAndArgs: string, ...rest: unknown[]) =>
          nameAndArgs.split(' ')[0] === word ? (target.command as (...a: unknown[]) => Command)(nameAndArgs, ...rest) : sink;
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  (groups[0] as CommandGroup).register(only, kit);
}

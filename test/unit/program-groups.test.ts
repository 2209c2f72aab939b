import { describe, expect, test } from 'vitest';
import { Command, Option } from 'commander';
import { COMMAND_GROUPS, groupsFor } from '../../src/cli/program/groups.ts';
import type { ProgramKit } from '../../src/cli/program/kit.ts';
import { buildProgram } from '../../src/cli/main.ts';

const kit: ProgramKit = {
  action: () => () => Promise.resolve(),
  examples: () => '',
  collect: (v, prev = []) => [...prev, v],
  timeframeChoice: (def) => new Option('--timeframe <tf>').default(def),
  onInterrupt: () => undefined,
  TIMEFRAME_CHOICES: ['1m'],
};
const run = () => ({ io: { stdout: process.stdout, stderr: process.stderr, env: {} }, exitCode: 0, interrupt: null });
const names = (p: Command) => p.commands.map((c) => c.name());

describe('command groups (only the group of the command run is built)', () => {
  test('each group lists exactly the top-level commands it registers', () => {
    for (const g of COMMAND_GROUPS) {
      const p = new Command();
      g.register(p, kit);
      expect(names(p)).toEqual(g.commands);
    }
  });

  test('together they are the whole program, in help order', () => {
    expect(names(buildProgram())).toEqual(COMMAND_GROUPS.flatMap((g) => g.commands));
  });

  test('a command line builds the group of its first operand, after global options and their values', () => {
    expect(names(buildProgram(run(), ['--db', 'quote', 'account', '--json']))).toEqual(groupsFor('account')[0]?.commands);
    expect(names(buildProgram(run(), ['--db', 'quote', 'account']))).not.toContain('quote');
    expect(names(buildProgram(run(), ['--db=x.db', '--json', 'bot', 'list']))).toEqual(['bot']);
    expect(names(buildProgram(run(), ['quote', 'BTC-USD']))).toContain('chart');
    expect(names(buildProgram(run(), ['quote', 'BTC-USD']))).not.toContain('order');
  });

  test('help, an unknown word or no command at all build every group', () => {
    const all = COMMAND_GROUPS.flatMap((g) => g.commands);
    for (const args of [[], ['--help'], ['help', 'order'], ['qoute'], ['--db', 'x.db']])
      expect(names(buildProgram(run(), args))).toEqual(all);
  });
});

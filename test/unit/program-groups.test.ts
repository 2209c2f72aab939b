import { describe, expect, test } from 'vitest';
import { Command, Option } from 'commander';
import { COMMAND_GROUPS } from '../../src/cli/program/groups.ts';
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

  test('a command line builds only its top-level command, found after global options and their values', () => {
    expect(names(buildProgram(run(), ['--db', 'quote', 'account', '--json']))).toEqual(['account']);
    expect(names(buildProgram(run(), ['--db=x.db', '--json', 'bot', 'list']))).toEqual(['bot']);
    expect(names(buildProgram(run(), ['quote', 'BTC-USD']))).toEqual(['quote']);
    // with its subcommands, options and arguments as when the whole program is built
    const alone = buildProgram(run(), ['order', 'buy', 'BTC-USD', '1']).commands[0];
    const whole = buildProgram().commands.find((c) => c.name() === 'order');
    const shape = (c: Command): unknown => ({
      name: c.name(),
      options: c.options.map((o) => o.flags),
      args: c.registeredArguments.map((a) => a.name()),
      help: c.helpInformation(),
      subs: c.commands.map(shape),
    });
    expect(alone && shape(alone)).toEqual(whole && shape(whole));
  });

  test('help, an unknown word or no command at all build every group', () => {
    const all = COMMAND_GROUPS.flatMap((g) => g.commands);
    for (const args of [[], ['--help'], ['help', 'order'], ['qoute'], ['--db', 'x.db']])
      expect(names(buildProgram(run(), args))).toEqual(all);
  });
});

/**
 * The `report` commands of the CLI: their options, help texts with examples, and the lazy import
 * of their handlers (src/cli/commands/). Registered by main.ts, which owns the program.
 */
import { type Command } from 'commander';
import type { Context, GlobalOptions } from '../context.ts';
import type { ProgramKit } from './kit.ts';

export function register(program: Command, { action, examples }: ProgramKit): void {
  const report = program
    .command('report')
    .description('self-contained HTML reports (charts, trades, metrics) that open offline in a browser')
    .addHelpText(
      'after',
      examples(
        'tunicoin report backtest 3f2a9c1e',
        'tunicoin report backtest 3f2a9c1e -o macd.html --open',
        'tunicoin report bot trend',
        'tunicoin report account',
        'tunicoin report compare 3f2a9c1e 9c1e77ab 77ab3f2a',
      ),
    );
  const out = (c: Command): Command =>
    c
      .option('-o, --output <file>', 'the HTML file to write (default: a name in the current folder)')
      .option('--open', 'open it in the default browser');
  const run = (fn: (m: typeof import('../commands/report.ts'), ctx: Context, cmd: Command, yes: boolean) => Promise<void>) =>
    action(async (ctx, cmd) => fn(await import('../commands/report.ts'), ctx, cmd, cmd.optsWithGlobals<GlobalOptions>().yes === true));
  out(
    report
      .command('backtest')
      .description('candles with trade markers, indicators, equity vs buy & hold, drawdown, metrics and trades of a backtest')
      .argument('<id>', 'backtest id or prefix'),
  )
    .addHelpText('after', examples('tunicoin report backtest 3f2a9c1e', 'tunicoin report backtest 3f2a9c1e -o macd.html --yes'))
    .action(run((m, ctx, cmd, yes) => m.reportBacktest(ctx, cmd.args[0] as string, cmd.opts(), yes)));
  out(
    report
      .command('bot')
      .description("a bot's fills on the candles, its decision log, the equity and drawdown of its account")
      .argument('<bot>', 'name or id prefix'),
  )
    .addHelpText('after', examples('tunicoin report bot trend', 'tunicoin report bot trend -o trend.html --open'))
    .action(run((m, ctx, cmd, yes) => m.reportBot(ctx, cmd.args[0] as string, cmd.opts(), yes)));
  out(
    report
      .command('account')
      .description('equity, balance and margin over time, open positions and recent orders of an account')
      .argument('[name]', 'account name or id prefix (default: the default account)'),
  )
    .addHelpText('after', examples('tunicoin report account', 'tunicoin report account Swing -o swing.html'))
    .action(run((m, ctx, cmd, yes) => m.reportAccount(ctx, cmd.args[0], cmd.opts(), yes)));
  out(
    report
      .command('compare')
      .description('equity curves and metrics of several backtests side by side')
      .argument('<ids...>', 'two or more backtest ids or prefixes'),
  )
    .addHelpText(
      'after',
      examples('tunicoin report compare 3f2a9c1e 9c1e77ab', 'tunicoin report compare 3f2a9c1e 9c1e77ab 77ab3f2a -o top3.html'),
    )
    .action(run((m, ctx, cmd, yes) => m.reportCompare(ctx, cmd.args, cmd.opts(), yes)));
}

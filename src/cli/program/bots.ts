/**
 * The `bot` commands of the CLI: their options, help texts with examples, and the lazy import
 * of their handlers (src/cli/commands/). Registered by main.ts, which owns the program.
 */
import { Option, type Command } from 'commander';
import type { ProgramKit } from './kit.ts';

export function register(program: Command, { action, examples, collect }: ProgramKit): void {
  const bot = program
    .command('bot')
    .description('strategies running on paper accounts as the clock advances')
    .addHelpText(
      'after',
      examples(
        'tunicoin bot create trend --strategy ema_crossover --symbol BTC-USD --timeframe 1h --max-daily-loss 200',
        'tunicoin bot start trend',
        'tunicoin bot run trend --for 1d',
        'tunicoin bot decisions trend --only-trades',
        'tunicoin bot explain 3f2a9c1e',
      ),
    );
  bot
    .command('create')
    .description('a new bot (idle until started)')
    .argument('<name>')
    .option('--strategy <s>', 'a built-in strategy id or a .js/.ts file')
    .option('--symbol <sym>', 'instrument')
    .addOption(new Option('--timeframe <tf>', 'candle timeframe it acts on').choices(['1m', '5m', '15m', '1h', '4h', '1d']).default('1h'))
    .option('--account <name>', 'paper account (default: the default account)')
    .option('--param <k=v>', 'strategy parameter, repeatable', collect, [])
    .option('--size <spec>', 'contracts (0.5), % of equity (50%) or all (default)')
    .option('--leverage <n>', 'leverage (default 1)')
    .option('--max-position <n>', 'largest position in contracts; bigger orders are cut')
    .option('--max-daily-loss <n>', "pause (circuit breaker) when the day's loss reaches this")
    .option('--max-drawdown <pct>', 'pause when equity falls this % below its peak')
    .option(
      '--strict',
      'refuse (exit 4) instead of warning: another bot on the same account and symbol, leverage above the account maximum, no candles at the clock, minimum size unaffordable',
    )
    .addHelpText(
      'after',
      examples(
        'tunicoin bot create trend --strategy ema_crossover --symbol BTC-USD --param fast=10 --param slow=30 --size 50% --max-drawdown 15',
        'tunicoin bot create swing --strategy rsi_reversion --symbol ETH-USD --timeframe 15m --strict',
      ),
    )
    .action(action(async (ctx, cmd) => (await import('../commands/bot.ts')).botCreate(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
  bot
    .command('list')
    .description('all bots')
    .addHelpText('after', examples('tunicoin bot list --json'))
    .action(action(async (ctx) => (await import('../commands/bot.ts')).botList(ctx)));
  bot
    .command('show')
    .description('status, parameters, limits and stats of a bot')
    .argument('<bot>', 'name or id prefix')
    .addHelpText('after', examples('tunicoin bot show trend --json'))
    .action(action(async (ctx, cmd) => (await import('../commands/bot.ts')).botShow(ctx, cmd.args[0] as string)));
  for (const [verb, help] of [
    ['start', 'idle/stopped -> running'],
    ['pause', 'running -> paused'],
    ['resume', 'paused -> running'],
    ['stop', 'running/paused/error -> stopped'],
    ['reset', 'clear the circuit breaker and the last error (-> paused)'],
  ] as const) {
    bot
      .command(verb)
      .description(help)
      .argument('<bot>', 'name or id prefix')
      .addHelpText('after', examples(`tunicoin bot ${verb} trend`))
      .action(action(async (ctx, cmd) => (await import('../commands/bot.ts')).botAction(ctx, cmd.args[0] as string, verb)));
  }
  bot
    .command('delete')
    .description('delete a bot (refused while it holds a position unless --force; asks on a terminal, --yes without one)')
    .argument('<bot>', 'name or id prefix')
    .option('--force', 'close its position at market first')
    .addHelpText('after', examples('tunicoin bot delete trend --yes', 'tunicoin bot delete trend --force --yes'))
    .action(action(async (ctx, cmd) => (await import('../commands/bot.ts')).botDelete(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
  bot
    .command('run')
    .description('start the bot if needed and advance the clock, with a live summary')
    .argument('<bot>', 'name or id prefix')
    .option('--for <duration>', 'how far to advance: 12h, 7d, 2w')
    .option('--strategy-timeout <s>', 'time limit per candle of a strategy file, seconds (default 1)')
    .addHelpText('after', examples('tunicoin bot run trend --for 1d', 'tunicoin bot run trend --for 12h --json'))
    .action(action(async (ctx, cmd) => (await import('../commands/bot.ts')).botRun(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
  bot
    .command('decisions')
    .description('every evaluation of a bot: decision, reason, indicators, risk, order, result')
    .argument('<bot>', 'name or id prefix')
    .option('--limit <n>', 'the latest N (default 20)')
    .option('--only-trades', 'only decisions that placed or were blocked from placing an order')
    .addHelpText('after', examples('tunicoin bot decisions trend', 'tunicoin bot decisions trend --only-trades --json'))
    .action(
      action(async (ctx, cmd) =>
        (await import('../commands/bot-decisions.ts')).botDecisions(ctx, cmd.args[0] as string, cmd.optsWithGlobals()),
      ),
    );
  bot
    .command('explain')
    .description('the decision behind one order')
    .argument('<order>', 'order id or prefix')
    .addHelpText('after', examples('tunicoin bot explain 3f2a9c1e'))
    .action(action(async (ctx, cmd) => (await import('../commands/bot-decisions.ts')).botExplain(ctx, cmd.args[0] as string)));
}

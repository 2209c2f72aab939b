/**
 * The trading commands (`order(s)`, `position`, `positions`, `close`, `account`, `ledger`, `market`) of the CLI: their options, help texts with examples, and the lazy import
 * of their handlers (src/cli/commands/). Registered by main.ts, which owns the program.
 */
import { Option, type Command } from 'commander';
import type { ProgramKit } from './kit.ts';

export function register(program: Command, { action, examples, timeframeChoice, onInterrupt }: ProgramKit): void {
  const accountOpt = () => new Option('--account <name>', 'account name or id prefix (default: `account use`, or the only one)');
  const order = program
    .command('order')
    .description('place, show and cancel orders')
    .addHelpText(
      'after',
      examples(
        'tunicoin order buy BTC-USD 0.1',
        'tunicoin order sell ETH-USD 2 --type limit --price 3100',
        'tunicoin order show 3f2a9c1e',
        'tunicoin order cancel 3f2a9c1e',
      ),
    );
  for (const side of ['buy', 'sell'] as const) {
    order
      .command(side)
      .description(`${side} SIZE contracts of SYMBOL (market orders fill now at the quote)`)
      .argument('[symbol]')
      .argument('[size]')
      .addOption(new Option('--type <type>', 'order type').choices(['market', 'limit', 'stop', 'stop-limit', 'stop_limit']))
      .option('--price <p>', 'limit price (limit, stop-limit)')
      .option('--stop <p>', 'trigger price (stop, stop-limit)')
      .option(
        '--leverage <n>',
        "leverage, up to the account maximum (default: the open position's, else 1); adding at another leverage re-margins the whole position",
      )
      .option('--sl <p>', 'stop-loss on the position')
      .option('--tp <p>', 'take-profit on the position')
      .option(
        '--trail <d>',
        'trailing stop-loss on the position, a distance (500) or a percentage (2%); with --type stop and no --stop, the order itself trails',
      )
      .addOption(accountOpt())
      .addHelpText(
        'after',
        examples(
          `tunicoin order ${side} BTC-USD 0.1`,
          `tunicoin order ${side} BTC-USD 0.5 --leverage 5 --sl ${side === 'buy' ? '40000' : '60000'} --tp ${side === 'buy' ? '60000' : '40000'}`,
          `tunicoin order ${side} ETH-USD 1 --trail 2%`,
          `tunicoin order ${side === 'buy' ? 'sell' : 'buy'} ETH-USD 1 --type stop --trail 150`,
          `tunicoin order ${side} EURUSD 0.05 --type limit --price ${side === 'buy' ? '1.09500' : '1.10500'}`,
          `tunicoin order ${side} SPX-FUT 1 --leverage 5 --type stop-limit --stop 4510 --price 4512 --json`,
        ),
      )
      .action(
        action(async (ctx, cmd) =>
          (await import('../commands/order.ts')).placeOrder(ctx, side, cmd.args[0], cmd.args[1], cmd.optsWithGlobals()),
        ),
      );
  }
  order
    .command('show')
    .description('one order, by id or unique id prefix')
    .argument('<id>')
    .addHelpText('after', examples('tunicoin order show 3f2a9c1e --json'))
    .action(action(async (ctx, cmd) => (await import('../commands/order.ts')).showOrder(ctx, cmd.args[0] as string)));
  order
    .command('cancel')
    .description('cancel a working order (a partly filled one keeps its filled part)')
    .argument('<id>')
    .addHelpText('after', examples('tunicoin order cancel 3f2a9c1e'))
    .action(action(async (ctx, cmd) => (await import('../commands/order.ts')).cancelOrder(ctx, cmd.args[0] as string)));
  order
    .command('amend')
    .description("change a working order's limit, stop or size (no fee; the history is kept, see `order show`)")
    .argument('<id>')
    .option('--price <p>', 'new limit price')
    .option('--stop <p>', 'new stop price')
    .option('--size <n>', 'new total size (not below what has filled)')
    .addHelpText('after', examples('tunicoin order amend 3f2a9c1e --price 3050', 'tunicoin order amend 3f2a9c1e --size 1.5 --json'))
    .action(action(async (ctx, cmd) => (await import('../commands/order.ts')).amendOrderCmd(ctx, cmd.args[0] as string, cmd.opts())));
  order.action(action(async (ctx) => (await import('../commands/order.ts')).placeOrder(ctx, undefined, undefined, undefined, {})));

  program
    .command('orders')
    .description('orders of the account, newest first')
    .addOption(new Option('--status <s>', 'open (pending) or all').choices(['open', 'all']).default('open'))
    .option('--limit <n>', 'at most N orders (default 100)')
    .addOption(accountOpt())
    .addHelpText('after', examples('tunicoin orders', 'tunicoin orders --status all --json'))
    .action(action(async (ctx, cmd) => (await import('../commands/order.ts')).listOrdersCmd(ctx, cmd.optsWithGlobals())));

  program
    .command('positions')
    .description('open positions, marked at the clock')
    .addOption(accountOpt())
    .addHelpText('after', examples('tunicoin positions', 'tunicoin positions --json'))
    .action(action(async (ctx, cmd) => (await import('../commands/account.ts')).listPositions(ctx, cmd.optsWithGlobals())));
  const position = program
    .command('position')
    .description('change an open position')
    .addHelpText('after', examples('tunicoin position set ETH-USD --sl 2500 --tp none'));
  position
    .command('set')
    .description('set or remove the stop-loss, take-profit or trailing stop of an open position')
    .argument('<symbol>')
    .option('--sl <p>', 'stop-loss price, or none')
    .option('--tp <p>', 'take-profit price, or none')
    .option('--trail <d>', 'trailing stop-loss: a distance (150) or a percentage (2%), or none to stop it moving')
    .addOption(accountOpt())
    .addHelpText('after', examples('tunicoin position set ETH-USD --sl 2500 --tp none', 'tunicoin position set ETH-USD --trail 2%'))
    .action(
      action(async (ctx, cmd) => (await import('../commands/position.ts')).positionSet(ctx, cmd.args[0] as string, cmd.optsWithGlobals())),
    );
  program
    .command('close')
    .description('close a position at market (all of it, or --size)')
    .argument('<symbol>')
    .option('--size <n>', 'close only part of it')
    .addOption(accountOpt())
    .addHelpText('after', examples('tunicoin close BTC-USD', 'tunicoin close ETH-USD --size 0.5'))
    .action(
      action(async (ctx, cmd) => (await import('../commands/account.ts')).closePosition(ctx, cmd.args[0] as string, cmd.optsWithGlobals())),
    );

  const account = program
    .command('account')
    .description('balance, equity, margin and positions of an account')
    .addOption(accountOpt())
    .addHelpText(
      'after',
      examples(
        'tunicoin account',
        'tunicoin account --json',
        'tunicoin account list',
        'tunicoin account create Swing --balance 5000 --max-leverage 5',
      ),
    )
    .action(action(async (ctx, cmd) => (await import('../commands/account.ts')).showAccount(ctx, cmd.optsWithGlobals())));
  account
    .command('list')
    .description('all trading accounts (* = default)')
    .addHelpText('after', examples('tunicoin account list --json'))
    .action(action(async (ctx) => (await import('../commands/account.ts')).listAccounts(ctx)));
  account
    .command('create')
    .description('a new paper account funded by a deposit')
    .argument('<name>')
    .option('--balance <n>', 'initial deposit (default 10000)')
    .option('--max-leverage <n>', 'maximum leverage (default 10)')
    .option('--max-daily-loss <n>', "block new risk once the day's loss reaches this")
    .option('--maker-fee <rate>', 'maker fee rate (default 0.0002 = 0.02%)')
    .option('--taker-fee <rate>', 'taker fee rate (default 0.0005 = 0.05%)')
    .addHelpText('after', examples('tunicoin account create Swing --balance 5000 --max-leverage 5 --max-daily-loss 250'))
    .action(
      action(async (ctx, cmd) => (await import('../commands/account.ts')).createAccount(ctx, cmd.args[0] as string, cmd.optsWithGlobals())),
    );
  for (const [verb, kind] of [
    ['deposit', 'deposit'],
    ['withdraw', 'withdrawal'],
  ] as const) {
    account
      .command(verb)
      .description(`${verb} cash (a ledger journal against external cash)`)
      .argument('<amount>')
      .addOption(accountOpt())
      .addHelpText('after', examples(`tunicoin account ${verb} 2500`, `tunicoin account ${verb} 100.50 --account Swing`))
      .action(
        action(async (ctx, cmd) =>
          (await import('../commands/account.ts')).moveCash(ctx, kind, cmd.args[0] as string, cmd.optsWithGlobals()),
        ),
      );
  }
  account
    .command('use')
    .description('set the default account for later commands')
    .argument('<name>')
    .addHelpText('after', examples('tunicoin account use Swing'))
    .action(action(async (ctx, cmd) => (await import('../commands/account.ts')).useAccount(ctx, cmd.args[0] as string)));

  const ledger = program
    .command('ledger')
    .description("the account's ledger postings (double-entry)")
    .option('--type <t>', 'only deposit, withdrawal, trade_pnl, commission, funding, liquidation or adjustment')
    .option('--limit <n>', 'the latest N postings (default 50)')
    .addOption(new Option('--format <fmt>', 'output format').choices(['table', 'json', 'csv']))
    .addOption(accountOpt())
    .addHelpText('after', examples('tunicoin ledger', 'tunicoin ledger --type commission --format csv', 'tunicoin ledger verify'))
    .action(action(async (ctx, cmd) => (await import('../commands/ledger.ts')).listLedger(ctx, cmd.optsWithGlobals())));
  ledger
    .command('verify')
    .description('check every ledger and margin invariant; exit 7 on any break')
    .addHelpText('after', examples('tunicoin ledger verify', 'tunicoin ledger verify --json'))
    .action(action(async (ctx) => (await import('../commands/ledger.ts')).verify(ctx)));

  const clock = program
    .command('clock')
    .description('the simulation clock')
    .addHelpText('after', examples('tunicoin clock', 'tunicoin clock --json', 'tunicoin clock set 2015-01-02T23:59'))
    .action(action(async (ctx) => (await import('../commands/clock.ts')).showClock(ctx)));
  clock
    .command('set')
    .description('market replay: put the clock at a time of imported history (only imported instruments, nothing happened after it)')
    .argument('<iso>', "e.g. 2015-01-02T23:59 (a daily candle's close is known at 23:59)")
    .addHelpText('after', examples('tunicoin clock set 2015-01-02T23:59', 'tunicoin clock set 2020-02-03 --json'))
    .action(action(async (ctx, cmd) => (await import('../commands/clock.ts')).setClockCmd(ctx, cmd.args[0] as string)));
  const market = program
    .command('market')
    .description('move the simulated market')
    .addHelpText('after', examples('tunicoin market advance 4h'));
  program
    .command('watch')
    .description('live trading screen: the market moves at the speed you choose; trade it with keys')
    .argument('[symbols...]', 'symbols to watch (default: all)')
    .option('--speed <n>', 'simulated seconds per wall second (60 = a minute per second; 0 = paused, n steps)', '60')
    .addOption(timeframeChoice('1m'))
    .addOption(accountOpt())
    .addHelpText(
      'after',
      `${examples('tunicoin watch', 'tunicoin watch BTC-USD ETH-USD --speed 3600 --timeframe 1h', 'tunicoin watch EURUSD --speed 0 --account Swing')}
Keys: b/s order form, c close, x cancel, tab symbol, space pause, +/- speed, n step, ? help, q quit.
Needs a terminal; from a script use \`tunicoin market advance DURATION --json\`.
`,
    )
    .action(action(async (ctx, cmd) => (await import('../commands/watch.ts')).watch(ctx, cmd.args, cmd.optsWithGlobals(), onInterrupt)));
  market
    .command('advance')
    .description('advance the clock: replay candles (or extend the synthetic market), fill orders, SL/TP, funding, liquidations')
    .argument('<duration>', 'e.g. 15m, 4h, 2d, 1w, 1d12h')
    .option(
      '--extend <how>',
      'past the end of imported history: "synthetic" continues it with the generator (default: the clock stops there)',
    )
    .option('--strategy-timeout <s>', 'time limit per candle of a strategy file, seconds (default 1)')
    .addHelpText(
      'after',
      examples(
        'tunicoin market advance 15m',
        'tunicoin market advance 2d --json',
        'tunicoin market advance 30d --extend synthetic',
        'tunicoin market advance 1d --strategy-timeout 5',
      ),
    )
    .action(action(async (ctx, cmd) => (await import('../commands/clock.ts')).advance(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
}

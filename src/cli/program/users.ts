/**
 * The `user`, `login`, `logout`, `whoami` and `plan` commands of the CLI: their options, help texts with examples, and the lazy import
 * of their handlers (src/cli/commands/). Registered by main.ts, which owns the program.
 */
import { Option, type Command } from 'commander';
import type { ProgramKit } from './kit.ts';

export function register(program: Command, { action, examples }: ProgramKit): void {
  const users = async () => import('../commands/user.ts');
  const pwStdin = ['--password-stdin', 'read the password from stdin (for scripts; never put one on the command line)'] as const;
  const user = program
    .command('user')
    .description('users of this database: register, profile, password, 2FA; admins: list and set')
    .addHelpText(
      'after',
      examples(
        'tunicoin user register ada@example.com',
        'tunicoin user show',
        'tunicoin user 2fa enable',
        'tunicoin user set bob@example.com --kyc approved --plan pro',
      ),
    );
  user
    .command('register')
    .description('a new user (the first one on a database without an admin becomes admin)')
    .argument('<email>')
    .option(...pwStdin)
    .addHelpText(
      'after',
      examples('tunicoin user register ada@example.com', 'printf %s "$PASSWORD" | tunicoin user register ci@example.com --password-stdin'),
    )
    .action(action(async (ctx, cmd) => (await users()).userRegister(ctx, cmd.args[0] as string, cmd.optsWithGlobals())));
  user
    .command('show')
    .description("your profile (admins: anyone's): verified, plan, KYC, 2FA, last login")
    .argument('[email]')
    .addHelpText('after', examples('tunicoin user show', 'tunicoin user show --json'))
    .action(action(async (ctx, cmd) => (await users()).userShow(ctx, cmd.args[0])));
  user
    .command('passwd')
    .description('change your password (other sessions are logged out)')
    .option(...pwStdin)
    .addHelpText('after', examples('tunicoin user passwd', 'printf "%s\\n%s\\n" "$OLD" "$NEW" | tunicoin user passwd --password-stdin'))
    .action(action(async (ctx, cmd) => (await users()).userPasswd(ctx, cmd.optsWithGlobals())));
  user
    .command('list')
    .description('every user (admins)')
    .addHelpText('after', examples('tunicoin user list', 'tunicoin user list --json'))
    .action(action(async (ctx) => (await users()).userList(ctx)));
  user
    .command('set')
    .description('change a user (admins): admin, active, verified, KYC status, plan')
    .argument('<email>')
    .option('--admin [bool]', 'make admin (or --admin false)')
    .option('--active <bool>', 'true or false (false: cannot log in or act)')
    .option('--verified [bool]', 'mark the email verified')
    .addOption(new Option('--kyc <status>', 'KYC status (approved stamps kyc_verified_at)').choices(['pending', 'approved', 'rejected']))
    .option('--plan <name>', 'plan (see `tunicoin plan list`)')
    .addHelpText(
      'after',
      examples(
        'tunicoin user set bob@example.com --kyc approved --verified',
        'tunicoin user set bob@example.com --plan pro',
        'tunicoin user set eve@example.com --active false',
      ),
    )
    .action(action(async (ctx, cmd) => (await users()).userSet(ctx, cmd.args[0] as string, cmd.opts())));
  const twofa = user
    .command('2fa')
    .description('two-factor authentication (TOTP, e.g. an authenticator app)')
    .addHelpText('after', examples('tunicoin user 2fa enable', 'tunicoin user 2fa disable --code "$CODE"'));
  twofa
    .command('enable')
    .description('show the otpauth:// URI and a QR code; 2FA turns on after a valid code, with ten recovery codes')
    .option('--code <code>', 'confirm a set-up started earlier with this code from the app')
    .addHelpText(
      'after',
      examples('tunicoin user 2fa enable', 'tunicoin user 2fa enable --json   # then: tunicoin user 2fa enable --code 123456'),
    )
    .action(action(async (ctx, cmd) => (await users()).twoFactorEnable(ctx, cmd.opts())));
  twofa
    .command('disable')
    .description('turn 2FA off (needs a current code or a recovery code)')
    .option('--code <code>', 'a code from the app, or a recovery code')
    .addHelpText('after', examples('tunicoin user 2fa disable --code "$CODE"', 'tunicoin user 2fa disable --code "$RECOVERY" --json'))
    .action(action(async (ctx, cmd) => (await users()).twoFactorDisable(ctx, cmd.opts())));

  program
    .command('login')
    .description('start a session: password, then the 2FA code if it is on')
    .argument('[email]')
    .option(...pwStdin)
    .option('--code <code>', '2FA code (or a recovery code); asked for on a terminal')
    .option('--days <n>', 'session lifetime in days (default 30)')
    .option('--print-token', 'print the token for TUNICOIN_TOKEN instead of saving it')
    .addHelpText(
      'after',
      examples(
        'tunicoin login ada@example.com',
        'export TUNICOIN_TOKEN=$(printf %s "$PW" | tunicoin login ci@example.com --password-stdin --print-token)',
      ),
    )
    .action(action(async (ctx, cmd) => (await users()).loginCmd(ctx, cmd.args[0], cmd.optsWithGlobals())));
  program
    .command('logout')
    .description('end the session')
    .addHelpText('after', examples('tunicoin logout'))
    .action(action(async (ctx) => (await users()).logoutCmd(ctx)));
  program
    .command('whoami')
    .description('who the commands act as')
    .addHelpText('after', examples('tunicoin whoami', 'tunicoin whoami --json'))
    .action(action(async (ctx) => (await users()).whoami(ctx)));

  const plan = program
    .command('plan')
    .description('plans and their limits (empty = unlimited)')
    .addHelpText('after', examples('tunicoin plan list', 'tunicoin plan set free --max-accounts 3 --max-bots 2 --max-sweep 100'));
  plan
    .command('list')
    .description('plans and their limits')
    .addHelpText('after', examples('tunicoin plan list --json'))
    .action(action(async (ctx) => (await users()).planList(ctx)));
  plan
    .command('set')
    .description('change a plan\'s limits (admins); "unlimited" clears one')
    .argument('<plan>')
    .option('--max-accounts <n>', 'trading accounts per user')
    .option('--max-bots <n>', 'bots per user')
    .option('--max-sweep <n>', 'combinations in one `optimize`')
    .addHelpText(
      'after',
      examples('tunicoin plan set free --max-accounts 3 --max-bots 2 --max-sweep 100', 'tunicoin plan set free --max-bots unlimited'),
    )
    .action(action(async (ctx, cmd) => (await users()).planSet(ctx, cmd.args[0] as string, cmd.opts())));
}

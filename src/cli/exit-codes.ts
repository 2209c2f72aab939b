/** Maps failures to the documented exit codes and reports them as one line on stderr (EXIT, reportError). */
import { TunicoinError, type ErrorKind } from '../core/errors.ts';
import { DecimalParseError, FixedPointOverflowError } from '../core/money.ts';
import type { Context } from './context.ts';

export const EXIT: Readonly<Record<ErrorKind | 'ok' | 'internal', number>> = {
  ok: 0,
  internal: 1,
  usage: 2,
  'not-found': 3,
  conflict: 4,
  rejected: 5,
  database: 6,
  integrity: 7,
  auth: 8,
  strategy: 9,
  interrupted: 130,
};

/** SQLite failures that mean the file cannot be used (exit 6), not a bug. */
const DATABASE_CODES = /^SQLITE_(BUSY|LOCKED|READONLY|CANTOPEN|IOERR|FULL|CORRUPT|NOTADB|PERM|AUTH|PROTOCOL)/;

export function reportError(ctx: Pick<Context, 'note' | 'verbose' | 'style'>, e: unknown): number {
  if (e instanceof TunicoinError) {
    ctx.note(`${ctx.style.chalk.red('error:')} ${e.message}${e.hint ? ` (${e.hint})` : ''}`);
    if (ctx.verbose && e.stack) ctx.note(e.stack);
    return EXIT[e.kind];
  }
  if (e instanceof DecimalParseError || e instanceof FixedPointOverflowError) {
    ctx.note(`${ctx.style.chalk.red('error:')} ${e.message}`);
    return EXIT.usage;
  }
  const err = e as Error & { code?: string };
  if (err?.code === 'SQLITE_BUSY' || err?.code === 'SQLITE_LOCKED') {
    ctx.note('error: the database stayed locked by another tunicoin process; try again');
    return EXIT.database;
  }
  if (typeof err?.code === 'string' && DATABASE_CODES.test(err.code)) {
    ctx.note(`error: the database cannot be used: ${err.message} (${err.code}); check the file, its folder and the disk`);
    return EXIT.database;
  }
  ctx.note(
    `${ctx.style.chalk.red('internal error:')} ${err?.message ?? String(e)}${ctx.verbose ? '' : ' (run with --verbose for details)'}`,
  );
  if (ctx.verbose && err?.stack) ctx.note(err.stack);
  return EXIT.internal;
}

/**
 * Asking before something that cannot be undone (deletes, resets, rollbacks) or that creates
 * folders the user did not expect. One rule for every command: `--yes` goes ahead; a terminal is
 * asked "...? [y/N]"; anything else (a script, CI, a pipe, `--json`) is refused with exit 2 and
 * nothing written.
 */
import { UsageError } from '../core/errors.ts';

/**
 * Go ahead only when confirmed. `question` is asked on a terminal; `what` names the action in the
 * refusal ("db rollback --all drops every table").
 */
export async function confirmOrRefuse(
  ctx: { readonly interactive: boolean; readonly yes: boolean },
  question: string,
  what: string,
): Promise<void> {
  if (ctx.yes) return;
  if (ctx.interactive) {
    const { confirmDestructive } = await import('./prompts.ts');
    if (await confirmDestructive(`${question} [y/N]`)) return;
    throw new UsageError('canceled; nothing changed');
  }
  throw new UsageError(`${what}: not confirmed, nothing changed`, 'pass --yes to confirm');
}

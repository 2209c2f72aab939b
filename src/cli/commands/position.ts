/** `position set SYMBOL [--sl P|none] [--tp P|none] [--trail D|none]`: change an open position's exits. */
import { UsageError } from '../../core/errors.ts';
import { type Price } from '../../core/money.ts';
import { parsePriceArg } from '../args.ts';
import type { Trail } from '../../core/trail.ts';
import { setPositionExits } from '../../app/amend.ts';
import { accountSummary } from './account.ts';
import { resolveAccountId } from '../../app/paper.ts';
import { findInstrument } from '../../store/instruments.ts';
import type { Context } from '../context.ts';
import { renderJson } from '../render/json.ts';
import { parseTrailFlag } from './order.ts';

const NONE = /^(none|off|-)$/i;

function level(text: string | undefined, flag: string): Price | null | undefined {
  if (text === undefined) return undefined;
  if (NONE.test(text.trim())) return null;
  return parsePriceArg(text, flag);
}

export async function positionSet(
  ctx: Context,
  symbol: string,
  flags: { sl?: string; tp?: string; trail?: string; account?: string },
): Promise<void> {
  const stopLoss = level(flags.sl, '--sl');
  const takeProfit = level(flags.tp, '--tp');
  const trail: Trail | null | undefined =
    flags.trail === undefined ? undefined : NONE.test(flags.trail.trim()) ? null : parseTrailFlag(flags.trail);
  if (stopLoss === undefined && takeProfit === undefined && trail === undefined)
    throw new UsageError('nothing to set', 'give --sl, --tp and/or --trail (a price, or none to remove)');
  const store = await ctx.store();
  const inst = findInstrument(store, symbol);
  const accountId = resolveAccountId(store, flags.account);
  setPositionExits(store, ctx.now, accountId, inst.id, inst.symbol, {
    ...(stopLoss !== undefined ? { stopLoss } : {}),
    ...(takeProfit !== undefined ? { takeProfit } : {}),
    ...(trail !== undefined ? { trail } : {}),
  });
  const p = accountSummary(store, accountId).positions.find((x) => x.symbol === inst.symbol);
  if (!p) return;
  const { raw: _raw, ...view } = p;
  if (ctx.json) {
    ctx.print(renderJson(view));
    return;
  }
  ctx.print(
    `${inst.symbol} ${p.side} ${p.size}: stop-loss ${p.stopLoss ?? 'none'}${p.trail ? ` (trailing ${p.trail})` : ''}, take-profit ${p.takeProfit ?? 'none'}`,
  );
}

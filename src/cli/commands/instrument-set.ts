/** `instruments set SYMBOL --max-participation SHARE`: trading settings of an instrument. */
import { UsageError } from '../../core/errors.ts';
import { parseNumberArg } from '../args.ts';
import { formatRatePercent } from '../../core/money.ts';
import { toIso } from '../../core/time.ts';
import { findInstrument, setMaxParticipation } from '../../store/instruments.ts';
import type { Context } from '../context.ts';
import { renderJson } from '../render/json.ts';

export async function instrumentSet(ctx: Context, symbol: string, flags: { maxParticipation?: string }): Promise<void> {
  if (flags.maxParticipation === undefined) throw new UsageError('nothing to set', 'e.g. --max-participation 0.1');
  const share = parseNumberArg(flags.maxParticipation, '--max-participation', {
    min: 0,
    max: 1,
    decimals: 6,
    what: "a share from 0 to 1 (0.1 = 10% of a candle's volume, 0 = no cap)",
  });
  const store = await ctx.store();
  const inst = findInstrument(store, symbol);
  store.tx(() => setMaxParticipation(store, inst.id, share, toIso(ctx.now())));
  if (ctx.json) ctx.print(renderJson({ symbol: inst.symbol, maxParticipation: share }));
  else
    ctx.print(
      share > 0
        ? `${inst.symbol}: each fill takes at most ${formatRatePercent(share)} of a 1m candle's volume; the rest keeps working`
        : `${inst.symbol}: fills are not capped by volume`,
    );
}

/** `tunicoin seed`: create the demo world. */
import { TunicoinError, UsageError } from '../../core/errors.ts';
import { SEED_INSTRUMENTS } from '../../core/instruments.ts';
import { floorToMinute, MINUTE_MS, toIso } from '../../core/time.ts';
import { seedDatabase, type SeedSummary } from '../../app/seed.ts';
import { isSeeded } from '../../store/seed-rows.ts';
import { getSetting } from '../../store/settings.ts';
import { parseIntArg, parsePositiveInt, parseSymbolList, parseTime } from '../args.ts';
import { confirmOrRefuse } from '../confirm.ts';
import type { Context } from '../context.ts';
import { renderJson } from '../render/json.ts';
import { makeProgress } from '../render/progress.ts';
import { renderKeyValue } from '../render/table.ts';

export interface SeedFlags {
  seed?: string;
  days?: string;
  end?: string;
  instruments?: string;
  reset?: boolean;
}

export const DEMO_PASSWORD = 'demo123';
/**
 * bcrypt (cost 12) of the demo password. The password is public (the spec's demo user), so a
 * fixed hash loses nothing, and `seed` does not spend a quarter of a second hashing it.
 */
export const DEMO_PASSWORD_HASH = '$2b$12$DtBJoSvRsJVlpGyI2Aj5QeHI3UNSLk8z7RDatMnJQcIi1YhvV03py';
const MAX_DAYS = 3650;

export async function seed(ctx: Context, flags: SeedFlags): Promise<void> {
  // Validate everything before touching the database.
  const seedValue = flags.seed === undefined ? 42 : parseIntArg(flags.seed, '--seed');
  const days = flags.days === undefined ? 30 : parsePositiveInt(flags.days, '--days', { min: 1, max: MAX_DAYS });
  const end = flags.end === undefined ? floorToMinute(ctx.now()) : floorToMinute(parseTime(flags.end, '--end'));
  if (end - (days * 1440 - 1) * MINUTE_MS < 0)
    throw new UsageError('--end is too early for that many --days (history would start before 1970)');
  let instruments = SEED_INSTRUMENTS;
  if (flags.instruments !== undefined) {
    const wanted = parseSymbolList(flags.instruments);
    const unknown = wanted.filter((s) => !SEED_INSTRUMENTS.some((i) => i.symbol === s));
    if (unknown.length)
      throw new TunicoinError(
        'not-found',
        `unknown symbol "${unknown[0]}" in --instruments`,
        `seedable: ${SEED_INSTRUMENTS.map((i) => i.symbol).join(', ')}`,
      );
    instruments = SEED_INSTRUMENTS.filter((i) => wanted.includes(i.symbol));
  }

  const store = await ctx.store();
  if (isSeeded(store) && !flags.reset) {
    const at = getSetting(store, 'seeded_at');
    if (ctx.json) ctx.print(renderJson({ status: 'already-seeded', seededAt: at ?? null }));
    ctx.note(`already seeded (${at}); nothing changed. Use --reset to wipe and re-seed.`);
    return;
  }
  if (flags.reset) {
    (await import('../../app/auth.ts')).requireAdminIfShared(store, '`seed --reset` of a database shared by several users');
    if (isSeeded(store))
      await confirmOrRefuse(
        ctx,
        `Wipe every table of ${store.path} (users, accounts, orders, bots, backtests, candles) and seed again?`,
        'seed --reset would wipe every table',
      );
  }
  const progress = makeProgress(ctx.err, 'seeding candles', !ctx.json);
  const summary = seedDatabase(store, {
    seed: seedValue,
    days,
    end,
    instruments,
    reset: flags.reset === true,
    nowIso: toIso(ctx.now()),
    demoPasswordHash: DEMO_PASSWORD_HASH,
    onProgress: (d, t) => progress.update(d, t),
  });
  progress.done();
  printSummary(ctx, summary);
}

function printSummary(ctx: Context, s: SeedSummary): void {
  if (ctx.json) {
    ctx.print(renderJson({ status: 'seeded', ...s }));
    return;
  }
  ctx.print(
    renderKeyValue(
      [
        ['demo user', 'demo@tunicoin.local (password demo123)'],
        ['account', 'Demo Account, $10,000.00, max leverage 10x'],
        ['instruments', String(s.instruments)],
        ['1m candles', `${s.candles.toLocaleString('en-US')} (${s.candlesPerInstrument.toLocaleString('en-US')} per instrument)`],
        ['history', `${s.from} .. ${s.to}`],
        ['clock', s.clock],
        ['seed', String(s.seed)],
      ],
      ctx.style,
    ),
  );
  ctx.note('next: tunicoin instruments | tunicoin quote BTC-USD | tunicoin chart BTC-USD');
}

/** `instruments add` and `import candles`. */
import { ConflictError, UsageError } from '../../core/errors.ts';
import { INSTRUMENT_TYPES, isValidSymbol, type InstrumentSpec, type InstrumentType } from '../../core/instruments.ts';
import { PPM_DECIMALS } from '../../core/money.ts';
import { toIso } from '../../core/time.ts';
import { importCandles } from '../../app/import.ts';
import { insertInstrument, instrumentExists } from '../../store/instruments.ts';
import { parseName, parseNumberArg, parsePriceArg, parseSizeArg, parseTime, parseTimeframe } from '../args.ts';
import { deleteCandleRange, removeInstrument } from '../../app/market-data.ts';
import { preview } from '../../app/preview.ts';
import { confirmOrRefuse } from '../confirm.ts';
import type { Context } from '../context.ts';
import { renderJson } from '../render/json.ts';
import { makeProgress } from '../render/progress.ts';

export interface AddInstrumentFlags {
  type?: string;
  name?: string;
  tick?: string;
  contractSize?: string;
  spread?: string;
  minSize?: string;
  maxSize?: string;
  fundingRate?: string;
  slippageFactor?: string;
  quoteCurrency?: string;
  baseCurrency?: string;
}

/** A rate as a plain number (the instrument spec's unit), parsed by the one rate parser. */
const rate = (text: string | undefined, def: number, flag: string, max: number, allowNegative = false): number =>
  text === undefined
    ? def
    : parseNumberArg(text, flag, {
        min: allowNegative ? -max : 0,
        max,
        decimals: PPM_DECIMALS,
        what: `a rate ${allowNegative ? `between -${max} and ${max}` : `from 0 to ${max}`} (0.001 = 0.1%)`,
      });

export async function addInstrument(ctx: Context, symbolArg: string, flags: AddInstrumentFlags): Promise<void> {
  const symbol = symbolArg.trim().toUpperCase();
  if (!isValidSymbol(symbol)) throw new UsageError(`"${symbolArg}" is not a valid symbol`, '1-20 letters, digits, ".", "_", "/", "-"');
  const name = flags.name === undefined ? symbol : parseName(flags.name, '--name', 100);
  for (const [flag, ccy] of [
    ['--quote-currency', flags.quoteCurrency],
    ['--base-currency', flags.baseCurrency],
  ] as const) {
    if (ccy !== undefined && !/^[A-Za-z0-9]{1,12}$/.test(ccy)) throw new UsageError(`${flag} must be 1-12 letters or digits, got "${ccy}"`);
  }
  const type = (flags.type ?? 'stock') as InstrumentType;
  if (!INSTRUMENT_TYPES.includes(type)) throw new UsageError(`unknown --type "${flags.type}"`, `use one of ${INSTRUMENT_TYPES.join(', ')}`);
  const spec: InstrumentSpec = {
    symbol,
    name,
    type,
    baseCurrency: (flags.baseCurrency ?? symbol.split(/[-/]/)[0] ?? symbol).toUpperCase(),
    quoteCurrency: (flags.quoteCurrency ?? 'USD').toUpperCase(),
    tickSize: parsePriceArg(flags.tick ?? '0.01', '--tick'),
    contractSize: parseSizeArg(flags.contractSize ?? '1', '--contract-size'),
    baseSpread: rate(flags.spread, 0.0005, '--spread', 0.1),
    fundingRate: rate(flags.fundingRate, 0, '--funding-rate', 0.01, true),
    slippageFactor: rate(flags.slippageFactor, 0.01, '--slippage-factor', 1),
    minSize: parseSizeArg(flags.minSize ?? '0.01', '--min-size'),
    maxSize: parseSizeArg(flags.maxSize ?? '1000000', '--max-size'),
    isActive: true,
    isTradeable: true,
  };
  if (spec.minSize > spec.maxSize) throw new UsageError(`--min-size ${flags.minSize} is above --max-size ${flags.maxSize}`);
  const store = await ctx.store();
  store.tx(() => {
    if (instrumentExists(store, symbol)) throw new ConflictError(`instrument ${symbol} already exists`);
    insertInstrument(store, spec, toIso(ctx.now()));
  });
  if (ctx.json)
    ctx.print(
      renderJson({
        symbol,
        type,
        tickSize: flags.tick ?? '0.01',
        contractSize: flags.contractSize ?? '1',
        spread: spec.baseSpread,
        fundingRate: spec.fundingRate,
        slippageFactor: spec.slippageFactor,
        minSize: flags.minSize ?? '0.01',
        maxSize: flags.maxSize ?? '1000000',
      }),
    );
  else ctx.print(`added ${symbol} (${type}); import its history with: tunicoin import candles FILE.csv --symbol ${symbol} --timeframe 1d`);
}

export interface ImportFlags {
  symbol?: string;
  timeframe?: string;
  skipInvalid?: boolean;
  replace?: boolean;
  merge?: boolean;
  adjusted?: boolean;
}

export async function importCandlesCmd(
  ctx: Context,
  file: string,
  flags: ImportFlags,
  onInterrupt?: (fn: () => void) => void,
): Promise<void> {
  if (!flags.symbol) throw new UsageError('--symbol is required', 'e.g. tunicoin import candles data.csv --symbol SPX500 --timeframe 1d');
  if (flags.replace && flags.merge)
    throw new UsageError(
      '--replace and --merge exclude each other',
      "--merge adds only new timestamps; --replace replaces the file's range",
    );
  const tf = parseTimeframe(flags.timeframe ?? '1m');
  const store = await ctx.store();
  const progress = makeProgress(ctx.err, 'importing', !ctx.json);
  let stop = false;
  onInterrupt?.(() => {
    stop = true;
  });
  const r = await importCandles(store, {
    file,
    symbol: flags.symbol,
    timeframe: tf,
    mode: flags.replace ? 'replace' : flags.merge ? 'merge' : 'refuse',
    skipInvalid: flags.skipInvalid === true,
    adjusted: flags.adjusted === true,
    onProgress: (d, t) => progress.update(d, t),
    shouldStop: () => stop,
  }).finally(() => progress.done());
  if (ctx.json) {
    ctx.print(renderJson(r));
    return;
  }
  ctx.print(
    `imported ${r.imported.toLocaleString('en-US')} ${r.timeframe} candles of ${r.symbol} (${r.layout} layout${r.gzip ? ', gzip' : ''}) from ${r.from} to ${r.to}`,
  );
  if (r.alreadyStored) ctx.note(`${r.alreadyStored.toLocaleString('en-US')} row(s) already stored were kept (--merge)`);
  if (r.replaced) ctx.note(`${r.replaced.toLocaleString('en-US')} stored candle(s) in that range were replaced (--replace)`);
  if (r.rounded) ctx.note(`${r.rounded} price(s) rounded to the instrument's tick`);
  if (r.skipped)
    ctx.note(
      `skipped ${r.skipped} invalid row(s): ${r.skippedRows
        .slice(0, 3)
        .map((e) => `line ${e.line}: ${e.message}`)
        .join('; ')}`,
    );
}

/** `candles delete SYMBOL [--from] [--to]`. */
export async function deleteCandlesCmd(ctx: Context, symbol: string, flags: { from?: string; to?: string }): Promise<void> {
  const from = flags.from === undefined ? undefined : parseTime(flags.from, '--from');
  const to = flags.to === undefined ? undefined : parseTime(flags.to, '--to');
  const store = await ctx.store();
  const would = preview(store, () => deleteCandleRange(store, symbol, from, to));
  await confirmOrRefuse(
    ctx,
    `Delete ${would.deleted.toLocaleString('en-US')} candle(s) of ${would.symbol}${would.from || would.to ? ` between ${would.from ?? 'the start'} and ${would.to ?? 'the end'}` : ''}?`,
    `candles delete ${would.symbol} would delete ${would.deleted.toLocaleString('en-US')} candle(s)`,
  );
  const r = deleteCandleRange(store, symbol, from, to);
  if (ctx.json) {
    ctx.print(renderJson(r));
    return;
  }
  ctx.print(
    `deleted ${r.deleted.toLocaleString('en-US')} candle(s) of ${r.symbol}${r.from || r.to ? ` between ${r.from ?? 'the start'} and ${r.to ?? 'the end'}` : ''}`,
  );
}

/** `instruments remove SYMBOL [--force]`. */
export async function removeInstrumentCmd(ctx: Context, symbol: string, flags: { force?: boolean }): Promise<void> {
  const store = await ctx.store();
  const would = preview(store, () => removeInstrument(store, symbol, flags.force === true, toIso(ctx.now())));
  const extraWould = [
    would.canceledOrders ? `cancel ${would.canceledOrders} working order(s)` : '',
    would.bots ? `delete ${would.bots} bot(s)` : '',
    would.backtests ? `delete ${would.backtests} backtest(s)` : '',
  ]
    .filter(Boolean)
    .join(', ');
  await confirmOrRefuse(
    ctx,
    `${would.removed ? `Remove ${would.symbol} and its` : `Retire ${would.symbol} (it has trade history) and delete its`} ${would.candles.toLocaleString('en-US')} candle(s)${extraWould ? `; ${extraWould}` : ''}?`,
    `instruments remove ${would.symbol} would delete ${would.candles.toLocaleString('en-US')} candle(s)${extraWould ? ` and ${extraWould}` : ''}`,
  );
  const r = removeInstrument(store, symbol, flags.force === true, toIso(ctx.now()));
  if (ctx.json) {
    ctx.print(renderJson(r));
    return;
  }
  const extra = [
    r.canceledOrders ? `${r.canceledOrders} order(s) canceled` : '',
    r.bots ? `${r.bots} bot(s) deleted` : '',
    r.backtests ? `${r.backtests} backtest(s) deleted` : '',
  ]
    .filter(Boolean)
    .join(', ');
  ctx.print(
    r.removed
      ? `removed ${r.symbol} and its ${r.candles.toLocaleString('en-US')} candle(s)${extra ? `; ${extra}` : ''}`
      : `${r.symbol} has trade history, so it is kept as inactive; its ${r.candles.toLocaleString('en-US')} candle(s) were deleted${extra ? `; ${extra}` : ''}`,
  );
}

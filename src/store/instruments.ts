/** Instrument rows <-> core specs. */
import { sql } from 'kysely';
import type { InstrumentSpec, InstrumentType } from '../core/instruments.ts';
import type { Price, Qty } from '../core/money.ts';
import { NotFoundError } from '../core/errors.ts';
import { param, type Store } from './db.ts';
import type { DataOrigin, InstrumentRow } from './schema.ts';
import { newId } from './ids.ts';

export interface Instrument extends InstrumentSpec {
  readonly id: string;
  /** Where its candles come from: the seeded generator, or imported real history. */
  readonly origin: DataOrigin;
  /** Imported history continued by the generator (`market advance --extend synthetic`) from this time. */
  readonly syntheticFrom: number | null;
}

export function instrumentFromRow(r: InstrumentRow): Instrument {
  return {
    id: r.id,
    symbol: r.symbol,
    name: r.name,
    type: r.instrument_type as InstrumentType,
    baseCurrency: r.base_currency,
    quoteCurrency: r.quote_currency,
    tickSize: r.tick_size as Price,
    contractSize: r.contract_size as Qty,
    baseSpread: r.base_spread,
    fundingRate: r.funding_rate,
    slippageFactor: r.slippage_factor,
    minSize: r.min_size as Qty,
    maxSize: r.max_size as Qty,
    isActive: r.is_active === 1,
    isTradeable: r.is_tradeable === 1,
    maxParticipation: r.max_participation,
    origin: r.data_origin,
    syntheticFrom: r.synthetic_from,
  };
}

export function insertInstrument(store: Store, spec: InstrumentSpec, nowIso: string, origin: DataOrigin = 'imported'): string {
  const id = newId();
  store.run(
    store.db.insertInto('instruments').values({
      id,
      symbol: spec.symbol,
      name: spec.name,
      instrument_type: spec.type,
      tick_size: spec.tickSize,
      contract_size: spec.contractSize,
      base_currency: spec.baseCurrency,
      quote_currency: spec.quoteCurrency,
      base_spread: spec.baseSpread,
      funding_rate: spec.fundingRate,
      slippage_factor: spec.slippageFactor,
      min_size: spec.minSize,
      max_size: spec.maxSize,
      is_active: spec.isActive ? 1 : 0,
      is_tradeable: spec.isTradeable ? 1 : 0,
      created_at: nowIso,
      updated_at: nowIso,
      data_origin: origin,
    }),
  );
  return id;
}

/** Set an instrument's participation cap (0 = none). */
export function setMaxParticipation(store: Store, id: string, share: number, nowIso: string): void {
  store.run(store.db.updateTable('instruments').set({ max_participation: share, updated_at: nowIso }).where('id', '=', id));
}

export function listInstruments(store: Store): Instrument[] {
  return store
    .hotStatement('instruments.all', (db) =>
      db
        .selectFrom('instruments')
        .selectAll()
        .orderBy('created_at')
        .orderBy(sql`rowid`),
    )
    .all()
    .map(instrumentFromRow);
}

export function instrumentById(store: Store, id: string): Instrument | undefined {
  const row = store
    .hotStatement('instruments.byId', (db) => db.selectFrom('instruments').selectAll().where('id', '=', param<string>()))
    .get(id);
  return row ? instrumentFromRow(row) : undefined;
}

export function findInstrument(store: Store, symbol: string): Instrument {
  const row = store
    .hotStatement('instruments.bySymbol', (db) => db.selectFrom('instruments').selectAll().where('symbol', '=', param<string>()))
    .get(symbol.toUpperCase());
  if (!row) {
    const known = listInstruments(store).map((i) => i.symbol);
    throw new NotFoundError('symbol', symbol, known.length ? `known symbols: ${known.join(', ')}` : 'run `tunicoin seed` first');
  }
  return instrumentFromRow(row);
}

export function instrumentExists(store: Store, symbol: string): boolean {
  return store.get(store.db.selectFrom('instruments').select('id').where('symbol', '=', symbol)) !== undefined;
}

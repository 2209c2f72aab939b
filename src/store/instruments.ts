/** Instrument rows <-> core specs. */
import type { InstrumentSpec, InstrumentType } from '../core/instruments.ts';
import type { Price, Qty } from '../core/money.ts';
import { NotFoundError } from '../core/errors.ts';
import type { Store } from './db.ts';
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
    id: r.id, symbol: r.symbol, name: r.name, type: r.instrument_type as InstrumentType,
    baseCurrency: r.base_currency, quoteCurrency: r.quote_currency,
    tickSize: r.tick_size as Price, contractSize: r.contract_size as Qty,
    baseSpread: r.base_spread, fundingRate: r.funding_rate, slippageFactor: r.slippage_factor,
    minSize: r.min_size as Qty, maxSize: r.max_size as Qty,
    isActive: r.is_active === 1, isTradeable: r.is_tradeable === 1, maxParticipation: r.max_participation,
    origin: r.data_origin, syntheticFrom: r.synthetic_from,
  };
}

export function insertInstrument(store: Store, spec: InstrumentSpec, nowIso: string, origin: DataOrigin = 'imported'): string {
  const id = newId();
  store.prepare(`INSERT INTO instruments (id, symbol, name, instrument_type, tick_size, contract_size, base_currency, quote_currency,
      base_spread, funding_rate, slippage_factor, min_size, max_size, is_active, is_tradeable, created_at, updated_at, data_origin)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(id, spec.symbol, spec.name, spec.type, spec.tickSize,
    spec.contractSize, spec.baseCurrency, spec.quoteCurrency, spec.baseSpread, spec.fundingRate, spec.slippageFactor,
    spec.minSize, spec.maxSize, spec.isActive ? 1 : 0, spec.isTradeable ? 1 : 0, nowIso, nowIso, origin);
  return id;
}

/** Set an instrument's participation cap (0 = none). */
export function setMaxParticipation(store: Store, id: string, share: number, nowIso: string): void {
  store.prepare('UPDATE instruments SET max_participation = ?, updated_at = ? WHERE id = ?').run(share, nowIso, id);
}

export function listInstruments(store: Store): Instrument[] {
  return (store.prepare('SELECT * FROM instruments ORDER BY created_at, rowid').all() as InstrumentRow[]).map(instrumentFromRow);
}

export function instrumentById(store: Store, id: string): Instrument | undefined {
  const row = store.prepare('SELECT * FROM instruments WHERE id = ?').get(id) as InstrumentRow | undefined;
  return row ? instrumentFromRow(row) : undefined;
}

export function findInstrument(store: Store, symbol: string): Instrument {
  const row = store.prepare('SELECT * FROM instruments WHERE symbol = ?').get(symbol.toUpperCase()) as InstrumentRow | undefined;
  if (!row) {
    const known = listInstruments(store).map((i) => i.symbol);
    throw new NotFoundError('symbol', symbol, known.length ? `known symbols: ${known.join(', ')}` : 'run `tunicoin seed` first');
  }
  return instrumentFromRow(row);
}

export function instrumentExists(store: Store, symbol: string): boolean {
  return store.prepare('SELECT 1 FROM instruments WHERE symbol = ?').get(symbol) !== undefined;
}

/** The simulation clock, persisted in settings. It only moves forward. */
import { ConflictError } from '../core/errors.ts';
import type { Store } from './db.ts';
import { getSetting, setSetting } from './settings.ts';

export function readClock(store: Store): number {
  const v = getSetting(store, 'clock');
  if (v === undefined)
    throw new ConflictError('the market has no clock yet', 'run `tunicoin seed`, or `tunicoin clock set ISO` to replay imported history');
  return Number(v);
}

export function writeClock(store: Store, t: number): void {
  const current = getSetting(store, 'clock');
  if (current !== undefined && t < Number(current)) throw new ConflictError('the simulation clock cannot move backwards');
  setSetting(store, 'clock', String(t));
}

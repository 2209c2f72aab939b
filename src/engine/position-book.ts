/**
 * An account's open positions by instrument id, as the engine keeps them (EngineAccount.positions):
 * the part of a Map the engine uses (get, has, set, delete, size, values), in two arrays.
 *
 * Why not a Map: an account holds a handful of positions, and a backtest opens and closes one
 * tens of thousands of times. V8 shrinks a Map's table in a runtime call (a new table each time)
 * when a delete leaves it under half full, which a one-entry Map is after every close: a
 * microsecond per round trip. Here a close moves the later entries down a place and an open
 * writes a slot already there; nothing is allocated once the arrays have their length.
 *
 * Same behaviour as a Map for everything the engine does with it: insertion order, and `set`
 * on a present id replaces its position in place.
 */
import type { EnginePosition } from './state.ts';

export class PositionBook {
  /** Instrument ids [0, n), in insertion order; the slots past n are spare. */
  readonly #ids: string[] = [];
  readonly #positions: Array<EnginePosition | null> = [];
  #n = 0;

  get size(): number {
    return this.#n;
  }

  /** The slot of `id`, or -1. */
  #find(id: string): number {
    const ids = this.#ids;
    for (let k = 0; k < this.#n; k++) if (ids[k] === id) return k;
    return -1;
  }

  get(id: string): EnginePosition | undefined {
    const k = this.#find(id);
    return k < 0 ? undefined : (this.#positions[k] as EnginePosition);
  }

  has(id: string): boolean {
    return this.#find(id) >= 0;
  }

  set(id: string, p: EnginePosition): this {
    const k = this.#find(id);
    if (k >= 0) {
      this.#positions[k] = p;
      return this;
    }
    const n = this.#n;
    if (n < this.#ids.length) {
      this.#ids[n] = id;
      this.#positions[n] = p;
    } else {
      this.#ids.push(id);
      this.#positions.push(p);
    }
    this.#n = n + 1;
    return this;
  }

  delete(id: string): boolean {
    const k = this.#find(id);
    if (k < 0) return false;
    const ids = this.#ids;
    const ps = this.#positions;
    const n = this.#n - 1;
    // the later ones move down a place; the last slot is kept (cleared), not popped
    for (let j = k; j < n; j++) {
      ids[j] = ids[j + 1] as string;
      ps[j] = ps[j + 1] as EnginePosition | null;
    }
    ids[n] = '';
    ps[n] = null;
    this.#n = n;
    return true;
  }

  /**
   * The positions in insertion order. Live for entries added or deleted after the one last given
   * (as a Map's iterator); deleting that one or an earlier one while iterating would skip an entry,
   * which the engine never does (a liquidation closes positions from a copy of the list).
   */
  *values(): Generator<EnginePosition, void, unknown> {
    for (let k = 0; k < this.#n; k++) yield this.#positions[k] as EnginePosition;
  }
}

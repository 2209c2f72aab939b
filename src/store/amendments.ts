/** History of `order amend` and `position set`: what changed, from what, at which clock. */
import type { Store } from './db.ts';
import { newId } from './ids.ts';

export interface AmendmentRow {
  id: string; account_id: string; order_id: string | null; position_id: string | null;
  before: string; after: string; clock_at: string; created_at: string;
}

export function insertAmendment(store: Store, a: { accountId: string; orderId?: string | null; positionId?: string | null; before: object; after: object; clockIso: string; nowIso: string }): void {
  store.prepare('INSERT INTO amendments (id, account_id, order_id, position_id, before, after, clock_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(newId(), a.accountId, a.orderId ?? null, a.positionId ?? null, JSON.stringify(a.before), JSON.stringify(a.after), a.clockIso, a.nowIso);
}

export function amendmentsOf(store: Store, ref: { orderId?: string; positionId?: string }): AmendmentRow[] {
  if (ref.orderId) return store.prepare('SELECT * FROM amendments WHERE order_id = ? ORDER BY rowid').all(ref.orderId) as AmendmentRow[];
  return store.prepare('SELECT * FROM amendments WHERE position_id = ? ORDER BY rowid').all(ref.positionId ?? '') as AmendmentRow[];
}

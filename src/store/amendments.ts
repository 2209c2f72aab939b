/** History of `order amend` and `position set`: what changed, from what, at which clock. */
import { sql, type Selectable } from 'kysely';
import type { Store } from './db.ts';
import { newId } from './ids.ts';

import type { AmendmentsTable } from './schema.ts';

export type AmendmentRow = Selectable<AmendmentsTable>;

export function insertAmendment(
  store: Store,
  a: {
    accountId: string;
    orderId?: string | null;
    positionId?: string | null;
    before: object;
    after: object;
    clockIso: string;
    nowIso: string;
  },
): void {
  store.run(
    store.db.insertInto('amendments').values({
      id: newId(),
      account_id: a.accountId,
      order_id: a.orderId ?? null,
      position_id: a.positionId ?? null,
      before: JSON.stringify(a.before),
      after: JSON.stringify(a.after),
      clock_at: a.clockIso,
      created_at: a.nowIso,
    }),
  );
}

export function amendmentsOf(store: Store, ref: { orderId?: string; positionId?: string }): AmendmentRow[] {
  const q = store.db
    .selectFrom('amendments')
    .selectAll()
    .orderBy(sql`rowid`);
  return store.all(ref.orderId ? q.where('order_id', '=', ref.orderId) : q.where('position_id', '=', ref.positionId ?? ''));
}

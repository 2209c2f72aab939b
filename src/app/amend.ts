/**
 * Amending what is already working: a resting order's limit, stop or size (`order amend`) and an
 * open position's stop-loss, take-profit or trailing stop (`position set`). One write
 * transaction, no ledger journal (nothing is paid), and the old and new values kept in the
 * `amendments` history.
 */
import { ConflictError, RejectedError } from '../core/errors.ts';
import type { Rejection } from '../core/orders.ts';
import type { Price } from '../core/money.ts';
import type { Trail } from '../core/trail.ts';
import { formatTrail } from '../core/trail.ts';
import { toIso } from '../core/time.ts';
import type { ExitChange, OrderAmendment } from '../engine/engine.ts';
import { insertAmendment } from '../store/amendments.ts';
import type { Store } from '../store/db.ts';
import { orderFromRow } from './engine-store.ts';
import { findOrder } from '../store/orders.ts';
import { withPaper } from './paper.ts';

/** An amendment the order rules refuse: nothing is written (exit 5, like a rejected order). */
export class AmendRejectedError extends RejectedError {
  constructor(rejection: Rejection) {
    super(rejection.code, `amendment refused: ${rejection.reason}`);
    this.name = 'AmendRejectedError';
  }
}

export function amendOrder(store: Store, wallNow: () => number, idPrefix: string, change: OrderAmendment): string {
  const found = findOrder(store, idPrefix);
  if (found.status !== 'pending' && found.status !== 'partial')
    throw new ConflictError(`order ${found.id.slice(0, 8)} is ${found.status}; only working orders can be amended`);
  withPaper(
    store,
    wallNow,
    (s) => {
      const order = s.state.orders.find((o) => o.id === found.id) ?? orderFromRow(found);
      const before = { price: order.price, stopPrice: order.stopPrice, size: order.size };
      const rejection = s.engine.amendOrder(order, change);
      if (rejection) throw new AmendRejectedError(rejection);
      insertAmendment(store, {
        accountId: order.accountId,
        orderId: order.id,
        before,
        after: { price: order.price, stopPrice: order.stopPrice, size: order.size },
        clockIso: toIso(s.clock),
        nowIso: toIso(wallNow()),
      });
    },
    { accountIds: [found.account_id], instrumentIds: [found.instrument_id] },
  );
  return found.id;
}

const exitsOf = (p: { stopLoss: Price | null; takeProfit: Price | null; trail: Trail | null }) => ({
  stopLoss: p.stopLoss,
  takeProfit: p.takeProfit,
  trail: p.trail ? formatTrail(p.trail) : null,
});

export function setPositionExits(
  store: Store,
  wallNow: () => number,
  accountId: string,
  instrumentId: string,
  symbol: string,
  change: ExitChange,
): string {
  return withPaper(
    store,
    wallNow,
    (s) => {
      const pos = s.engine.account(accountId).positions.get(instrumentId);
      if (!pos) throw new ConflictError(`no open ${symbol} position on this account`);
      const before = exitsOf(pos);
      const rejection = s.engine.setExits(pos, change);
      if (rejection) throw new AmendRejectedError(rejection);
      insertAmendment(store, {
        accountId,
        positionId: pos.id,
        before,
        after: exitsOf(pos),
        clockIso: toIso(s.clock),
        nowIso: toIso(wallNow()),
      });
      return pos.id;
    },
    { accountIds: [accountId], instrumentIds: [instrumentId] },
  );
}

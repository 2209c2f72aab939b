/**
 * What of a market advance the acting user may see: the fills, funding and bot decisions of
 * their own accounts and bots. Advancing the shared market needs no login; without one, on a
 * database of several users, only the market-wide figures (bars, candles generated) are shown.
 */
import { TunicoinError } from '../core/errors.ts';
import { scopeUserId } from '../store/actor.ts';
import { ownedAccountIds } from '../store/accounts.ts';
import type { Store } from '../store/db.ts';
import type { AdvanceSummary } from './advance.ts';

export function visibleSummary(store: Store, summary: AdvanceSummary): AdvanceSummary {
  let uid: string | null;
  try {
    uid = scopeUserId(store);
  } catch (e) {
    if (!(e instanceof TunicoinError && e.kind === 'auth')) throw e;
    return { ...summary, fills: [], journals: [], decisions: [] };
  }
  if (uid === null) return summary;
  const { accounts, bots } = ownedAccountIds(store, uid);
  return {
    ...summary,
    fills: summary.fills.filter((o) => accounts.has(o.accountId)),
    journals: summary.journals.filter((j) => accounts.has(j.accountId)),
    decisions: summary.decisions.filter((d) => bots.has(d.botId)),
  };
}

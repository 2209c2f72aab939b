/**
 * Cleaning up market data and moving the clock for a replay:
 * - `candles delete SYMBOL [--from] [--to]`: refused while an open position or a working order
 *   needs the instrument's price, or for a synthetic instrument inside the seeded history
 *   (the generator would not recreate it: that would leave a hole).
 * - `instruments remove SYMBOL`: refused while working orders, open positions or bots use it;
 *   `force` cancels the orders and deletes the bots (never an open position: close it first).
 *   An instrument with trade history keeps its row (orders and ledger postings refer to it) but
 *   loses its candles and becomes inactive.
 * - `clock set ISO`: market replay of imported history. Only for a database whose instruments
 *   are all imported, and only to a time after which nothing happened (no order, fill, ledger
 *   journal or bot decision), so history is never rewritten.
 */
import { ConflictError, UsageError } from '../core/errors.ts';
import { toIso } from '../core/time.ts';
import { baseTimeframe } from '../store/candles.ts';
import { getSetting, setSetting } from '../store/settings.ts';
import type { Store } from '../store/db.ts';
import { findInstrument, listInstruments } from '../store/instruments.ts';
import {
  activityAfter,
  cancelPendingOrders,
  candleSpan,
  countCandlesIn,
  deleteBotsAndBacktests,
  deleteCandles,
  deleteInstrumentRow,
  instrumentUse,
  retireInstrument,
} from '../store/market-data.ts';

export interface DeleteCandlesReport {
  readonly symbol: string;
  readonly deleted: number;
  readonly from: string | null;
  readonly to: string | null;
}

export function deleteCandleRange(store: Store, symbol: string, from: number | undefined, to: number | undefined): DeleteCandlesReport {
  if (from !== undefined && to !== undefined && from > to) throw new UsageError(`--from ${toIso(from)} is after --to ${toIso(to)}`);
  return store.tx(() => {
    const inst = findInstrument(store, symbol);
    const use = instrumentUse(store, inst.id);
    if (use.openPositions || use.pendingOrders) {
      throw new ConflictError(
        `${inst.symbol} has ${use.openPositions} open position(s) and ${use.pendingOrders} working order(s) that need its prices; nothing deleted`,
        `close them first (\`tunicoin close ${inst.symbol}\`, \`tunicoin order cancel ID\`)`,
      );
    }
    if (inst.origin === 'synthetic' && (from !== undefined || to !== undefined)) {
      throw new ConflictError(
        `${inst.symbol} is synthetic: deleting a range would leave a hole the generator never fills; nothing deleted`,
        `delete all of its candles (\`tunicoin candles delete ${inst.symbol}\`) or remove it (\`tunicoin instruments remove ${inst.symbol}\`)`,
      );
    }
    const n = countCandlesIn(store, inst.id, from, to);
    if (n === 0)
      throw new ConflictError(
        `${inst.symbol} has no candles${from !== undefined || to !== undefined ? ' in that range' : ''}; nothing deleted`,
      );
    const deleted = deleteCandles(store, inst.id, from, to);
    return { symbol: inst.symbol, deleted, from: from === undefined ? null : toIso(from), to: to === undefined ? null : toIso(to) };
  });
}

export interface RemoveReport {
  readonly symbol: string;
  readonly removed: boolean;
  readonly retired: boolean;
  readonly candles: number;
  readonly canceledOrders: number;
  readonly bots: number;
  readonly backtests: number;
}

/** What blocks a removal without --force, in words; null when nothing does. */
export function removalBlockers(store: Store, symbol: string): string | null {
  const inst = findInstrument(store, symbol);
  const use = instrumentUse(store, inst.id);
  const parts = [use.pendingOrders ? `${use.pendingOrders} working order(s)` : '', use.bots ? `${use.bots} bot(s)` : ''].filter(Boolean);
  return parts.length ? parts.join(' and ') : null;
}

export function removeInstrument(store: Store, symbol: string, force: boolean, nowIso: string): RemoveReport {
  return store.tx(() => {
    const inst = findInstrument(store, symbol);
    const use = instrumentUse(store, inst.id);
    if (use.openPositions) {
      throw new ConflictError(
        `${inst.symbol} has ${use.openPositions} open position(s); nothing removed`,
        `close them first: tunicoin close ${inst.symbol}`,
      );
    }
    if ((use.pendingOrders || use.bots) && !force) {
      throw new ConflictError(
        `${inst.symbol} is used by ${removalBlockers(store, inst.symbol)}; nothing removed`,
        'cancel/delete them first, or pass --force to cancel the orders and delete the bots',
      );
    }
    const candles = countCandlesIn(store, inst.id);
    const canceledOrders = force ? cancelPendingOrders(store, inst.id, nowIso) : 0;
    const gone = deleteBotsAndBacktests(store, inst.id);
    const history = use.pastOrders + use.closedPositions + canceledOrders > 0;
    if (history) retireInstrument(store, inst.id, nowIso);
    else deleteInstrumentRow(store, inst.id);
    return {
      symbol: inst.symbol,
      removed: !history,
      retired: history,
      candles,
      canceledOrders,
      bots: gone.bots,
      backtests: gone.backtests,
    };
  });
}

export interface ClockSetReport {
  readonly from: string | null;
  readonly to: string;
  readonly instruments: Array<{ symbol: string; first: string; last: string }>;
}

export function setClock(store: Store, t: number): ClockSetReport {
  return store.tx(() => {
    const insts = listInstruments(store);
    const synthetic = insts.filter((i) => i.origin === 'synthetic' || i.syntheticFrom !== null);
    if (synthetic.length) {
      const pure = synthetic.filter((i) => i.origin === 'synthetic').map((i) => i.symbol);
      const extended = synthetic
        .filter((i) => i.origin !== 'synthetic')
        .map((i) => `${i.symbol} continues synthetically from ${toIso(i.syntheticFrom ?? 0).slice(0, 10)}`);
      const what = [pure.length ? `${pure.join(', ')} ${pure.length > 1 ? 'are' : 'is'} synthetic` : '', ...extended]
        .filter(Boolean)
        .join('; ');
      throw new ConflictError(
        `clock set replays imported history; ${what} (the clock only moves forward with \`market advance\`)`,
        'use a database with imported instruments only (`tunicoin --db replay.db instruments add ...`), or `tunicoin instruments remove SYMBOL`',
      );
    }
    const withData = insts
      .map((i) => {
        const base = baseTimeframe(store, i.id);
        return { i, b: base ? candleSpan(store, i.id, base) : undefined };
      })
      .filter((x) => x.b !== undefined);
    if (withData.length === 0)
      throw new ConflictError(
        'there is no imported history to replay',
        'import candles first: tunicoin import candles FILE.csv --symbol SYMBOL',
      );
    const act = activityAfter(store, t);
    if (act.first !== null) {
      const what = [
        act.orders ? `${act.orders} order(s)` : '',
        act.fills ? `${act.fills} fill(s)` : '',
        act.journals ? `${act.journals} ledger journal(s)` : '',
        act.decisions ? `${act.decisions} bot decision(s)` : '',
      ]
        .filter(Boolean)
        .join(', ');
      throw new ConflictError(
        `cannot set the clock to ${toIso(t)}: ${what} happened after it (the first at ${act.first}); history is never rewritten`,
        `set it to ${act.first} or later, or replay in a new database`,
      );
    }
    const before = getSetting(store, 'clock');
    setSetting(store, 'clock', String(t));
    return {
      from: before === undefined ? null : toIso(Number(before)),
      to: toIso(t),
      instruments: withData.map(({ i, b }) => ({ symbol: i.symbol, first: toIso(b?.first ?? 0), last: toIso(b?.last ?? 0) })),
    };
  });
}

/**
 * An in-memory sink: keeps every order, position and journal the engine reports, with running
 * balances, so tests and backtests can inspect exactly what paper trading would have written.
 */
import type { EntryType } from '../core/ledger.ts';
import { addMoney, type Money } from '../core/money.ts';
import type { EngineOrder, EnginePosition, EngineSink } from './state.ts';

export interface MemoryJournal {
  readonly accountId: string;
  readonly type: EntryType;
  readonly amount: Money;
  readonly balanceAfter: Money;
  readonly time: number;
  readonly orderId?: string;
  readonly positionId?: string;
  readonly description: string;
}

export class MemorySink implements EngineSink {
  readonly orders = new Map<string, EngineOrder>();
  readonly positions = new Map<string, EnginePosition>();
  readonly closed: EnginePosition[] = [];
  readonly journals: MemoryJournal[] = [];
  readonly balances = new Map<string, Money>();

  orderCreated(o: EngineOrder): void {
    this.orders.set(o.id, o);
  }
  orderUpdated(o: EngineOrder): void {
    this.orders.set(o.id, o);
  }
  positionOpened(p: EnginePosition): void {
    this.positions.set(p.id, p);
  }
  positionUpdated(p: EnginePosition): void {
    this.positions.set(p.id, p);
  }
  positionClosed(p: EnginePosition): void {
    this.positions.set(p.id, p);
    this.closed.push({ ...p });
  }
  journal(
    accountId: string,
    type: EntryType,
    amount: Money,
    time: number,
    refs: { orderId?: string; positionId?: string; description: string },
  ): void {
    const after = addMoney(this.balances.get(accountId) ?? (0 as Money), amount);
    this.balances.set(accountId, after);
    this.journals.push({ accountId, type, amount, balanceAfter: after, time, ...refs });
  }
}

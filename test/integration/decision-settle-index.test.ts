/**
 * Settling bot decisions (store/bot-decisions.ts) finds the decisions still waiting for their
 * order through migration 014's partial indexes, not by walking every decision ever taken: the
 * query plan of each settle statement searches its index by order id, and the indexes go and
 * come back with the migration.
 */
import { describe, expect, it, vi } from 'vitest';
import { settleFailedDecisions, settleFilledDecisions } from '../../src/store/bot-decisions.ts';
import { migrateDown, migrateUp } from '../../src/store/migrator.ts';
import type { SqliteStore } from '../../src/store/db.ts';
import { tempStore } from '../helpers/store.ts';

const INDEXES = ['ix_bot_decisions_unfilled', 'ix_bot_decisions_unsettled'];

/** The SQL and parameters of the statements `fn` runs, captured from the store's prepare. */
function statementsOf(store: SqliteStore, fn: () => void): string[] {
  const spy = vi.spyOn(store, 'prepare');
  try {
    fn();
    return spy.mock.calls.map((c) => c[0]);
  } finally {
    spy.mockRestore();
  }
}

function planOf(store: SqliteStore, sqlText: string, params: number): string {
  const rows = store.sqlite.prepare(`EXPLAIN QUERY PLAN ${sqlText}`).all(...Array<null>(params).fill(null)) as { detail: string }[];
  return rows.map((r) => r.detail).join(' | ');
}

const paramCount = (s: string) => (s.match(/\?/g) ?? []).length;

const indexNames = (store: SqliteStore) =>
  (
    store.sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'bot_decisions' AND name LIKE 'ix_bot_decisions_un%' ORDER BY name",
      )
      .all() as { name: string }[]
  ).map((r) => r.name);

describe('settling bot decisions', () => {
  it('searches the partial index of waiting decisions by order id in both settle statements', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const [filled, failed] = [() => settleFilledDecisions(store), () => settleFailedDecisions(store)].map((fn) => {
        const [sqlText] = statementsOf(store, fn);
        expect(sqlText).toMatch(/^update "bot_decisions"/i);
        return planOf(store, sqlText as string, paramCount(sqlText as string));
      });
      expect(filled).toMatch(/SEARCH bot_decisions USING (COVERING )?INDEX ix_bot_decisions_unfilled \(order_id=\?\)/);
      expect(failed).toMatch(/SEARCH bot_decisions USING (COVERING )?INDEX ix_bot_decisions_unsettled \(order_id=\?\)/);
      for (const plan of [filled, failed]) expect(plan).not.toMatch(/SCAN bot_decisions(?! USING)/);
    } finally {
      cleanup();
    }
  });

  it('gets the indexes from migration 014 and loses them when it is rolled back', async () => {
    const { store, cleanup } = await tempStore();
    try {
      expect(indexNames(store)).toEqual(INDEXES);
      await migrateDown(store, { to: '014_bot_decisions_unsettled' });
      expect(indexNames(store)).toEqual([]);
      await migrateUp(store);
      expect(indexNames(store)).toEqual(INDEXES);
    } finally {
      cleanup();
    }
  });
});

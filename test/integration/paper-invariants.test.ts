/**
 * Invariants under random use (fast-check): random orders, cancels, deposits, withdrawals and
 * clock advances on a real SQLite database, checking every invariant after every step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { TunicoinError } from '../../src/core/errors.ts';
import { parseMoney, type Money, type Price, type Qty } from '../../src/core/money.ts';
import { accountMarks, post } from '../../src/engine/accounting.ts';
import { advanceMarket, dryRun, withPaper } from '../../src/app/paper.ts';
import { openSqliteStore as openStore, type SqliteStore as Store } from '../../src/store/db.ts';
import { seedDatabase } from '../../src/app/seed.ts';
import { verifyLedger } from '../../src/store/verify.ts';
import { tempDir } from '../helpers/cli.ts';
import type { OrderType, Side } from '../../src/core/fill.ts';

let dir: ReturnType<typeof tempDir>;
let template: string;
let run = 0;

beforeAll(async () => {
  dir = tempDir('tunicoin-prop-');
  template = join(dir.dir, 'template.db');
  const s = await openStore(template);
  seedDatabase(s, {
    seed: 3,
    days: 1,
    end: Date.UTC(2026, 0, 10),
    instruments: SEED_INSTRUMENTS.filter((i) => ['BTC-USD', 'EURUSD'].includes(i.symbol)),
    reset: false,
    nowIso: '2026-01-10T00:00:00.000Z',
    demoPasswordHash: 'x',
  });
  s.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  s.close();
});
afterAll(() => dir.cleanup());

type Action =
  | { kind: 'order'; inst: 0 | 1; side: Side; type: OrderType; lots: number; offsetBp: number; leverage: number; withStops: boolean }
  | { kind: 'cancel'; pick: number }
  | { kind: 'deposit' | 'withdraw'; dollars: number }
  | { kind: 'advance'; minutes: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      inst: fc.constantFrom(0 as const, 1 as const),
      side: fc.constantFrom<Side>('buy', 'sell'),
      type: fc.constantFrom<OrderType>('market', 'limit', 'stop', 'stop_limit'),
      lots: fc.integer({ min: 1, max: 400 }),
      offsetBp: fc.integer({ min: -300, max: 300 }),
      leverage: fc.integer({ min: 1, max: 12 }),
      withStops: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constantFrom('deposit' as const, 'withdraw' as const), dollars: fc.integer({ min: 1, max: 20_000 }) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 1, max: 600 }) }) },
);

function checkInvariants(store: Store): void {
  const broken = verifyLedger(store).filter((c) => !c.ok);
  expect(broken).toEqual([]);
  dryRun(store, (engine) => {
    for (const acct of engine.state.accounts.values()) {
      const m = accountMarks(engine.state, acct);
      const row = store.sqlite
        .prepare('SELECT balance, equity, margin_used, margin_available FROM accounts WHERE id = ?')
        .get(acct.id) as Record<string, number>;
      expect(row.balance).toBe(acct.balance);
      expect(row.equity).toBe(m.equity); // equity = balance + unrealised PnL at the clock
      expect(row.margin_used).toBe(m.marginUsed);
      expect(row.margin_available).toBe(m.available);
      if (acct.positions.size > 0) expect(m.equity).toBeGreaterThanOrEqual(m.maintenance); // never left open below maintenance
    }
  });
}

function apply(store: Store, a: Action, accountId: string, instIds: string[]): void {
  withPaper(
    store,
    () => 0,
    (s) => {
      const acct = s.engine.account(accountId);
      if (a.kind === 'order') {
        const inst = s.engine.instrument(instIds[a.inst] as string);
        const mid = inst.bar!.close;
        const level = mid * (1 + a.offsetBp / 10_000);
        const tick = inst.spec.tickSize;
        const px = (x: number) => (Math.max(1, Math.round((x * 1e8) / tick)) * tick) as Price;
        const long = a.side === 'buy';
        const before = acct.positions.get(inst.id)?.size ?? 0;
        const o = s.engine.placeOrder({
          accountId,
          instrumentId: inst.id,
          side: a.side,
          type: a.type,
          size: (a.lots * inst.spec.minSize) as Qty,
          leverage: a.leverage,
          price: a.type === 'limit' || a.type === 'stop_limit' ? px(level) : null,
          stopPrice: a.type === 'stop' || a.type === 'stop_limit' ? px(level) : null,
          stopLoss: a.withStops ? px(mid * (long ? 0.97 : 1.03)) : null,
          takeProfit: a.withStops ? px(mid * (long ? 1.03 : 0.97)) : null,
          fillNow: true,
        });
        const after = acct.positions.get(inst.id)?.size ?? 0;
        // an accepted order that added exposure never leaves margin available negative (one that only
        // reduces is always accepted, even on an account already below its margin)
        if (o.status === 'filled' && (Math.abs(after) > Math.abs(before) || Math.sign(after) === -Math.sign(before))) {
          expect(accountMarks(s.state, acct).available).toBeGreaterThanOrEqual(0);
        }
      } else if (a.kind === 'cancel') {
        const open = s.state.orders.filter((o) => o.status === 'pending');
        if (open.length) s.engine.cancelOrder(open[a.pick % open.length]!);
      } else if (a.kind === 'deposit' || a.kind === 'withdraw') {
        const amount = parseMoney(String(a.dollars));
        if (a.kind === 'withdraw' && amount > Math.min(acct.balance, accountMarks(s.state, acct).available)) return;
        post(s.sink, acct, a.kind === 'deposit' ? 'deposit' : 'withdrawal', (a.kind === 'deposit' ? amount : -amount) as Money, s.clock, {
          description: a.kind,
        });
      } else if (a.kind === 'advance') {
        advanceMarket(store, s, a.minutes * 60_000);
      }
    },
  );
}

describe('paper trading invariants under random use', () => {
  it('hold after every step of random sessions', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 14 }), async (actions) => {
        const path = join(dir.dir, `run-${run++}.db`);
        copyFileSync(template, path);
        const store = await openStore(path);
        try {
          const accountId = (store.sqlite.prepare("SELECT id FROM accounts WHERE name = 'Demo Account'").get() as { id: string }).id;
          const instIds = ['BTC-USD', 'EURUSD'].map(
            (sym) => (store.sqlite.prepare('SELECT id FROM instruments WHERE symbol = ?').get(sym) as { id: string }).id,
          );
          for (const a of actions) {
            try {
              apply(store, a, accountId, instIds);
            } catch (e) {
              if (!(e instanceof TunicoinError)) throw e;
            }
            checkInvariants(store);
          }
        } finally {
          store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});

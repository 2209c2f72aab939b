/**
 * Differential (issue 16): the watch screen's use cases (app/watch.ts: orders, ticks, the
 * snapshot a frame is drawn from) on a SQLite file and on PostgreSQL give the same screen, as
 * test/integration/watch-screen.test.ts checks them on SQLite alone. The terminal loop itself
 * needs a TTY (test/e2e/watch-tmux.test.ts) and is the same code on both.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveAccountId } from '../../src/app/paper.ts';
import { placePaperOrder, readWatchSnapshot, watchTick } from '../../src/app/watch.ts';
import { parsePrice, parseQty } from '../../src/core/money.ts';
import { MINUTE_MS } from '../../src/core/time.ts';
import { Screen } from '../../src/cli/watch/screen.tsx';
import { buildView } from '../../src/cli/watch/view.ts';
import { layout } from '../../src/cli/watch/view-layout.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { listInstruments } from '../../src/store/instruments.ts';
import { runCli, tempDir } from '../helpers/cli.ts';
import { freshPgDatabase } from '../helpers/pg.ts';

const t = tempDir('tunicoin-diff-watch-');
const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const d of drops) await d();
  t.cleanup();
});

const wall = () => Date.UTC(2026, 0, 2);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Orders, two ticks and a frame on one database; ids replaced by their order of appearance. */
async function session(store: Store): Promise<{ snapshot: string; frame: string; ticks: string[] }> {
  const accountId = resolveAccountId(store, undefined);
  const [btc, eth] = ['BTC-USD', 'ETH-USD'].map((s) => listInstruments(store).find((i) => i.symbol === s));
  if (!btc || !eth) throw new Error('not seeded');
  const base = { accountId, source: 'manual' as const };
  placePaperOrder(store, wall, {
    ...base,
    instrumentId: btc.id,
    side: 'buy',
    type: 'market',
    size: parseQty('0.05'),
    stopLoss: parsePrice('30000'),
    fillNow: true,
  });
  placePaperOrder(store, wall, {
    ...base,
    instrumentId: eth.id,
    side: 'sell',
    type: 'market',
    size: parseQty('0.5'),
    leverage: 5,
    fillNow: true,
  });
  placePaperOrder(store, wall, {
    ...base,
    instrumentId: btc.id,
    side: 'buy',
    type: 'limit',
    size: parseQty('0.01'),
    price: parsePrice('30000'),
  });
  const ticks = [await watchTick(store, wall, 30 * MINUTE_MS), await watchTick(store, wall, 90 * MINUTE_MS)].map((r) => JSON.stringify(r));
  const instruments = listInstruments(store);
  const L = layout(120, 40);
  const snap = readWatchSnapshot(store, {
    accountId,
    instruments,
    focused: btc,
    timeframe: '1m',
    chartBars: L.chart.width - 14,
    sparkBars: 20,
  });
  const view = buildView(
    snap,
    { focus: 0, speed: 60, paused: false, form: null, help: false, selected: 0, log: [], stopped: null },
    { accountName: 'Demo Account', timeframe: '1m', color: false },
    120,
    40,
  );
  const r = render(createElement(Screen, { view }));
  const frame = r.lastFrame() ?? '';
  r.unmount();
  const ids: string[] = [];
  const norm = (s: string) =>
    s.replace(UUID, (u) => {
      if (!ids.includes(u)) ids.push(u);
      return `<id ${ids.indexOf(u)}>`;
    });
  const snapshot = norm(JSON.stringify(snap));
  // the frame shows orders by short id (a prefix of one seen in the snapshot)
  const shown = frame.replace(/\b[0-9a-f]{8}\b/g, (h) => {
    const i = ids.findIndex((u) => u.startsWith(h));
    return i < 0 ? h : `<${i}>`.padEnd(8);
  });
  return { snapshot, frame: shown, ticks: ticks.map(norm) };
}

describe('the watch screen on SQLite and on PostgreSQL', () => {
  it('the same orders and ticks give the same snapshot and the same frame', async () => {
    const seed = ['seed', '--days', '1', '--end', '2026-01-02T00:00:00Z', '--instruments', 'BTC-USD,ETH-USD'];
    mkdirSync(t.dir, { recursive: true });
    const file = join(t.dir, 'watch.db');
    const pg = await freshPgDatabase('watch');
    drops.push(pg.drop);
    for (const db of [file, pg.url]) expect((await runCli(seed, { db })).code).toBe(0);
    const results = [];
    for (const db of [file, pg.url]) {
      const store = await openStore(db);
      try {
        results.push(await session(store));
      } finally {
        store.close();
      }
    }
    const [lite, onPg] = results;
    expect(lite?.ticks[0]).toMatch(/"status":"advanced"/);
    expect(lite?.frame).toMatch(/BTC-USD/);
    expect(onPg).toEqual(lite);
  });
});

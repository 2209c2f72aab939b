/**
 * The HTML reports in a real browser (Debian's headless Chromium via playwright-core): each
 * kind loads with no console error and no network request, its charts draw pixels, the trade
 * markers match the trades, the metrics match `--json`, the tables sort and filter, and the
 * bad cases (no trades, failed, canceled) say so instead of showing a blank page.
 * Without Chromium these tests fail, saying how to install it (test/helpers/browser.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { json, runCli, seededTemplate, tempDir } from '../helpers/cli.ts';
import { drawnPixels, inPage, launch, openReport, type Opened, type Session } from '../helpers/browser.ts';

const END = '2026-01-01T00:00:00Z';
let t: ReturnType<typeof tempDir>;
let db: string;
let session: Session;
let bt: { id: string; metrics: Record<string, unknown>; trades: Array<Record<string, unknown>> };
const file = (name: string) => join(t.dir, name);
const cli = async (...args: string[]) => {
  const r = await runCli(args, { db });
  if (r.code !== 0) throw new Error(`tunicoin ${args.join(' ')} -> ${r.code}: ${r.stderr}`);
  return r;
};
const sql = (text: string, ...args: unknown[]) => {
  const s = new BetterSqlite3(db);
  try {
    const st = s.prepare(text);
    return (st.reader ? st.all(...args) : (st.run(...args), [])) as Array<Record<string, unknown>>;
  } finally {
    s.close();
  }
};

beforeAll(async () => {
  session = await launch(); // fails here, with how to install it, when there is no Chromium
  t = tempDir();
  db = file('t.db');
  copyFileSync(await seededTemplate(t.dir, ['--days', '12', '--end', END, '--instruments', 'BTC-USD']), db);
  bt = json(await cli('backtest', 'macd', '--json', '--report', file('bt.html')));
});
afterAll(async () => {
  await session?.close();
  t?.cleanup();
});

/** The page is clean: no console error, no request, no error banner from the page script. */
async function clean(o: Opened): Promise<void> {
  expect(o.errors).toEqual([]);
  expect(o.requests).toEqual([]);
  expect(await inPage(o.page, 'window.tunicoinReport.errors')).toEqual([]);
}

async function columnNumbers(o: Opened, table: string, key: string): Promise<number[]> {
  return inPage(
    o.page,
    `(() => { const t = document.querySelector(${JSON.stringify(table)}); const k = [...t.tHead.rows[0].cells].findIndex((c) => c.dataset.key === ${JSON.stringify(key)});
    return [...t.tBodies[0].rows].filter((r) => !r.classList.contains('hidden')).map((r) => Number(r.cells[k].dataset.sort)); })()`,
  );
}

describe('backtest report', () => {
  let o: Opened;
  beforeAll(async () => {
    o = await openReport(session, file('bt.html'));
  });

  it('loads offline with no error and draws its chart', async () => {
    await clean(o);
    const px = await drawnPixels(o.page);
    expect(Object.keys(px)).toEqual(['chart-price']);
    expect(px['chart-price']).toBeGreaterThan(5000);
    // candles, the MACD pane, equity vs buy & hold, drawdown
    expect(await inPage<number[]>(o.page, 'window.tunicoinReport.charts.price.paneHeights()')).toHaveLength(4);
  });

  it('draws one entry and one exit marker per trade', async () => {
    expect(bt.trades.length).toBeGreaterThan(3);
    expect(await inPage(o.page, "window.tunicoinReport.charts.price.markersOf('entry')")).toBe(bt.trades.length);
    expect(await inPage(o.page, "window.tunicoinReport.charts.price.markersOf('exit')")).toBe(bt.trades.length);
    expect(await o.page.locator('#table-trades tbody tr').count()).toBe(bt.trades.length);
  });

  it('shows the metrics of `backtest --json`, exactly', async () => {
    const shown = await inPage<Record<string, string>>(
      o.page,
      `Object.fromEntries([...document.querySelectorAll('#metrics-metrics tbody tr')].map((r) => [r.dataset.key, r.cells[1].dataset.value]))`,
    );
    // every scalar metric, exactly (the monthly returns are a table of their own: `backtests show --monthly`)
    const scalars = Object.entries(bt.metrics).filter(([, v]) => v === null || typeof v !== 'object');
    for (const [k, v] of scalars) expect(JSON.parse(shown[k] as string), k).toEqual(v);
    expect(Object.keys(shown).sort()).toEqual(scalars.map(([k]) => k).sort());
  });

  it('states the run in its header', async () => {
    const facts = await o.page.locator('.facts').innerText();
    for (const s of ['macd', 'fast=12', 'slow=26', 'BTC-USD', '1h', '$10,000.00', 'taker 0.05%']) expect(facts).toContain(s);
  });

  it('sorts the trade table by a column, both ways', async () => {
    const pnl = bt.trades.map((x) => Number(x.pnl));
    await o.page.click('#table-trades th[data-key="pnl"]');
    expect(await columnNumbers(o, '#table-trades', 'pnl')).toEqual([...pnl].sort((a, b) => a - b));
    await o.page.click('#table-trades th[data-key="pnl"]');
    expect(await columnNumbers(o, '#table-trades', 'pnl')).toEqual([...pnl].sort((a, b) => b - a));
    await o.page.click('#table-trades th[data-key="n"]');
    expect(await columnNumbers(o, '#table-trades', 'n')).toEqual(bt.trades.map((_x, k) => k + 1));
  });

  it('shows a trade on hover: time, price, size, reason', async () => {
    const first = bt.trades[0] as Record<string, unknown>;
    const chart = o.page.locator('#chart-price');
    await chart.scrollIntoViewIfNeeded();
    const box = await chart.boundingBox();
    const x = await inPage<number>(o.page, `window.tunicoinReport.charts.price.xOf(${Date.parse(String(first.entry_time))})`);
    await o.page.mouse.move((box?.x ?? 0) + x, (box?.y ?? 0) + 150);
    const text = await o.page.locator('#legend-price').innerText();
    expect(text).toContain('#1 long entry');
    expect(text).toContain(`size ${String(first.size)}`);
    expect(text).toContain(String(first.entry_reason));
  });
});

describe('reports that say what is wrong instead of a blank page', () => {
  it('a run with no trades', async () => {
    const r = json<{ id: string; trades: unknown[] }>(
      await cli('backtest', 'sma_crossover', '--timeframe', '1d', '--param', 'fast=2', '--param', 'slow=50', '--json'),
    );
    expect(r.trades).toEqual([]);
    await cli('report', 'backtest', r.id, '-o', file('none.html'));
    const o = await openReport(session, file('none.html'));
    await clean(o);
    expect(await o.page.locator('.banner').allInnerTexts()).toContainEqual(expect.stringContaining('made no trades'));
    expect(await o.page.locator('#section-trades .empty').innerText()).toBe('No trades.');
    expect(await inPage(o.page, 'window.tunicoinReport.charts.price.markers()')).toBe(0);
    expect((await drawnPixels(o.page))['chart-price']).toBeGreaterThan(1000);
  });

  for (const [status, message, expected] of [
    ['failed', 'strategy threw: boom', 'failed: strategy threw: boom'],
    ['canceled', 'canceled by the user', 'canceled at 40%'],
  ] as const) {
    it(`a ${status} run`, async () => {
      const r = json<{ id: string }>(await cli('backtest', 'ema_crossover', '--json'));
      sql('UPDATE backtests SET status = ?, error_message = ?, metrics = NULL, progress = 0.4 WHERE id = ?', status, message, r.id);
      await cli('report', 'backtest', r.id.slice(0, 8), '-o', file(`${status}.html`));
      const o = await openReport(session, file(`${status}.html`));
      await clean(o);
      expect(await o.page.locator('.banner').first().innerText()).toContain(expected);
      expect(await o.page.locator('h1').innerText()).toContain('ema_crossover');
      expect(await o.page.locator('#section-metrics .empty').innerText()).toContain(`the run is ${status}`);
      expect((await drawnPixels(o.page))['chart-price']).toBeGreaterThan(1000); // what exists: the candles of its period
    });
  }
});

describe('bot, account, compare and optimize reports', () => {
  beforeAll(async () => {
    await cli('bot', 'create', 'trend', '--strategy', 'ema_crossover', '--symbol', 'BTC-USD', '--param', 'fast=5', '--param', 'slow=20');
    await cli('bot', 'run', 'trend', '--for', '3d');
  });

  it('bot: fills on the candles, a filterable decision log, equity and drawdown', async () => {
    await cli('report', 'bot', 'trend', '-o', file('bot.html'));
    const o = await openReport(session, file('bot.html'));
    await clean(o);
    const [{ id }] = sql("SELECT id FROM bots WHERE name = 'trend'") as [{ id: string }];
    const fills = sql("SELECT COUNT(*) AS n FROM orders WHERE bot_id = ? AND status = 'filled'", id)[0]?.n as number;
    const decisions = sql('SELECT decision FROM bot_decisions WHERE bot_id = ?', id).map((d) => d.decision as string);
    expect(fills).toBeGreaterThan(0);
    expect(await inPage(o.page, 'window.tunicoinReport.charts.price.markers()')).toBe(fills);
    expect((await drawnPixels(o.page))['chart-price']).toBeGreaterThan(5000);
    expect(await o.page.locator('#table-decisions tbody tr').count()).toBe(decisions.length);
    await o.page.selectOption('#section-decisions select.filter-column', 'buy');
    const shown = await inPage<string[]>(
      o.page,
      `[...document.querySelectorAll('#table-decisions tbody tr:not(.hidden)')].map((r) => r.cells[1].textContent)`,
    );
    expect(shown).toEqual(decisions.filter((d) => d === 'buy'));
    await o.page.fill('#section-decisions input.filter-text', 'no such text at all');
    expect(await o.page.locator('#table-decisions tbody tr:not(.hidden)').count()).toBe(0);
  });

  it('account: equity, balance and margin over time, positions, orders', async () => {
    await cli('report', 'account', '-o', file('account.html'));
    const o = await openReport(session, file('account.html'));
    await clean(o);
    expect((await drawnPixels(o.page))['chart-equity']).toBeGreaterThan(1000);
    expect(await o.page.locator('#legend-equity').innerText()).toMatch(/equity[\s\S]*balance[\s\S]*margin used/);
    expect(await o.page.locator('#table-orders tbody tr').count()).toBeGreaterThan(0);
  });

  it('compare: curves and metrics side by side', async () => {
    const second = json<{ id: string; metrics: Record<string, unknown> }>(
      await cli('backtest', 'ema_crossover', '--param', 'fast=5', '--param', 'slow=20', '--json'),
    );
    await cli('report', 'compare', bt.id.slice(0, 6), second.id.slice(0, 6), '-o', file('compare.html'));
    const o = await openReport(session, file('compare.html'));
    await clean(o);
    expect((await drawnPixels(o.page))['chart-equity']).toBeGreaterThan(1000);
    expect(await inPage(o.page, 'window.tunicoinReport.charts.equity.series')).toBe(2);
    const ret = await inPage<string[]>(
      o.page,
      `[...document.querySelectorAll('#metrics-metrics tr[data-key="returnPct"] td')].map((c) => c.dataset.value)`,
    );
    expect(ret.map(Number)).toEqual([bt.metrics.returnPct, second.metrics.returnPct]);
  });

  it('optimize --report: heat map, top curves, every result', async () => {
    const r = await runCli(
      [
        'optimize',
        'ema_crossover',
        '--grid',
        'fast=5:15:5',
        '--grid',
        'slow=20:40:10',
        '--workers',
        '1',
        '--json',
        '--report',
        file('sweep.html'),
      ],
      { db },
    );
    expect(r.code, r.stderr).toBe(0);
    const sweep = json<{ results: Array<{ params: Record<string, number>; metrics: { sharpe: number } }> }>(r);
    const o = await openReport(session, file('sweep.html'));
    await clean(o);
    expect(await o.page.locator('#heatmap-heatmap td[data-value]').count()).toBe(sweep.results.length);
    const best = sweep.results[0] as (typeof sweep.results)[number];
    const cell = await inPage<string>(
      o.page,
      `(() => { const t = document.querySelector('#heatmap-heatmap'); const xs = [...t.tHead.rows[0].cells].map((c) => c.textContent);
      const row = [...t.tBodies[0].rows].find((r) => r.cells[0].textContent === '${best.params.slow}'); return row.cells[xs.indexOf('${best.params.fast}')].dataset.value; })()`,
    );
    expect(Number(cell)).toBe(best.metrics.sharpe);
    expect(await inPage(o.page, 'window.tunicoinReport.charts.equity.series')).toBe(Math.min(5, sweep.results.length));
    expect(await o.page.locator('#table-results tbody tr').count()).toBe(sweep.results.length);
  });
});

describe('the file itself', () => {
  it("inlines everything, with the charting library's licence notice", () => {
    const html = readFileSync(file('bt.html'), 'utf8');
    expect(html).toContain('TradingView Lightweight Charts™ v');
    expect(html).toContain('Apache License');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
  });
});

/**
 * Long histories in the browser: a price chart of 200,000 candles gives the chart an overview
 * of at most a few thousand merged bars, keeps every trade marker, and shows every real candle
 * once zoomed in (the level of detail in src/report/page.js). Timings are in bench/report.bench.mjs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReportHtml } from '../../src/report/html.ts';
import type { Marker, ReportModel } from '../../src/report/model.ts';
import { tempDir } from '../helpers/cli.ts';
import { drawnPixels, inPage, launch, openReport, waitFor, type Opened, type Session } from '../helpers/browser.ts';

const N = 200_000;
let session: Session;
let t: ReturnType<typeof tempDir>;
let o: Opened;
const markers: Marker[] = [];

beforeAll(async () => {
  session = await launch();
  t = tempDir();
  const time = new Float64Array(N);
  const open = new Float64Array(N);
  const high = new Float64Array(N);
  const low = new Float64Array(N);
  const close = new Float64Array(N);
  const volume = new Float64Array(N);
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  let p = 50_000;
  for (let i = 0; i < N; i++) {
    time[i] = Date.UTC(2025, 0, 1) + i * 60_000;
    open[i] = p;
    p = Math.round(p * (1 + (rnd() - 0.5) * 0.002) * 100) / 100;
    close[i] = p;
    high[i] = Math.max(open[i] as number, p) + 1.5;
    low[i] = Math.min(open[i] as number, p) - 1.25;
    volume[i] = rnd() * 10;
  }
  for (let k = 0; k < 150; k++) {
    const i = 1000 + k * 1300;
    markers.push({
      time: time[i] as number,
      kind: 'entry',
      side: 'buy',
      price: open[i] as number,
      size: 0.1,
      reason: `cross ${k}`,
      label: `#${k + 1} long`,
    });
    markers.push({
      time: time[i + 500] as number,
      kind: 'exit',
      side: 'sell',
      price: open[i + 500] as number,
      size: 0.1,
      reason: 'exit',
      label: `#${k + 1} exit`,
    });
  }
  const equity = Float64Array.from(close, (c) => (10_000 * c) / 50_000);
  const model: ReportModel = {
    kind: 'backtest',
    title: 'long history',
    subtitle: '',
    generatedAt: '2026-01-01T00:00:00Z',
    banners: [],
    facts: [],
    sections: [
      {
        kind: 'price',
        id: 'price',
        title: 'price',
        symbol: 'TEST',
        timeframe: '1m',
        priceDecimals: 2,
        tick: 0.01,
        candles: { time, open, high, low, close, volume },
        overlays: [{ name: 'ema', values: close }],
        panes: [],
        markers,
        equity: { series: [{ name: 'strategy', values: equity }], drawdown: true },
      },
    ],
  };
  writeFileSync(join(t.dir, 'long.html'), renderReportHtml(model));
  o = await openReport(session, join(t.dir, 'long.html'));
});
afterAll(async () => {
  await session?.close();
  t?.cleanup();
});

const handle = (expr: string) => inPage<number>(o.page, `window.tunicoinReport.charts.price.${expr}`);

it('opens with a merged overview that keeps every marker', async () => {
  expect(o.errors).toEqual([]);
  expect(await handle('candles')).toBe(N);
  const step = await handle('overviewStep');
  expect(step).toBe(Math.ceil(N / 3000));
  expect(await handle('bars()')).toBe(Math.ceil(N / step));
  expect(await handle("markersOf('entry')")).toBe(150);
  expect(await handle("markersOf('exit')")).toBe(150);
  expect((await drawnPixels(o.page))['chart-price']).toBeGreaterThan(5000);
});

it('shows the real candles when zoomed in, and the overview again when zoomed out', async () => {
  await handle('zoomTo(100000, 100400)');
  await waitFor(o.page, 'window.tunicoinReport.charts.price.step() === 1');
  expect(await handle("markersOf('entry')")).toBe(150); // still every marker
  await waitFor(o.page, 'window.tunicoinReport.charts.price.step() === 1');
  await handle(`zoomTo(0, ${N})`);
  await waitFor(o.page, `window.tunicoinReport.charts.price.step() === ${Math.ceil(N / 3000)}`);
  expect(o.errors).toEqual([]);
});

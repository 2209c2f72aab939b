// HTML reports: a backtest over 1,000,000 1m candles at the 1m timeframe, end to end: writing
// the report (re-run, indicators, encoding) and opening it in headless Chromium until the page
// says it is drawn (target: under 3 s), then zooming into 1,000 real candles. Needs Debian's
// `chromium` (see test/helpers/browser.ts); skipped with a note when it is missing.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, fmt, median, report, timedNode, tmp } from './lib.mjs';

const CHROMIUM = process.env.TUNICOIN_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** CPU seconds (user + system) used so far by every Chromium process: the work, whatever the machine's load. */
function chromiumCpuMs() {
  const tick = 100; // USER_HZ on Linux
  let sum = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!/\((chromium|chrome)[^)]*\)/.test(stat)) continue;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      sum += Number(f[11]) + Number(f[12]);
    } catch {
      /* gone */
    }
  }
  return (sum * 1000) / tick;
}

async function until(page, expr, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(expr))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expr}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function run() {
  if (!existsSync(CHROMIUM)) {
    console.log(`\n## report: skipped (no Chromium at ${CHROMIUM}: apt-get install -y chromium)`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const t = tmp();
  const profile = mkdtempSync(join(tmpdir(), 'tunicoin-bench-chromium-'));
  try {
    const db = join(t.dir, 'b.db');
    timedNode([BIN, '--db', db, 'seed', '--instruments', 'BTC-USD', '--days', '695', '--end', '2026-01-01T00:00:00Z', '--json'], {
      rss: false,
    });
    const bt = JSON.parse(
      timedNode([BIN, '--db', db, 'backtest', 'ema_crossover', '--timeframe', '1m', '--size', '0.1', '--capital', '1000000', '--json'], {
        rss: false,
      }).stdout,
    );
    const file = join(t.dir, 'bt.html');
    const write = timedNode([BIN, '--db', db, 'report', 'backtest', bt.id, '-o', file, '--yes']);
    const ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1280, height: 900 },
      offline: true,
    });
    const opens = [];
    const inPage = [];
    const zooms = [];
    const cpu = [];
    const metrics = [];
    let info;
    for (let k = 0; k < 3; k++) {
      const page = await ctx.newPage();
      const errors = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Performance.enable');
      const c0 = chromiumCpuMs();
      const t0 = performance.now();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 120_000 });
      await until(page, 'Boolean(window.tunicoinReport && window.tunicoinReport.ready)');
      opens.push(performance.now() - t0);
      cpu.push(chromiumCpuMs() - c0);
      const m = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
      metrics.push(m);
      inPage.push(await page.evaluate('window.tunicoinReport.readyAt'));
      info = await page.evaluate(
        "({ candles: window.tunicoinReport.charts.price.candles, step: window.tunicoinReport.charts.price.overviewStep, bars: window.tunicoinReport.charts.price.bars(), entries: window.tunicoinReport.charts.price.markersOf('entry'), errors: window.tunicoinReport.errors })",
      );
      if (errors.length || info.errors.length) throw new Error(`report errors: ${[...errors, ...info.errors].join('; ')}`);
      const z0 = performance.now();
      await page.evaluate('window.tunicoinReport.charts.price.zoomTo(500000, 501000)');
      await until(page, 'window.tunicoinReport.charts.price.step() === 1');
      zooms.push(performance.now() - z0);
      await page.close();
    }
    await ctx.close();
    report('report: backtest over 1,000,000 1m candles at 1m, in headless Chromium', [
      ['candles / trades / entry markers', `${info.candles.toLocaleString('en-US')} / ${bt.trades.length} / ${info.entries}`],
      ['overview', `${info.bars} bars of ${info.step} candles`],
      [
        'report backtest (write the file)',
        `${fmt(write.ms, 0)} ms, ${fmt(statSync(file).size / 1048576, 1)} MB, peak RSS ${fmt(write.rssMb, 0)} MB`,
      ],
      ['open until drawn (median of 3, wall)', `${fmt(median(opens), 0)} ms`, '< 3000 ms'],
      ['  of which in the page (navigation -> drawn)', `${fmt(median(inPage), 0)} ms`],
      ['  CPU used by Chromium meanwhile (all processes)', `${fmt(median(cpu), 0)} ms`],
      [
        '  main thread: script / layout+style / all tasks',
        `${fmt(median(metrics.map((m) => m.ScriptDuration * 1000)), 0)} / ${fmt(median(metrics.map((m) => (m.LayoutDuration + m.RecalcStyleDuration) * 1000)), 0)} / ${fmt(median(metrics.map((m) => m.TaskDuration * 1000)), 0)} ms`,
      ],
      ['  machine load average (1 min) at the end', (await import('node:os')).loadavg()[0].toFixed(1)],
      ['zoom to 1,000 real candles', `${fmt(median(zooms), 0)} ms`],
    ]);
  } finally {
    rmSync(profile, { recursive: true, force: true });
    t.cleanup();
  }
}

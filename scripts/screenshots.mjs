// `npm run screenshots`: the PNG pictures of the HTML reports used in the README (docs/img/),
// made from a small seeded database with headless Chromium (Debian's `chromium`, driven by
// playwright-core; set TUNICOIN_CHROMIUM to use another binary). Deterministic data: the same
// seed gives the same pictures.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs', 'img');
const CHROMIUM = process.env.TUNICOIN_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  console.error(`no Chromium at ${CHROMIUM}: apt-get update && apt-get install -y chromium (or set TUNICOIN_CHROMIUM)`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'tunicoin-shots-'));
const db = join(dir, 's.db');
const cli = (...args) => {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'tunicoin.js'), '--db', db, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.status !== 0) throw new Error(`tunicoin ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const file = (n) => join(dir, `${n}.html`);

try {
  cli('seed', '--seed', '42', '--days', '30', '--end', '2026-01-01T00:00:00Z', '--instruments', 'BTC-USD,ETH-USD');
  cli('backtest', 'macd', '--timeframe', '4h', '--from', '2025-12-05', '--report', file('backtest'), '--yes');
  cli(
    'optimize',
    'ema_crossover',
    '--grid',
    'fast=4:16:4',
    '--grid',
    'slow=20:60:10',
    '--workers',
    '1',
    '--report',
    file('optimize'),
    '--yes',
  );
  cli(
    'bot',
    'create',
    'trend',
    '--strategy',
    'ema_crossover',
    '--symbol',
    'BTC-USD',
    '--timeframe',
    '15m',
    '--param',
    'fast=8',
    '--param',
    'slow=21',
  );
  cli('bot', 'run', 'trend', '--for', '2d');
  cli('report', 'bot', 'trend', '-o', file('bot'), '--yes');

  const profile = mkdtempSync(join(tmpdir(), 'tunicoin-shots-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 900 },
    offline: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(out, { recursive: true });
  const shots = [
    ['backtest', ['header', '#section-price']],
    ['optimize', ['#section-heatmap', '#section-equity']],
    ['bot', ['#section-price', '#section-decisions']],
  ];
  for (const [name, parts] of shots) {
    const page = await ctx.newPage();
    await page.goto(pathToFileURL(file(name)).href, { waitUntil: 'load' });
    for (let k = 0; !(await page.evaluate('Boolean(window.tunicoinReport && window.tunicoinReport.ready)')); k++) {
      if (k > 600) throw new Error(`${name}: the report never became ready`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // one picture from the top of the first part to the bottom of the last
    const boxes = await Promise.all(parts.map((sel) => page.locator(sel).first().boundingBox()));
    const top = Math.min(...boxes.map((b) => b.y));
    const bottom = Math.min(Math.max(...boxes.map((b) => b.y + b.height)), top + 1100);
    const path = join(out, `report-${name}.png`);
    await page.screenshot({ path, clip: { x: 0, y: top, width: 1200, height: bottom - top }, fullPage: true });
    console.log(`${path} (${(statSync(path).size / 1024).toFixed(0)} KiB)`);
    await page.close();
  }
  await ctx.close();
  rmSync(profile, { recursive: true, force: true });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

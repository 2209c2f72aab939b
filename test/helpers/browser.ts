/**
 * Headless Chromium for the report tests: Debian's `chromium` package driven by playwright-core
 * (no browser download). When the browser cannot be found the tests FAIL with how to install it:
 * a report that was never opened in a browser is not tested.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_CANDIDATES = [process.env.TUNICOIN_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
  (p): p is string => Boolean(p),
);

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(candidates: readonly string[] = CHROMIUM_CANDIDATES): string {
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `Chromium not found (looked at ${candidates.join(', ')}). The HTML report tests need a real browser: ` +
        "install Debian's package with `apt-get update && apt-get install -y chromium` (or set TUNICOIN_CHROMIUM to its path).",
    );
  }
  return found;
}

export interface Session {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** A persistent context on a fresh user-data-dir, thrown away on close. */
export async function launch(): Promise<Session> {
  const dir = mkdtempSync(join(tmpdir(), 'tunicoin-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
    offline: true,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Opened {
  readonly page: Page;
  /** Console errors, page errors and failed loads. */
  readonly errors: string[];
  /** Every request other than the report file itself. */
  readonly requests: string[];
}

/** Open a report file and wait until its page script says it is ready. */
export async function openReport(session: Session, file: string): Promise<Opened> {
  const page = await session.context.newPage();
  const url = pathToFileURL(file).href;
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  await waitFor(page, 'Boolean(window.tunicoinReport && window.tunicoinReport.ready)', 120_000);
  return { page, errors, requests };
}

/** Per chart container: how many canvas pixels are not the background (white or transparent). */
export async function drawnPixels(page: Page): Promise<Record<string, number>> {
  // a string, so this file needs no DOM types: it runs in the page
  return page.evaluate(`(() => {
    const out = {};
    for (const el of document.querySelectorAll('.chart')) {
      let drawn = 0;
      for (const canvas of el.querySelectorAll('canvas')) {
        if (!canvas.width || !canvas.height) continue;
        const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && !(d[i] > 250 && d[i + 1] > 250 && d[i + 2] > 250)) drawn++;
      }
      out[el.id] = drawn;
    }
    return out;
  })()`);
}

/** Evaluate an expression in the page (a string: this file has no DOM types). */
export async function inPage<T>(page: Page, expr: string): Promise<T> {
  return page.evaluate<T>(expr);
}

/**
 * Poll an expression until it is true. (Not page.waitForFunction: that evaluates with `new
 * Function` in the page, which the report's Content-Security-Policy rightly refuses.)
 */
export async function waitFor(page: Page, expr: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(expr))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expr}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

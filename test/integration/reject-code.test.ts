/** A rejected order keeps its code (migration 011) and shows it in --json, through the command line in-process. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runInProcess } from '../../src/cli/main.ts';
import { SEED_INSTRUMENTS } from '../../src/core/instruments.ts';
import { openSqliteStore as openStore } from '../../src/store/db.ts';
import { migrateDown, migrateUp } from '../../src/store/migrator.ts';
import { seedDatabase } from '../../src/app/seed.ts';
import { tempDir } from '../helpers/cli.ts';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _e: string, cb: () => void): void {
    this.text += String(chunk);
    cb();
  }
}

let t: ReturnType<typeof tempDir>;
let db: string;
beforeEach(async () => {
  t = tempDir();
  db = join(t.dir, 'r.db');
  const s = await openStore(db);
  seedDatabase(s, {
    seed: 1,
    days: 1,
    end: Date.UTC(2026, 0, 2),
    instruments: SEED_INSTRUMENTS.slice(0, 1),
    reset: false,
    nowIso: '2026-01-02T00:00:00.000Z',
    demoPasswordHash: 'x',
  });
  s.close();
});
afterEach(() => t.cleanup());

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new Capture();
  const err = new Capture();
  const code = await runInProcess(['--db', db, ...args], { out, err, env: { HOME: t.dir, NO_COLOR: '1' } });
  return { code, out: out.text, err: err.text };
}

describe('reject_code', () => {
  it('an order refused for margin: exit 5, its code and figures in --json, the code stored and listed', async () => {
    const r = await cli('order', 'buy', 'BTC-USD', '5', '--json');
    expect(r.code).toBe(5);
    const shown = JSON.parse(r.out) as Record<string, unknown>;
    expect(shown).toMatchObject({ status: 'rejected', rejectCode: 'insufficient_margin', available: '10000.00' });
    expect(Number(shown.required)).toBeGreaterThan(10_000);
    expect(r.err).toMatch(/only \$10,000\.00 is available/);
    const small = await cli('order', 'buy', 'BTC-USD', '0.00001', '--json');
    expect(small.code).toBe(5);
    expect(JSON.parse(small.out)).toMatchObject({ status: 'rejected', rejectCode: 'size_too_small' });
    const filled = await cli('order', 'buy', 'BTC-USD', '0.01', '--json');
    expect(JSON.parse(filled.out)).toMatchObject({ status: 'filled', rejectCode: null });
    const list = JSON.parse((await cli('orders', '--status', 'all', '--json')).out) as Array<{ status: string; rejectCode: string | null }>;
    expect(list.map((o) => [o.status, o.rejectCode]).sort()).toEqual([
      ['filled', null],
      ['rejected', 'insufficient_margin'],
      ['rejected', 'size_too_small'],
    ]);
  });

  it('a bot decision and a backtest report the code of their rejected orders', async () => {
    const strategy = join(t.dir, 'always.js');
    writeFileSync(
      strategy,
      "export default { id: 'always', description: '', params: [], create() { return { warmup: 1, onCandle: () => 'buy', explain: () => ({ reason: 'always', indicators: {} }) }; } };",
    );
    // a fixed 5 BTC (~$250,000) on $10,000: rejected for margin at the fill
    expect((await cli('bot', 'create', 'b', '--strategy', strategy, '--symbol', 'BTC-USD', '--timeframe', '1m', '--size', '5')).code).toBe(
      0,
    );
    await cli('bot', 'run', 'b', '--for', '5m');
    const decisions = JSON.parse((await cli('bot', 'decisions', 'b', '--json')).out) as Array<{
      result: { status: string; code?: string } | null;
    }>;
    const results = decisions.map((d) => d.result).filter((r) => r !== null);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r).toMatchObject({ status: 'rejected', code: 'insufficient_margin' });
    const run = await cli('backtest', strategy, '--symbol', 'BTC-USD', '--timeframe', '1h', '--size', '5', '--json');
    expect(run.code, run.err).toBe(0);
    const rejections = (JSON.parse(run.out) as { rejections: Array<{ code: string | null }> }).rejections;
    expect(rejections.length).toBeGreaterThan(0);
    expect(new Set(rejections.map((r) => r.code))).toEqual(new Set(['insufficient_margin']));
  });

  it('migration 011 adds and removes the column', async () => {
    const s = await openStore(db);
    try {
      const cols = () => (s.sqlite.prepare('PRAGMA table_info(orders)').all() as { name: string }[]).map((c) => c.name);
      expect(cols()).toContain('reject_code');
      expect(await migrateDown(s, { to: '011_order_reject_code' })).toContain('011_order_reject_code'); // and the later ones
      expect(cols()).not.toContain('reject_code');
      await migrateUp(s);
      expect(cols()).toContain('reject_code');
    } finally {
      s.close();
    }
  });
});

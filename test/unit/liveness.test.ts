import { describe, expect, it } from 'vitest';
import { STALE_MS, whyDead } from '../../src/app/liveness.ts';

const now = Date.parse('2026-06-01T12:00:00Z');
const row = (heartbeat: number) => ({
  id: 'b1',
  status: 'running',
  pid: 999_999_999,
  heartbeat_at: new Date(heartbeat).toISOString(),
  created_at: new Date(heartbeat).toISOString(),
});
const gone = () => false;

describe('whyDead: which in-progress backtest rows are interrupted', () => {
  it('on a local file, a row whose process is gone is dead even with a fresh heartbeat', () => {
    expect(whyDead(row(now - 1000), now, gone)).toBe('its process 999999999 is gone');
  });

  it("on a shared server, another machine's pid is not looked up: a fresh heartbeat is alive", () => {
    expect(whyDead(row(now - 1000), now, gone, false)).toBeNull();
  });

  it('on a shared server, a row without a heartbeat for STALE_MS is dead', () => {
    expect(whyDead(row(now - STALE_MS - 1), now, gone, false)).toMatch(/^no heartbeat since /);
  });
});

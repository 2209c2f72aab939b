import { describe, expect, test } from 'vitest';
import { random16, uuidV4, uuidV7 } from '../../src/store/random-ids.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{12}$/;

describe('random ids without node:crypto', () => {
  test('v4: version 4, RFC variant, all different', () => {
    const ids = Array.from({ length: 2000 }, uuidV4);
    for (const id of ids) {
      const m = UUID.exec(id);
      expect(m?.[1]).toBe('4');
      expect('89ab').toContain(m?.[2]);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('v7: version 7, the time in the first 48 bits, strictly increasing within and across milliseconds', () => {
    const t = Date.now() + 86_400_000; // ahead of any id made so far in this process (the state is per process)
    const ids = [...Array.from({ length: 500 }, () => uuidV7(t)), ...Array.from({ length: 500 }, () => uuidV7(t + 1))];
    for (const id of ids) expect(UUID.exec(id)?.[1]).toBe('7');
    expect(parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16)).toBe(t);
    expect(parseInt(ids[999]!.replace(/-/g, '').slice(0, 12), 16)).toBe(t + 1);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
  });

  test('v7 over many pool refills and between v4 ids: strictly increasing, the time digits always those of its millisecond', () => {
    const t = Date.now() + 2 * 86_400_000;
    const ids: string[] = [];
    for (let k = 0; k < 30_000; k++) {
      const ms = t + Math.floor(k / 7000);
      ids.push(uuidV7(ms));
      if (k % 997 === 0) expect(UUID.exec(uuidV4())?.[1]).toBe('4'); // rewrites the shared digits
      expect(parseInt(ids[k]!.replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
    }
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    for (const id of ids) expect(UUID.exec(id)?.[2]).toMatch(/[89ab]/);
  });

  test('the bytes look random: every byte value turns up, none dominates', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 4096; i++) for (const b of random16()) counts[b]!++;
    expect(Math.min(...counts)).toBeGreaterThan(0);
    expect(Math.max(...counts)).toBeLessThan(2 * ((4096 * 16) / 256));
  });
});

/**
 * deferCheckpoints (store/checkpoints.ts): no automatic WAL checkpoint while a run of write
 * transactions lasts, every commit still in the WAL (visible to another connection), the
 * connection's own setting back afterwards and the WAL copied into the file by one checkpoint;
 * runAdvance restores the setting even when it fails.
 */
import { statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runAdvance } from '../../src/app/advance.ts';
import { UsageError } from '../../src/core/errors.ts';
import { deferCheckpoints } from '../../src/store/checkpoints.ts';
import { tempStore } from '../helpers/store.ts';

const PAGE = 4096;

describe('deferCheckpoints', () => {
  it('holds checkpoints during the run, then restores the setting and checkpoints once', async () => {
    const { store, path, cleanup } = await tempStore();
    try {
      store.sqlite.pragma('wal_autocheckpoint = 300');
      store.exec('CREATE TABLE filler (k INTEGER PRIMARY KEY, v BLOB)');
      const release = deferCheckpoints(store);
      expect(store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      const ins = store.sqlite.prepare('INSERT INTO filler (v) VALUES (?)');
      // ten commits of ~100 pages each: past the 300-page threshold three times over
      for (let t = 0; t < 10; t++) store.tx(() => ins.run(Buffer.alloc(100 * PAGE, t + 1)));
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(900 * PAGE); // never restarted
      const other = new BetterSqlite3(path, { readonly: true });
      try {
        expect(other.prepare('SELECT count(*) AS n FROM filler').get()).toEqual({ n: 10 });
      } finally {
        other.close();
      }
      release();
      expect(store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(300);
      // everything was copied by release's checkpoint: a new one finds no frame left to copy
      const [r] = store.sqlite.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
      expect(r).toBeDefined();
      expect(r?.busy).toBe(0);
      expect(r?.checkpointed).toBe(r?.log);
      expect(store.sqlite.prepare('SELECT count(*) AS n FROM filler').get()).toEqual({ n: 10 });
    } finally {
      cleanup();
    }
  });

  it('runAdvance gives the setting back when it fails', async () => {
    const { store, cleanup } = await tempStore();
    try {
      store.sqlite.pragma('wal_autocheckpoint = 700');
      await expect(runAdvance(store, () => Date.UTC(2026, 0, 1), -1)).rejects.toBeInstanceOf(UsageError);
      expect(store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(700);
    } finally {
      cleanup();
    }
  });
});

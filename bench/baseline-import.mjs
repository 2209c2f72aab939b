// Baseline for the import benchmark: the same N 1m candle rows (generated in-process, no CSV)
// inserted into the candles table with one prepared INSERT in one transaction, bare
// better-sqlite3, time-ordered ids. Args: TARGET_DB (migrated, holding instrument BIG) N.
import Database from 'better-sqlite3';
import { v7 } from 'uuid';
import { row } from './import-rows.mjs';

const [target, nText] = process.argv.slice(2);
const n = Number(nText);
const db = new Database(target);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
// the bare table: without the packed store's triggers (migration 012), so the ratio includes their cost
for (const t of ['insert', 'delete', 'update']) db.exec(`DROP TRIGGER IF EXISTS tr_candles_packs_${t}`);
const inst = db.prepare("SELECT id FROM instruments WHERE symbol = 'BIG'").get().id;
const t0 = process.hrtime.bigint();
const ins = db.prepare(
  'INSERT INTO candles (id, instrument_id, timeframe, timestamp, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
);
db.transaction(() => {
  for (let i = 0; i < n; i++) {
    const r = row(i);
    ins.run(v7(), inst, '1m', r[0], r[1], r[2], r[3], r[4], r[5]);
  }
})();
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
db.close();
console.log(JSON.stringify({ rows: n, insertMs: ms }));

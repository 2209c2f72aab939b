// Baseline for the seed benchmark: insert the given rows into the same candles table with one
// prepared INSERT in one transaction, bare better-sqlite3. Args: SOURCE_DB TARGET_DB (migrated, empty).
import Database from 'better-sqlite3';

const [source, target] = process.argv.slice(2);
const src = new Database(source, { readonly: true });
const rows = src.prepare('SELECT id, instrument_id, timeframe, timestamp, open, high, low, close, volume FROM candles').raw(true).all();
const instruments = src.prepare('SELECT * FROM instruments').all();
src.close();
const db = new Database(target);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
// the bare table: without the packed store's triggers (migration 012), so the ratio includes their cost
for (const t of ['insert', 'delete', 'update']) db.exec(`DROP TRIGGER IF EXISTS tr_candles_packs_${t}`);
const insI = db.prepare(
  `INSERT INTO instruments VALUES (${Object.keys(instruments[0])
    .map(() => '?')
    .join(', ')})`,
);
for (const i of instruments) insI.run(...Object.values(i));
const t0 = process.hrtime.bigint();
const ins = db.prepare(
  'INSERT INTO candles (id, instrument_id, timeframe, timestamp, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
);
db.transaction(() => {
  for (const r of rows) ins.run(...r);
})();
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
db.close();
console.log(JSON.stringify({ rows: rows.length, insertMs: ms }));

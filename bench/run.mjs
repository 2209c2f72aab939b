// `npm run bench`: every benchmark, figures and same-run ratios. Not part of `npm test`.
// Pass names to run a subset: npm run bench -- seed
// `npm run bench -- --json [FILE]`: also write every case as JSON (default bench/out/bench.json:
// one object per case with median, min, max, runs, peak RSS, ratio and its reference); the
// human report then goes to stderr. `node scripts/bench-readme.mjs [FILE]` turns that file into
// the README's performance table.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cases, logTo } from './lib.mjs';

const dir = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const j = args.indexOf('--json');
let jsonFile = null;
if (j >= 0) {
  const next = args[j + 1];
  jsonFile = resolve(
    next && !next.startsWith('-') && next.endsWith('.json') ? args.splice(j, 2)[1] : (args.splice(j, 1), join(dir, 'out', 'bench.json')),
  );
  logTo((line) => process.stderr.write(`${line}\n`));
}
const only = args;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort();
const started = new Date().toISOString();
const header = `tunicoin benchmarks · node ${process.version} · ${started} · ${availableParallelism()} CPUs, load average ${loadavg()
  .map((x) => x.toFixed(1))
  .join(' ')}`;
(jsonFile ? process.stderr : process.stdout).write(`${header}\n`);
for (const f of files) {
  const name = f.replace('.bench.mjs', '');
  if (only.length && !only.includes(name)) continue;
  const mod = await import(join(dir, f));
  await mod.run();
  writeJson(false); // after each file, so a long run leaves what it measured so far
}
writeJson(true);

function writeJson(last) {
  if (!jsonFile) return;
  mkdirSync(dirname(jsonFile), { recursive: true });
  const out = {
    node: process.version,
    started,
    finished: last ? new Date().toISOString() : null,
    cpus: availableParallelism(),
    loadAverage: loadavg(),
    cases,
  };
  writeFileSync(jsonFile, `${JSON.stringify(out, null, 2)}\n`);
  if (last) process.stderr.write(`\n${cases.length} cases written to ${jsonFile}\n`);
}

// `npm run bench`: every benchmark, figures and same-run ratios. Not part of `npm test`.
// Pass names to run a subset: npm run bench -- seed
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.mjs')).sort();
console.log(`tunicoin benchmarks · node ${process.version} · ${new Date().toISOString()}`);
for (const f of files) {
  const name = f.replace('.bench.mjs', '');
  if (only.length && !only.includes(name)) continue;
  const mod = await import(join(dir, f));
  await mod.run();
}

// Regenerate the README's performance table from `npm run bench -- --json` output:
//   node scripts/bench-readme.mjs [bench/out/bench.json ...]
// Several files (e.g. runs of subsets): their cases in turn, a case in more than one taken from
// the last.
// Rewrites the lines between <!-- bench:start --> and <!-- bench:end --> in README.md; the
// table is never typed by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = (process.argv.length > 2 ? process.argv.slice(2) : [join(root, 'bench', 'out', 'bench.json')]).map((f) => resolve(f));
const runs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));

const num = (x, unit) => {
  if (x === null) return 'n/a';
  const d = unit === 'ms' ? (x >= 100 ? 0 : 1) : x >= 1000 ? 0 : 2;
  return x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
};
const cell = (s) => String(s).replace(/\|/g, '\\|');

export function table(bs) {
  const when = bs.map(
    (b) =>
      `${b.started.slice(0, 16).replace('T', ' ')} UTC (Node ${b.node}, ${b.cpus} CPUs, load average ${b.loadAverage.map((x) => x.toFixed(1)).join(' ')} at the end)`,
  );
  const lines = [
    `Measured by \`npm run bench -- --json\`: ${when.join('; ')}. Ratios are within the same run; CPU time (user + system) is` +
      ' the steadier figure on a shared machine. Regenerate with `node scripts/bench-readme.mjs`.',
    '',
    '| case | wall: median (min-max, runs) | ratio (to what) | CPU time: median (ratio) | peak RSS | target |',
    '|---|---|---|---|---|---|',
  ];
  const byId = new Map();
  for (const c of bs.flatMap((b) => b.cases)) byId.set(c.id, c); // keeps the first position, the last value
  for (const c of byId.values()) {
    const fig = `${num(c.median, c.unit)} ${c.unit}${c.runs > 1 ? ` (${num(c.min, c.unit)}-${num(c.max, c.unit)}, ${c.runs})` : ''}`;
    const extra = [c.fileMb !== undefined ? `file ${c.fileMb} MB` : '', c.trades !== undefined ? `${c.trades} trades` : '']
      .filter(Boolean)
      .join(', ');
    const ratio = c.ratio ? `${c.ratio.value.toFixed(2)}x ${c.ratio.reference}` : '';
    const cpu = c.cpuMs ? `${num(c.cpuMs.median, 'ms')} ms${c.cpuMs.ratio !== null ? ` (${c.cpuMs.ratio.toFixed(2)}x)` : ''}` : '';
    lines.push(
      `| ${cell(c.title)} | ${cell(fig)}${extra ? `, ${cell(extra)}` : ''} | ${cell(ratio)} | ${cpu} | ${c.peakRssMb === null ? '' : `${Math.round(c.peakRssMb)} MB`} | ${cell(c.target ?? '')} |`,
    );
  }
  return lines.join('\n');
}

const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';
const i = readme.indexOf(start);
const j = readme.indexOf(end);
if (i < 0 || j < i) throw new Error(`README.md has no ${start} ... ${end} section`);
writeFileSync(readmePath, `${readme.slice(0, i + start.length)}\n${table(runs)}\n${readme.slice(j)}`);
console.log(`README.md: performance table from ${files.join(', ')}`);

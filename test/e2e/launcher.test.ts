/**
 * bin/tunicoin.js: the CommonJS bundle run from V8's code cache. A missing or foreign cache is
 * replaced after the command, a damaged one is ignored (V8 rejects it), and the CLI works the
 * same in every case. Runs on a copy of the package so the real dist/ cache is left alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, cleanEnv, tempDir } from '../helpers/cli.ts';

let t: ReturnType<typeof tempDir>;
let bin: string;
let cache: string;

beforeAll(() => {
  t = tempDir('tunicoin-launcher-');
  for (const d of ['bin', 'dist']) mkdirSync(join(t.dir, d));
  for (const f of ['bin/tunicoin.js', 'bin/package.json', 'dist/cli.cjs', 'dist/migrator.cjs', 'package.json'])
    copyFileSync(join(ROOT, f), join(t.dir, f));
  symlinkSync(join(ROOT, 'node_modules'), join(t.dir, 'node_modules'));
  bin = join(t.dir, 'bin', 'tunicoin.js');
  cache = join(t.dir, 'dist', 'cli.cjs.cache');
  // an empty file is a new database: `instruments` only reads, so it never creates one itself
  writeFileSync(join(t.dir, 't.db'), '');
});
afterAll(() => t.cleanup());

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, '--db', join(t.dir, 't.db'), ...args], { env: cleanEnv(env), encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const buildLine = () => readFileSync(join(t.dir, 'dist', 'cli.cjs'), 'utf8').split('\n')[0] as string;

describe('launcher code cache', () => {
  it('writes a cache keyed on the build and the Node version when there is none', () => {
    expect(existsSync(cache)).toBe(false);
    const r = run(['instruments', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    const head = readFileSync(cache).subarray(0, 200).toString('latin1');
    expect(buildLine()).toMatch(/^\/\/ tunicoin-build [0-9a-f]{32}$/);
    expect(head.startsWith(`${buildLine()} ${process.version} ${process.arch}\n`)).toBe(true);
  });

  it('replaces a cache from another build, and ignores a damaged one', () => {
    writeFileSync(
      cache,
      Buffer.concat([Buffer.from(`// tunicoin-build 0000 ${process.version} ${process.arch}\n`), Buffer.alloc(4096, 7)]),
    );
    expect(run(['instruments', '--json']).code).toBe(0);
    expect(readFileSync(cache).subarray(0, 40).toString('latin1')).toBe(buildLine().slice(0, 40));

    const good = readFileSync(cache);
    const key = good.subarray(0, good.indexOf(10) + 1);
    const damaged = Buffer.concat([key, Buffer.alloc(good.length - key.length, 7)]);
    writeFileSync(cache, damaged);
    const r = run(['instruments', '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('[]');
  });

  it('runs the bundle as built (inside its function wrapper) and one without the wrapper alike', () => {
    const file = join(t.dir, 'dist', 'cli.cjs');
    const built = readFileSync(file, 'latin1');
    const [stamp, ...rest] = built.split('\n');
    const body = rest.join('\n');
    const wrapper = '(function (exports, require, module, __filename, __dirname, __tunicoinImport) {';
    expect(body.startsWith(wrapper) && body.endsWith('\n})')).toBe(true);
    try {
      writeFileSync(file, `${stamp}\n${body.slice(wrapper.length, -'\n})'.length)}`, 'latin1');
      const r = run(['instruments', '--json'], { TUNICOIN_CODE_CACHE: 'off' });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe('[]');
    } finally {
      writeFileSync(file, built, 'latin1');
    }
  });

  it('TUNICOIN_CODE_CACHE=off neither reads nor writes it', () => {
    writeFileSync(cache, 'not a cache');
    expect(run(['instruments', '--json'], { TUNICOIN_CODE_CACHE: 'off' }).code).toBe(0);
    expect(readFileSync(cache, 'utf8')).toBe('not a cache');
  });

  it("the bundle's import() of a user strategy file works from the cache", () => {
    expect(run(['seed', '--days', '2', '--instruments', 'BTC-USD', '--end', '2026-01-01T00:00:00Z']).code).toBe(0);
    expect(run(['clock']).code).toBe(0); // a fresh cache from this build
    const r = run(['backtest', join(ROOT, 'fixtures', 'example-strategy.js'), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { status: string }).status).toBe('completed');
  });

  it("ends at once when nothing is left to run: the exit code, all the output and 'exit' listeners kept", () => {
    const hook = join(t.dir, 'exit-hook.cjs');
    const mark = join(t.dir, 'exit-mark');
    writeFileSync(hook, `process.on('exit', (c) => require('node:fs').writeFileSync(${JSON.stringify(mark)}, 'exit ' + c));`);
    const withHook = (args: string[]) => {
      const r = spawnSync(process.execPath, ['-r', hook, bin, '--db', join(t.dir, 't.db'), ...args], {
        env: cleanEnv({}),
        encoding: 'utf8',
      });
      return { code: r.status, stdout: r.stdout, mark: readFileSync(mark, 'utf8') };
    };
    const long = withHook(['candles', 'BTC-USD', '--limit', '2000', '--json']); // some 300 KB through a pipe
    expect(long.code).toBe(0);
    expect((JSON.parse(long.stdout) as { candles: unknown[] }).candles.length).toBe(2000);
    expect(long.mark).toBe('exit 0');
    const missing = withHook(['quote', 'NOPE-USD']);
    expect(missing.code).toBe(3);
    expect(missing.mark).toBe('exit 3');
  });
});

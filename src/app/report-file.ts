/**
 * Where a report goes and writing it: the output path is checked before any work (a missing
 * folder or an existing file needs the caller's yes), and the file is written atomically.
 */
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';

export interface OutputCheck {
  readonly path: string;
  /** The folder does not exist yet (created on write when allowed). */
  readonly missingDir: string | null;
  readonly exists: boolean;
}

export function checkOutput(path: string, cwd: string): OutputCheck {
  if (!/\.html?$/i.test(extname(path))) throw new UsageError(`the report file must end in .html, got "${path}"`);
  const full = resolve(cwd, path);
  if (existsSync(full) && statSync(full).isDirectory()) throw new UsageError(`${full} is a folder: give a file name ending in .html`);
  let dir = dirname(full);
  let missing: string | null = null;
  while (!existsSync(dir)) {
    missing = dir;
    dir = dirname(dir);
  }
  if (missing !== null) missing = dirname(full);
  else if (!statSync(dir).isDirectory()) throw new UsageError(`${dir} is not a folder`);
  return { path: full, missingDir: missing, exists: existsSync(full) };
}

/** Write the page (temp file + rename: a reader never sees half a report). Returns its size in bytes. */
export function writeReport(out: OutputCheck, html: string): number {
  if (out.missingDir) mkdirSync(out.missingDir, { recursive: true });
  const tmp = `${out.path}.tmp-${process.pid}`;
  writeFileSync(tmp, html);
  renameSync(tmp, out.path);
  return Buffer.byteLength(html);
}

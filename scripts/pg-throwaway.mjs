// A throw-away PostgreSQL server for tests and CI: initdb + pg_ctl in a temp dir, fast and unsafe settings
// (fsync off), listening on 127.0.0.1 only, removed again by stop().
//
//   import { startThrowawayPostgres } from './scripts/pg-throwaway.mjs';
//   const pg = await startThrowawayPostgres(); ... pg.url ...; await pg.stop();
//
//   node scripts/pg-throwaway.mjs start [PORT]   prints the URL and the data dir; the server keeps running
//   node scripts/pg-throwaway.mjs stop DATADIR   stops it and removes its temp dir
//
// Binaries: initdb and pg_ctl on PATH, else the highest /usr/lib/postgresql/<version>/bin (Debian's `postgresql`).
// As root (CI), the temp dir belongs to the `postgres` system user and initdb/pg_ctl run through
// `runuser -u postgres --`, since initdb refuses to run as root.
// A server started through the API is watched by a small detached process that stops it and removes its
// dir when the starting process dies without calling stop() (a crashed or killed test run).
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { appendFile, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMP_PREFIX = 'tunicoin-pg-';
const USER = 'tunicoin';
const PASSWORD = 'tunicoin';

/** The directory holding initdb and pg_ctl, or null. */
export function findPostgresBin() {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, 'initdb')) && isExecutable(join(dir, 'pg_ctl'))) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const dir = join(root, v, 'bin');
    if (isExecutable(join(dir, 'initdb')) && isExecutable(join(dir, 'pg_ctl'))) return dir;
  }
  return null;
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL binary, through `runuser -u postgres --` when root. Rejects with its output. */
function run(bin, args, cwd) {
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return new Promise((resolve, reject) => {
    execFile(cmd, argv, { cwd, encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${basename(bin)} failed: ${(stderr || stdout || err.message).trim()}`));
      else resolve(stdout);
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

async function postgresIds() {
  const out = await new Promise((resolve, reject) =>
    execFile('getent', ['passwd', 'postgres'], { encoding: 'utf8' }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
  ).catch(() => '');
  const [, , uid, gid] = String(out).trim().split(':');
  if (!uid)
    throw new Error('running as root, but there is no `postgres` system user to run PostgreSQL as (apt-get install postgresql creates it)');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Starts a throw-away server. Options: port (default: a free one), watch (default true: stop the server when
 * this process dies without calling stop()).
 */
export async function startThrowawayPostgres({ port, watch = true } = {}) {
  const bin = findPostgresBin();
  if (!bin) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or under /usr/lib/postgresql/*/bin; ' +
        'install them with `apt-get install postgresql` (Debian/Ubuntu), or point the tests at a server with TUNICOIN_TEST_PG_URL',
    );
  }
  const initdb = join(bin, 'initdb');
  const pgCtl = join(bin, 'pg_ctl');
  const root = await mkdtemp(join(tmpdir(), TEMP_PREFIX));
  const dataDir = join(root, 'data');
  try {
    const pwfile = join(root, 'pwfile');
    await writeFile(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
    if (isRoot()) {
      const { uid, gid } = await postgresIds();
      await chown(root, uid, gid);
      await chown(pwfile, uid, gid);
    }
    await run(
      initdb,
      [
        '-D',
        dataDir,
        '-U',
        USER,
        `--pwfile=${pwfile}`,
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
      ],
      root,
    );
    await rm(pwfile, { force: true });
    const version = (await run(pgCtl, ['--version'], root)).trim().replace(/^.*\)\s*/, '');
    const fixedPort = port !== undefined && port !== null;
    for (let attempt = 1; ; attempt++) {
      const p = fixedPort ? Number(port) : await freePort();
      try {
        await startServer(pgCtl, root, dataDir, p);
      } catch (err) {
        // Another process may take the free port between the probe and the server's bind: try another.
        if (fixedPort || attempt >= 3) throw err;
        continue;
      }
      const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${p}/postgres`;
      const watcher = watch ? startWatchdog(dataDir) : null;
      let stopped;
      const stop = () => {
        stopped ??= (async () => {
          watcher?.kill();
          await stopThrowawayPostgres(dataDir);
        })();
        return stopped;
      };
      return { url, host: '127.0.0.1', port: p, user: USER, password: PASSWORD, dataDir, version, stop };
    }
  } catch (err) {
    await stopThrowawayPostgres(dataDir).catch(() => {});
    throw err;
  }
}

async function startServer(pgCtl, root, dataDir, port) {
  // Test settings: nothing here needs to survive a crash of the machine.
  const conf = [
    '',
    '# tunicoin throw-away test server',
    "listen_addresses = '127.0.0.1'",
    `port = ${port}`,
    `unix_socket_directories = '${root}'`,
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    'max_connections = 300',
    'shared_buffers = 64MB',
    '',
  ].join('\n');
  // Appending keeps the file's owner (postgres when root). A retry on another port appends again: the last wins.
  await appendFile(join(dataDir, 'postgresql.conf'), conf);
  await run(pgCtl, ['start', '-D', dataDir, '-l', join(root, 'server.log'), '-w', '-t', '60', '-s'], root).catch(async (err) => {
    const { readFile } = await import('node:fs/promises');
    const log = await readFile(join(root, 'server.log'), 'utf8').catch(() => '');
    throw new Error(`${err.message}\n${log.split('\n').slice(-15).join('\n')}`);
  });
}

/** Stops the server of dataDir (immediate mode) and removes its temp dir. Quiet when it is not running. */
export async function stopThrowawayPostgres(dataDir) {
  const bin = findPostgresBin();
  if (bin && existsSync(join(dataDir, 'postmaster.pid'))) {
    await run(join(bin, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-s'], dirname(dataDir)).catch(() => {});
  }
  const root = dirname(dataDir);
  // Only ever remove a dir this script made.
  await rm(basename(root).startsWith(TEMP_PREFIX) ? root : dataDir, { recursive: true, force: true });
}

/** A detached process that stops the server once this process is gone (checks every second). */
function startWatchdog(dataDir) {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [self, 'watch', String(process.pid), dataDir], { detached: true, stdio: 'ignore' });
  child.unref();
  return child;
}

async function watchOwner(ownerPid, dataDir) {
  const alive = () => {
    try {
      process.kill(ownerPid, 0);
      return true;
    } catch (err) {
      return err?.code === 'EPERM';
    }
  };
  process.on('SIGTERM', () => process.exit(0));
  while (alive() && existsSync(dataDir)) await new Promise((r) => setTimeout(r, 1000));
  if (existsSync(dataDir)) await stopThrowawayPostgres(dataDir);
}

async function cli(argv) {
  const [cmd, ...rest] = argv;
  if (cmd === 'start') {
    const pg = await startThrowawayPostgres({ port: rest[0] ? Number(rest[0]) : undefined, watch: false });
    console.log(pg.url);
    console.log(`data dir: ${pg.dataDir}`);
    console.log(`stop with: node scripts/pg-throwaway.mjs stop ${pg.dataDir}`);
  } else if (cmd === 'stop' && rest[0]) {
    await stopThrowawayPostgres(rest[0]);
  } else if (cmd === 'watch' && rest[0] && rest[1]) {
    await watchOwner(Number(rest[0]), rest[1]);
  } else {
    console.error('usage: node scripts/pg-throwaway.mjs start [PORT] | stop DATADIR');
    process.exitCode = 2;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  cli(process.argv.slice(2)).catch((err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
}

// Users: start-up of commands on a multi-user database with a session (token check) vs node -e 0,
// and `login` times (bcrypt cost 12): right password, wrong password, unknown email — the last
// two should be alike (no timing oracle for which emails exist).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fmt, median, report, BIN, timedNode, tmp } from './lib.mjs';

/** Wall ms of `node args` with stdin; a non-zero exit is expected for refused logins. */
function timed(args, env, input = '') {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env: { ...process.env, NO_COLOR: '1', ...env }, input, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 8) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export async function run() {
  const t = tmp();
  try {
    const db = join(t.dir, 'users.db');
    const env = { XDG_CONFIG_HOME: join(t.dir, 'config') };
    const cli = (args, input) => timed([BIN, '--db', db, ...args], env, input);
    cli(['seed', '--days', '2', '--end', '2026-01-01T00:00:00Z']);
    cli(['user', 'register', 'ada@example.com', '--password-stdin'], 'correct horse\n');
    const login = (email, pw) => cli(['login', email, '--password-stdin'], `${pw}\n`);

    const ok = [];
    const wrong = [];
    const unknown = [];
    for (let i = 0; i < 4; i++) {
      // four wrong ones stay under the lock (the right one resets the count)
      wrong.push(login('ada@example.com', 'wrong horse'));
      unknown.push(login('nobody@example.com', 'wrong horse'));
      ok.push(login('ada@example.com', 'correct horse'));
    }
    report('login (bcrypt cost 12, whole process, median of 4)', [
      ['right password', `${fmt(median(ok), 0)} ms`],
      ['wrong password', `${fmt(median(wrong), 0)} ms`],
      ['unknown email', `${fmt(median(unknown), 0)} ms`],
      ['unknown / wrong', fmt(median(unknown) / median(wrong)), '~1'],
    ]);

    cli(['account', 'create', 'Main']); // ada is logged in (token file): her own account
    const n = [];
    const q = [];
    const w = [];
    for (let i = 0; i < 15; i++) {
      n.push(timedNode(['-e', '0'], { rss: false }).ms);
      q.push(cli(['quote', 'BTC-USD', '--json']));
      w.push(cli(['orders', '--json']));
    }
    report('start-up with a session on a two-user database (15 interleaved runs each)', [
      ['node -e 0 (median)', `${fmt(median(n), 1)} ms`],
      ['quote BTC-USD --json (median)', `${fmt(median(q), 1)} ms (${fmt(median(q) / median(n))}x)`],
      ['orders --json, session checked (median)', `${fmt(median(w), 1)} ms (${fmt(median(w) / median(n))}x)`],
    ]);
  } finally {
    t.cleanup();
  }
}

/** On a terminal: passwords asked without echo (clack's password prompt, mocked here), twice for a new one. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PassThrough, Readable } from 'node:stream';
import { createContext } from '../../src/cli/context.ts';
import { reportError } from '../../src/cli/exit-codes.ts';
import { counts, makeWorld, type World } from '../helpers/users.ts';

const prompts = vi.hoisted(() => ({
  askPassword: vi.fn<(message: string) => Promise<string>>(),
  askText: vi.fn(),
  askOrderDetails: vi.fn(),
  confirm: vi.fn(),
}));
vi.mock('../../src/cli/prompts.ts', () => prompts);
const { loginCmd, userRegister } = await import('../../src/cli/commands/user.ts');

const tty = () => Object.assign(new PassThrough(), { isTTY: true });

let w: World;
beforeEach(async () => {
  w = await makeWorld();
  prompts.askPassword.mockReset();
  prompts.askText.mockReset();
});
afterEach(() => w.cleanup());

async function onTerminal(
  fn: (ctx: ReturnType<typeof createContext>, io: { hasher: World['hasher']; stdin: Readable & { isTTY?: boolean } }) => Promise<void>,
): Promise<number> {
  const ctx = createContext({ out: tty(), err: tty(), env: w.env, options: { db: w.db }, now: () => w.now });
  const stdin = Object.assign(Readable.from([]), { isTTY: true });
  try {
    await fn(ctx, { hasher: w.hasher, stdin });
    return 0;
  } catch (e) {
    return reportError(ctx, e);
  } finally {
    ctx.close();
  }
}

describe('password prompts', () => {
  it('register asks for the password twice and registers when both agree', async () => {
    prompts.askPassword.mockResolvedValueOnce('correct horse').mockResolvedValueOnce('correct horse');
    expect(await onTerminal((ctx, io) => userRegister(ctx, 'ada@example.com', {}, io))).toBe(0);
    expect(prompts.askPassword.mock.calls.map((c) => c[0])).toEqual(['New password (8 characters or more)', 'Again']);
    expect(counts(await w.store()).users).toBe(3); // system, demo, ada
  });

  it('two different passwords: nothing registered', async () => {
    prompts.askPassword.mockResolvedValueOnce('correct horse').mockResolvedValueOnce('correct h0rse');
    const before = counts(await w.store());
    expect(await onTerminal((ctx, io) => userRegister(ctx, 'ada@example.com', {}, io))).toBe(2);
    expect(counts(await w.store())).toEqual(before);
  });

  it('login asks for the password once, then for the 2FA code when it is on', async () => {
    await w.register('ada@example.com');
    (await w.store()).sqlite
      .prepare("UPDATE users SET twofa_enabled = 1, twofa_secret = 'JBSWY3DPEHPK3PXP' WHERE email = 'ada@example.com'")
      .run();
    prompts.askPassword.mockResolvedValueOnce('correct horse');
    prompts.askText.mockResolvedValueOnce('000000');
    expect(await onTerminal((ctx, io) => loginCmd(ctx, 'ada@example.com', {}, io))).toBe(8);
    expect(prompts.askPassword).toHaveBeenCalledTimes(1);
    expect(prompts.askText.mock.calls[0]![0]).toMatch(/Authentication code/);
    expect(counts(await w.store()).sessions).toBe(0);
  });
});

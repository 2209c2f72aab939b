import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  afterFailedLogin,
  checkPassword,
  checkPlanLimit,
  formatToken,
  isLocked,
  LOCK_MS,
  MAX_FAILED_LOGINS,
  normalizeEmail,
  normalizeRecoveryCode,
  normalizeTotpCode,
  parseToken,
  recoveryCodeFromBytes,
} from '../../src/core/users.ts';

describe('emails', () => {
  it('are trimmed and lower-cased as a whole', () => {
    expect(normalizeEmail('  Ada.Lovelace+x@Example.COM ')).toBe('ada.lovelace+x@example.com');
  });
  it.each([
    '',
    '   ',
    'ada',
    'ada@',
    '@example.com',
    'ada@example',
    'ada@@example.com',
    'a da@example.com',
    'ada@exa mple.com',
    'ada..x@example.com',
    'ada@-example.com',
    `${'a'.repeat(250)}@example.com`,
    'ada@example.com\nx',
    'ada\u0000@example.com',
  ])('refuse %j', (e) => {
    expect(() => normalizeEmail(e)).toThrow(/email/);
  });
});

describe('password policy', () => {
  it('refuses empty, short (under 8 characters) and over 72 bytes', () => {
    expect(() => checkPassword('')).toThrow(/empty/);
    expect(() => checkPassword('1234567')).toThrow(/too short: at least 8/);
    expect(() => checkPassword('é'.repeat(37))).toThrow(/too long/); // 74 bytes: bcrypt would cut it silently
    expect(() => checkPassword('12345678')).not.toThrow();
    expect(() => checkPassword('ééééééé€')).not.toThrow(); // characters, not bytes, for the minimum
  });
});

describe('login lock', () => {
  it('locks for 15 minutes at the fifth failure in a row, and only then', () => {
    let failed = 0;
    const now = Date.UTC(2026, 0, 1);
    for (let k = 1; k < MAX_FAILED_LOGINS; k++) {
      const r = afterFailedLogin(failed, now);
      expect(r).toEqual({ failed: k, lockedUntil: null });
      failed = r.failed;
    }
    expect(afterFailedLogin(failed, now)).toEqual({ failed: 0, lockedUntil: now + LOCK_MS });
    const until = new Date(now + LOCK_MS).toISOString();
    expect(isLocked(until, now + LOCK_MS - 1)).toBe(true);
    expect(isLocked(until, now + LOCK_MS)).toBe(false);
    expect(isLocked(null, now)).toBe(false);
  });
});

describe('tokens and codes', () => {
  it('a token names its database; anything else is not a token', () => {
    const db = '0193ab12-3456-7890-abcd-ef0123456789';
    const t = formatToken(db, 'A'.repeat(43));
    expect(parseToken(t)).toEqual({ databaseId: db, token: t });
    expect(parseToken(`${t}x`)).toBeNull();
    expect(parseToken(t.replace('tnc1', 'tnc2'))).toBeNull();
    expect(parseToken('')).toBeNull();
  });

  it('recovery codes: 16 characters of an unambiguous alphabet, read back whatever the case and dashes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const c = recoveryCodeFromBytes(bytes);
        expect(c).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
        expect(c).not.toMatch(/[01ilo]/);
        expect(normalizeRecoveryCode(c.toUpperCase().replace(/-/g, ' '))).toBe(c);
      }),
    );
    expect(normalizeRecoveryCode('abcd-efgh')).toBeNull();
    expect(normalizeRecoveryCode('123456')).toBeNull();
  });

  it('TOTP codes are six digits', () => {
    expect(normalizeTotpCode(' 123 456 ')).toBe('123456');
    expect(normalizeTotpCode('12345')).toBeNull();
    expect(normalizeTotpCode('12345a')).toBeNull();
  });
});

describe('plan limits', () => {
  const plan = { id: 'free', max_accounts: 3, max_bots: null, max_sweep: 100 };
  it('null is unlimited; the limit and the plan are named when refused', () => {
    expect(() => checkPlanLimit(plan, 'max_bots', 10_000, 1)).not.toThrow();
    expect(() => checkPlanLimit(plan, 'max_accounts', 2, 1)).not.toThrow();
    expect(() => checkPlanLimit(plan, 'max_accounts', 3, 1)).toThrow('plan "free" allows at most 3 accounts; you have 3');
    expect(() => checkPlanLimit(plan, 'max_sweep', 0, 100)).not.toThrow();
    expect(() => checkPlanLimit(plan, 'max_sweep', 0, 101)).toThrow(
      'plan "free" allows at most 100 combinations in one sweep; this one has 101',
    );
  });
});

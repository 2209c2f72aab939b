/**
 * Typed errors that carry data. The core and store throw these; only cli/exit-codes.ts maps them to
 * exit codes and one-line messages. Expected outcomes (an order rejection) are results, not
 * errors.
 */

/** What kind of failure: each maps to one documented exit code in cli/exit-codes.ts. */
export type ErrorKind =
  | 'usage' // bad arguments or input: exit 2
  | 'not-found' // unknown symbol, account, id: exit 3
  | 'conflict' // state forbids it (already seeded, illegal transition): exit 4
  | 'rejected' // an order was stored as rejected: exit 5
  | 'database' // db unusable: not SQLite, newer schema, unwritable: exit 6
  | 'integrity' // ledger verify found a break: exit 7
  | 'strategy' // a strategy threw, returned an invalid value or timed out: exit 9
  | 'auth' // log in first: no valid session, a failed login, or an admin-only command: exit 8
  | 'interrupted'; // stopped by Ctrl-C, cleanly: exit 130

export class TunicoinError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'TunicoinError';
  }
}

export class UsageError extends TunicoinError {
  constructor(message: string, hint?: string) {
    super('usage', message, hint);
    this.name = 'UsageError';
  }
}

export class NotFoundError extends TunicoinError {
  constructor(
    readonly what: string,
    readonly key: string,
    hint?: string,
  ) {
    super('not-found', `unknown ${what} "${key}"`, hint);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends TunicoinError {
  constructor(message: string, hint?: string) {
    super('conflict', message, hint);
    this.name = 'ConflictError';
  }
}

export class DatabaseError extends TunicoinError {
  constructor(message: string, hint?: string) {
    super('database', message, hint);
    this.name = 'DatabaseError';
  }
}

/** A strategy failed: it threw, returned something invalid, declared an invalid warm-up or overran its time limit. */
export class StrategyError extends TunicoinError {
  constructor(message: string, hint?: string) {
    super('strategy', message, hint);
    this.name = 'StrategyError';
  }

  /** The error of one named strategy: "strategy ID: message". */
  static named(strategyId: string, message: string, hint?: string): StrategyError {
    return new StrategyError(`strategy ${strategyId}: ${message}`, hint);
  }
}

/** Not logged in (several users share the database), a bad or expired session, a failed login, or admin-only. */
export class AuthError extends TunicoinError {
  constructor(message: string, hint?: string) {
    super('auth', message, hint);
    this.name = 'AuthError';
  }
}

/**
 * Refused by the trading rules (exit 5): an order stored as rejected, or an amendment refused.
 * `code` is stable for scripts (core/orders.ts RejectCode); the message says it for people.
 */
export class RejectedError extends TunicoinError {
  constructor(
    readonly code: string,
    message: string,
    readonly orderId: string | null = null,
    hint?: string,
  ) {
    super('rejected', message, hint);
    this.name = 'RejectedError';
  }
}

/** Rejected for want of margin, with the figures as exact decimal strings of the quote currency. */
export class InsufficientMarginError extends RejectedError {
  constructor(
    message: string,
    readonly required: string,
    readonly available: string,
    orderId: string | null = null,
    hint?: string,
  ) {
    super('insufficient_margin', message, orderId, hint);
    this.name = 'InsufficientMarginError';
  }
}

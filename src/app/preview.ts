/**
 * What a write would do, without doing it: the use case runs in a transaction that is always
 * rolled back, so its checks, errors and report are exactly the real ones. The CLI shows the
 * report in a confirmation question before running the use case for real.
 */
import type { Store } from '../store/db.ts';

class Preview<T> extends Error {
  constructor(readonly value: T) {
    super('preview: rolled back');
  }
}

export function preview<T>(store: Store, fn: () => T): T {
  try {
    store.tx(() => {
      throw new Preview(fn());
    });
  } catch (e) {
    if (e instanceof Preview) return e.value as T;
    throw e;
  }
  throw new Error('unreachable');
}

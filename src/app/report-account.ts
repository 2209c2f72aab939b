export function accountReport(): never { throw new Error('todo'); }

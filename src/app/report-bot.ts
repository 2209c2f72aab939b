export function botReport(): never { throw new Error('todo'); }

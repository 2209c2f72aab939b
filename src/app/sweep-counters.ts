/**
 * The counters an `optimize` sweep shares between its threads (an Int32Array over a
 * SharedArrayBuffer): the workers claim grid indices from NEXT with Atomics.add and count the
 * finished ones in DONE, which the parent waits on for its progress line.
 */
export const NEXT = 0;
export const DONE = 1;
export const COUNTERS_BYTES = 8;

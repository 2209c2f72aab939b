/** Time-ordered UUIDs (v7): B-tree inserts append instead of scattering, ids sort by creation. */
import { v7 } from 'uuid';

export const newId = (): string => v7();

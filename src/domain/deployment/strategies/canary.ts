import { steppedStrategy } from './strategy.js';

/** A small canary first, widening while it stays healthy. */
export const canary = steppedStrategy('canary', [5, 25, 50, 100]);

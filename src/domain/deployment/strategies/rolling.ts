import { steppedStrategy } from './strategy.js';

/** A quarter of the instances at a time. */
export const rolling = steppedStrategy('rolling', [25, 50, 75, 100]);

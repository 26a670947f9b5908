import { steppedStrategy } from './strategy.js';

/** A smoke slice on the green stack, then half, then the switch-over. */
export const blueGreen = steppedStrategy('blue_green', [10, 50, 100]);

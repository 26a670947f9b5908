export * from './commands.js';
export * from './events.js';
export * from './state.js';
export * from './gates.js';
export * from './strategies/index.js';
export * from './decider.js';
export * from './undo.js';

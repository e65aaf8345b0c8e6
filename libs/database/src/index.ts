export * from './admin.js';
export * from './data-source.js';
export * from './naming.strategy.js';

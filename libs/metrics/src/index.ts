export * from './http-metrics.js';
export * from './metrics-server.js';
export * from './queue-metrics.js';
export * from './registry.js';

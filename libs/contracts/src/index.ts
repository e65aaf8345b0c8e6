export * from './api.js';
export * from './queues.js';

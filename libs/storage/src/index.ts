export * from './local-storage.js';
export * from './storage.js';

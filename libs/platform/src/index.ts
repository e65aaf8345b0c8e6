export * from './bootstrap.js';
export * from './health.js';
export * from './platform.module.js';
export * from './redis.js';
export * from './zod-openapi.js';

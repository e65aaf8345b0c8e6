export * from './bootstrap.js';
export * from './database-errors.js';
export * from './exception-filter.js';
export * from './health.js';
export * from './platform.module.js';
export * from './redis.js';
export * from './trusted-proxies.js';
export * from './zod-openapi.js';

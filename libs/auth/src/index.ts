export * from './account-check.js';
export * from './auth.guard.js';
export * from './auth.module.js';
export * from './decorators.js';
export * from './principal.js';
export * from './token.service.js';

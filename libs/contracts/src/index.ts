export * from './api.js';
export * from './format.js';
export * from './queues.js';
export * from './organisation.js';
export * from './progress.js';
export * from './study-record.js';
export * from './exams.js';

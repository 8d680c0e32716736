export * from './auth.js';
export * from './common.js';
export * from './errors.js';
export * from './health.js';
export * from './audit.js';
export * from './paging.js';
export * from './organisations.js';

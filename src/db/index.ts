/**
 * The PostgreSQL room, at the bottom beside core (it imports only src/core): a checked pool from
 * DATABASE_URL, the versioned migration runner every room that keeps tables there goes through, and a
 * pool wrapper that notices outages and reconnects with backoff.
 */
export { describeTarget, inTransaction, isConnectionError, openPool, parseDatabaseUrl, type DatabaseTarget, type OpenPoolOptions, type Pool } from './pool.js';
export { migrate, type Migration } from './migrate.js';
export { DatabaseUnavailable, ResilientPool, type ResilienceOptions } from './resilient.js';

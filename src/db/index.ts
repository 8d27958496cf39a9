/**
 * The PostgreSQL room, at the bottom beside core (it imports only src/core): a checked pool from
 * DATABASE_URL and the versioned migration runner every room that keeps tables there goes through.
 */
export { describeTarget, isConnectionError, openPool, parseDatabaseUrl, type DatabaseTarget, type OpenPoolOptions, type Pool } from './pool.js';
export { migrate, type Migration } from './migrate.js';

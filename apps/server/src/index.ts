export { createProject, type ProjectCredentials, rotateKey } from './admin/projects.js';
export { type BuildAppOptions, buildApp, VERSION } from './app.js';
export { type Config, ConfigError, configSchema, loadConfig } from './config/config.js';
export type { Database, Db } from './db/database.types.js';
export { migrateToLatest } from './db/migrate.js';
export { type DatabaseHandle, type Engine, openDatabase } from './db/open-database.js';
export type { EventRecord } from './ingest/event-record.js';
export type { Services } from './services.js';

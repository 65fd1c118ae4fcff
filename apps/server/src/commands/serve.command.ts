import { buildApp } from '../app.js';
import { loadConfig } from '../config/config.js';
import type { Command } from './command.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Start the server (PORT, DATABASE_URL, ... from the environment)',
  usage: `Usage: tenure serve

Starts the ingestion and query server. Configuration comes from the environment:
  PORT (8080), HOST (0.0.0.0), DATABASE_URL (else the embedded database in
  TENURE_DATA_DIR, .tenure-data), TENURE_ADMIN_TOKEN, LOG_LEVEL; see docs/operations.md.
Migrations run on start. SIGINT and SIGTERM stop it after flushing the writer.`,
  options: {},
  async run() {
    const config = loadConfig(process.env);
    const app = await buildApp({ config, logger: { level: config.LOG_LEVEL } });
    const stop = async (signal: string) => {
      app.log.info({ signal }, 'shutting down: flushing the writer');
      await app.close();
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
    await app.listen({ port: config.PORT, host: config.HOST });
  },
};

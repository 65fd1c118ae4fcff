import { loadConfig } from '../config/config.js';
import { startDemo } from '../demo/start-demo.js';
import type { Command } from './command.js';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Start the server with a demo project and demo data',
  usage: `Usage: tenure demo

Starts the server (as tenure serve) with a project called "demo" full of generated accounts,
and prints its keys, an admin token and a few curl calls to try. The data is generated once
and kept in the database: on the embedded database in TENURE_DATA_DIR (.tenure-data), on
Postgres when DATABASE_URL is set. PORT (8080) and HOST (0.0.0.0) as for tenure serve.`,
  options: {},
  run: () => startDemo(loadConfig(process.env)),
};

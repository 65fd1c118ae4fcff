import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { DEMO_SIZE } from '../demo/seed-demo-data.js';
import { startDemo } from '../demo/start-demo.js';
import type { Command } from './command.js';
import { positiveInteger } from './positive-integer.js';

const options = { accounts: { type: 'string' }, days: { type: 'string' } } as const;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Start the server with a demo project and demo data',
  usage: `Usage: tenure demo [--accounts N] [--days D]

Starts the server (as tenure serve) with a project called "demo" full of generated accounts,
and prints its keys, an admin token and a few curl calls to try. The data and the keys are
kept in the database: the embedded one in TENURE_DATA_DIR (.tenure-data), or Postgres when
DATABASE_URL is set. On the first start the server answers as soon as the demo project
exists and generates the data after that, with progress lines; until the data is complete,
answers carry a Tenure-Demo-Data header. A generation that was interrupted (Ctrl+C stops
it between accounts) is resumed on the next start.
PORT (8080) and HOST (0.0.0.0) as for tenure serve.
  --accounts N   Accounts to generate on the first start (${DEMO_SIZE.accounts})
  --days D       Days of history to generate on the first start (${DEMO_SIZE.days})`,
  options,
  async run(args) {
    const { values } = parseArgs({ args, options });
    // A demo's webhook receiver usually runs on the same machine: allow it unless told otherwise.
    const env = { TENURE_WEBHOOK_PRIVATE_NETWORKS: 'allow', ...process.env };
    await startDemo(loadConfig(env), {
      accounts: positiveInteger('accounts', values.accounts, DEMO_SIZE.accounts),
      days: positiveInteger('days', values.days, DEMO_SIZE.days),
    });
  },
};

#!/usr/bin/env node
import { VERSION } from './app.js';
import { backtestCommand } from './commands/backtest.command.js';
import { citusDistributeCommand } from './commands/citus-distribute.command.js';
import type { Command } from './commands/command.js';
import { dataResetCommand } from './commands/data-reset.command.js';
import { demoCommand } from './commands/demo.command.js';
import { importCommand } from './commands/import.command.js';
import { importStripeCommand } from './commands/import-stripe.command.js';
import { migrateCommand } from './commands/migrate.command.js';
import { modelTrainCommand } from './commands/model-train.command.js';
import { projectCreateCommand } from './commands/project-create.command.js';
import { runCli } from './commands/run-cli.js';
import { seedCommand } from './commands/seed.command.js';
import { serveCommand } from './commands/serve.command.js';
import { userCreateCommand } from './commands/user-create.command.js';

/** Every `tenure` command, in the order `tenure --help` lists them. A new command: a file in commands/ and a line here. */
const COMMANDS: Command[] = [
  serveCommand,
  demoCommand,
  migrateCommand,
  projectCreateCommand,
  seedCommand,
  importCommand,
  importStripeCommand,
  modelTrainCommand,
  backtestCommand,
  dataResetCommand,
  citusDistributeCommand,
  userCreateCommand,
];

runCli(COMMANDS, process.argv.slice(2), { version: VERSION }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

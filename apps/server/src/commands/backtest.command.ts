// The backtest itself lives with the model (risk/model, the learned model's owner edits it).
import { backtestCommand as backtestModel } from '../risk/model/backtest.command.js';
import type { Command } from './command.js';

export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'Backtest the churn model on generated data (in memory)',
  usage: `Usage: tenure backtest [--accounts N] [--days D] [--seed S] [--horizon H]

Generates accounts into an in-memory database, trains the churn model on snapshots before a
time split and prints held-out AUC, precision at the top 10% and calibration for the default
and the learned model. Touches no configured database.
  --accounts N   Accounts to generate (300)
  --days D       Days of history (270)
  --seed S       Random seed (1)
  --horizon H    Days after a snapshot in which a cancellation counts as churn (60)`,
  options: {
    accounts: { type: 'string' },
    days: { type: 'string' },
    seed: { type: 'string' },
    horizon: { type: 'string' },
  },
  run: (args) => backtestModel(args),
};

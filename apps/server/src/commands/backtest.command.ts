// The backtest itself lives with the model (risk/model, the learned model's owner edits it).
import { backtestCommand as backtestModel } from '../risk/model/backtest.command.js';
import type { Command } from './command.js';

export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'Check the churn model against what happened: a project as of a time, or generated data',
  usage: `Usage: tenure backtest --project P --as-of T [--horizon H]
       tenure backtest [--accounts N] [--days D] [--seed S] [--horizon H]

With --project: trains the churn model as of T on that project in the configured database
(DATABASE_URL, or the embedded one; nothing is stored), scores every account active at T with
the learned model, the default weights and recency alone, and compares each with who cancelled
in the H days after T: AUC, precision and lift at the top 10%, Brier score, calibration. T + H
must not be after the project's latest activity.
Without --project: generates accounts into an in-memory database and does the same as of H
days before their last day. Touches no configured database.
  --project P    The project to backtest
  --as-of T      Train and score as of this ISO-8601 date or time
  --horizon H    Days after T in which a cancellation counts as churn (60)
  --accounts N   Accounts to generate (300)
  --days D       Days of history to generate (270)
  --seed S       Random seed of the generated data (1)`,
  options: {
    accounts: { type: 'string' },
    days: { type: 'string' },
    seed: { type: 'string' },
    horizon: { type: 'string' },
    project: { type: 'string' },
    'as-of': { type: 'string' },
  },
  run: (args) => backtestModel(args),
};

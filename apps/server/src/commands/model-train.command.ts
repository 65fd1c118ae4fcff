// The training itself lives with the model (risk/model).
import { modelTrainCommand as trainModelCommand } from '../risk/model/model-train.command.js';
import type { Command } from './command.js';

export const modelTrainCommand: Command = {
  name: 'model train',
  summary: "Learn a project's churn model from its history as of a time",
  usage: `Usage: tenure model train --project P [--as-of T] [--horizon H]

Learns the project's churn model from its own history as of T (default now) in the configured
database (DATABASE_URL, or the embedded one), with a progress bar, and stores the run. It answers
risk for T and later when it beats the default weights on the held-out weeks; the run's report
says why when it does not. See docs/risk.md.
  --project P    The project to train
  --as-of T      Use only what was known at this ISO-8601 date or time (now)
  --horizon H    Days after a snapshot in which a cancellation counts as churn (60, 7 to 365)`,
  options: {
    project: { type: 'string' },
    'as-of': { type: 'string' },
    horizon: { type: 'string' },
  },
  run: (args) => trainModelCommand(args),
};

import type { BacktestReport } from './backtest.js';
import type { ModelMetrics } from './evaluate-models.js';

const fixed = (value: number | null, digits = 3) =>
  value === null ? 'n/a' : value.toFixed(digits);
const day = (iso: string) => iso.slice(0, 10);

function row(name: string, metrics: ModelMetrics) {
  return (
    `  ${name.padEnd(15)} ${fixed(metrics.auc).padStart(6)} ${fixed(metrics.precisionAt10).padStart(14)} ` +
    `${fixed(metrics.liftAt10, 2).padStart(9)} ${fixed(metrics.brier, 4).padStart(8)}`
  );
}

/**
 * A backtest as plain text: the three models side by side, then the learned model's
 * calibration by decile and the training run behind it.
 */
export function backtestTable(report: BacktestReport): string {
  const { training } = report;
  const lines = [
    `Backtest as of ${day(report.asOf)}: ${report.accounts} active accounts, ${report.churned} ` +
      `cancelled within ${report.horizonDays} days (${fixed(report.churned / Math.max(1, report.accounts))})`,
    '',
    `  model              AUC  precision@10%  lift@10%    Brier`,
    row('learned', report.learned),
    row('default weights', report.default),
    row('recency alone', report.recency),
    '',
    'Learned model, calibration by decile (predicted vs observed churn):',
    ...report.learned.calibration.map(
      (bin) =>
        `  ${String(bin.bin).padStart(3)}  ${fixed(bin.predicted)} / ${fixed(bin.observed)}  (${bin.count} accounts)`,
    ),
    '',
    `Trained as of ${day(training.asOf)} on ${training.training.snapshots.length} weekly snapshots ` +
      `(${training.training.rows} account-snapshots, ${training.training.churned} churned)` +
      `${training.seasonWeighting ? ', same season of earlier years weighted up' : ''}; ` +
      `held out ${training.evaluation.snapshots.length} (${training.evaluation.churned} churned).`,
    `  ${training.decision}. ${(report.durationMs / 1000).toFixed(1)} s in all.`,
  ];
  return lines.join('\n');
}

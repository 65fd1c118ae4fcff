import { useState } from 'preact/hooks';
import type { ModelInfo, ModelRun } from '../../api/api.types.js';
import { api } from '../../api/api-client.js';
import type { ApiError } from '../../api/api-error.js';
import { ReliabilityChart } from '../../charts/reliability-chart.js';
import { ErrorPanel, messageOf } from '../../ui/error-panel.js';
import { DASH, formatDateTime, formatNumber, humanize } from '../../ui/format.js';
import { useApi } from '../../ui/use-api.js';

const metric = (value: number | null) => (value === null ? DASH : value.toFixed(3));

function TrainingReport({ run }: { run: ModelRun }) {
  const { report } = run;
  return (
    <>
      <p>
        Trained {formatDateTime(report.trainedAt)} on {formatNumber(report.training.rows)} snapshots
        ({report.training.churned} churned within {report.horizonDays} days); tested on{' '}
        {formatNumber(report.evaluation.rows)} held out after {report.splitAt.slice(0, 10)}.
      </p>
      <p class="decision">
        <strong>{report.adopted ? 'Adopted: ' : 'Not adopted: '}</strong>
        {report.decision}
      </p>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Held-out metric</th>
              <th scope="col">Default weights</th>
              <th scope="col">Learned model</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">AUC</th>
              <td class="num">{metric(report.default.auc)}</td>
              <td class="num">{metric(report.learned.auc)}</td>
            </tr>
            <tr>
              <th scope="row">Precision in the top 10%</th>
              <td class="num">{metric(report.default.precisionAt10)}</td>
              <td class="num">{metric(report.learned.precisionAt10)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <h3>Reliability</h3>
      <ReliabilityChart learned={report.learned} default={report.default} />
    </>
  );
}

/** The churn model in use, its latest backtest, and a button to train it again now. */
export default function ModelPage({ canEdit }: { canEdit: boolean }) {
  const [version, setVersion] = useState(0);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [training, setTraining] = useState(false);
  const model = useApi(() => api.get<ModelInfo>('/v1/model'), [version]);

  async function train() {
    setTraining(true);
    setMessage(null);
    try {
      const run = await api.post<ModelRun>('/v1/model/train', {});
      setMessage({ ok: true, text: run.report.decision });
    } catch (caught) {
      setMessage({ ok: false, text: messageOf(caught as ApiError) });
    } finally {
      setTraining(false);
      setVersion((current) => current + 1);
    }
  }

  const info = model.data;
  const run = info?.latestTraining ?? info?.model ?? null;
  return (
    <>
      <div class="page-head">
        <h1>Churn model</h1>
        <button type="button" onClick={() => void train()} disabled={training}>
          {training ? 'Training…' : 'Train now'}
        </button>
      </div>
      {canEdit ? null : <p class="notice">You are a viewer: training needs an admin.</p>}
      {message ? (
        <p class={message.ok ? 'notice notice-ok' : 'notice notice-error'} role="status">
          {message.text}
        </p>
      ) : null}
      {model.state === 'error' ? <ErrorPanel error={model.error} /> : null}
      {info ? (
        <>
          <section class="card" aria-labelledby="in-use-title">
            <h2 id="in-use-title">
              In use: {info.inUse === 'learned' ? 'the learned model' : 'the default weights'}
            </h2>
            <div class="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Factor</th>
                    <th scope="col">Default points</th>
                    <th scope="col">Learned points</th>
                    <th scope="col">Multiplier</th>
                    <th scope="col">Points in use</th>
                  </tr>
                </thead>
                <tbody>
                  {info.factors.map((factor) => (
                    <tr key={factor.key}>
                      <th scope="row">{humanize(factor.key)}</th>
                      <td class="num">{factor.defaultPoints}</td>
                      <td class="num">{factor.learnedPoints ?? DASH}</td>
                      <td class="num">×{factor.multiplier}</td>
                      <td class="num">{factor.pointsInUse}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section class="card" aria-labelledby="report-title">
            <h2 id="report-title">Latest training report</h2>
            {run ? <TrainingReport run={run} /> : <p class="empty">Not trained yet.</p>}
          </section>
        </>
      ) : (
        <p class="loading">Loading the model…</p>
      )}
    </>
  );
}

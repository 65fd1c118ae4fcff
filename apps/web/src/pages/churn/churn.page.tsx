import type { ChurnReport, ChurnReasons as Reasons, RetentionReport } from '../../api/api.types.js';
import { api } from '../../api/api-client.js';
import { ChurnChart } from '../../charts/churn-chart.js';
import { hrefOf, navigate, type Route } from '../../router/hash-router.js';
import { ErrorPanel } from '../../ui/error-panel.js';
import { useApi } from '../../ui/use-api.js';
import { ChurnReasons } from './churn-reasons.js';
import { ChurnTable } from './churn-table.js';
import { MetricDefinitions } from './metric-definitions.js';
import { RetentionHeatmap } from './retention-heatmap.js';

const GROUPS = [
  ['', 'No grouping'],
  ['plan', 'Plan'],
  ['size', 'Size (MRR band)'],
  ['tenure', 'Tenure (new or established)'],
] as const;

/** Logo churn, GRR and NRR by month or quarter; cohort retention; reasons with lost MRR. */
export default function ChurnPage({ route }: { route: Route }) {
  const period = route.query.get('period') === 'quarter' ? 'quarter' : 'month';
  const groupBy = route.query.get('groupBy') ?? '';
  const basis = route.query.get('basis') === 'revenue' ? 'revenue' : 'logo';
  const set = (changes: Record<string, string>) =>
    navigate(hrefOf('/churn', { period, groupBy, basis, ...changes }), { replace: true });

  const churn = useApi(
    () => api.get<ChurnReport>('/v1/metrics/churn', { period, groupBy }),
    [period, groupBy],
  );
  const retention = useApi(
    () => api.get<RetentionReport>('/v1/metrics/retention', { cohort: 'month', basis }),
    [basis],
  );
  const reasons = useApi(() => api.get<Reasons>('/v1/metrics/churn-reasons'), []);

  return (
    <>
      <div class="page-head">
        <h1>Churn and retention</h1>
        <MetricDefinitions />
      </div>
      <section class="card" aria-labelledby="churn-title">
        <h2 id="churn-title">Logo churn and revenue retention</h2>
        <div class="filters">
          <label>
            Period
            <select value={period} onChange={(e) => set({ period: e.currentTarget.value })}>
              <option value="month">Month</option>
              <option value="quarter">Quarter</option>
            </select>
          </label>
          <label>
            Group by
            <select value={groupBy} onChange={(e) => set({ groupBy: e.currentTarget.value })}>
              {GROUPS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
        </div>
        {churn.state === 'error' ? <ErrorPanel error={churn.error} /> : null}
        {churn.data ? (
          <>
            <ChurnChart periods={churn.data.periods} />
            <ChurnTable periods={churn.data.periods} />
          </>
        ) : (
          <p class="loading">Loading churn…</p>
        )}
      </section>
      <section class="card" aria-labelledby="retention-title">
        <h2 id="retention-title">Cohort retention</h2>
        <fieldset class="segmented">
          <legend class="visually-hidden">Basis</legend>
          {(['logo', 'revenue'] as const).map((value) => (
            <label key={value}>
              <input
                type="radio"
                name="basis"
                value={value}
                checked={basis === value}
                onChange={() => set({ basis: value })}
              />
              {value === 'logo' ? 'Accounts (logo)' : 'Revenue'}
            </label>
          ))}
        </fieldset>
        {retention.state === 'error' ? <ErrorPanel error={retention.error} /> : null}
        {retention.data ? (
          <RetentionHeatmap report={retention.data} />
        ) : (
          <p class="loading">Loading cohorts…</p>
        )}
      </section>
      <section class="card" aria-labelledby="reasons-title">
        <h2 id="reasons-title">Churn reasons</h2>
        {reasons.state === 'error' ? <ErrorPanel error={reasons.error} /> : null}
        {reasons.data ? <ChurnReasons report={reasons.data} /> : <p class="loading">Loading…</p>}
      </section>
    </>
  );
}

import type { AccountRisk, ProjectSettings, RiskTier } from '../../api/api.types.js';
import { api } from '../../api/api-client.js';
import { ScoreHistoryChart } from '../../charts/score-history-chart.js';
import { ErrorPanel } from '../../ui/error-panel.js';
import { useApi } from '../../ui/use-api.js';

interface History {
  snapshots: { takenAt: string; score: number; tier: RiskTier }[];
}

/** The stored snapshots of the last 90 days up to asOf, ending on the score as of asOf. */
export function ScoreHistory(props: {
  accountId: string;
  asOf: string | null;
  risk: AccountRisk;
  settings: ProjectSettings;
}) {
  const history = useApi(
    () =>
      api.get<History>(`/v1/accounts/${encodeURIComponent(props.accountId)}/risk/history`, {
        days: 90,
        asOf: props.asOf,
      }),
    [props.accountId, props.asOf],
  );
  if (history.state === 'error') return <ErrorPanel error={history.error} />;
  if (!history.data) return <p class="loading">Loading the score history…</p>;
  const points = [
    ...history.data.snapshots.map((snapshot) => ({ at: snapshot.takenAt, score: snapshot.score })),
    { at: props.risk.asOf, score: props.risk.score },
  ];
  return (
    <>
      <ScoreHistoryChart points={points} cutoffs={props.settings.tierCutoffs} />
      <p class="chart-note">
        Bands: healthy below {props.settings.tierCutoffs.watch}, watch from{' '}
        {props.settings.tierCutoffs.watch}, at risk from {props.settings.tierCutoffs.at_risk},
        critical from {props.settings.tierCutoffs.critical}. A snapshot is stored when the score
        changes.
      </p>
    </>
  );
}

import type { FeatureAdoption as Adoption } from '../../api/api.types.js';
import { api } from '../../api/api-client.js';
import { ErrorPanel } from '../../ui/error-panel.js';
import { DASH, formatDay, formatPercent, humanize } from '../../ui/format.js';
import { useApi } from '../../ui/use-api.js';

/**
 * Key features used in the last 28 days, with the share of the account's active users on each
 * and the share of the plan's retained accounts using it (`peerShare`, the figure the
 * recommendations quote for unused features).
 */
export function FeatureAdoption(props: { accountId: string; asOf: string | null }) {
  const adoption = useApi(
    () =>
      api.get<Adoption>(`/v1/accounts/${encodeURIComponent(props.accountId)}/features`, {
        asOf: props.asOf,
      }),
    [props.accountId, props.asOf],
  );
  if (adoption.state === 'error') return <ErrorPanel error={adoption.error} />;
  if (!adoption.data) return <p class="loading">Loading features…</p>;
  const { keyFeatures, keyFeaturesSource, peers } = adoption.data;
  const used = keyFeatures.filter((feature) => feature.adopted).length;
  const comparable = keyFeatures.some((feature) => feature.peerShare !== null);
  const onPlan = peers.plan ? `on the ${peers.plan} plan` : 'without a plan';
  return (
    <>
      <p>
        Uses {used} of {keyFeatures.length} key features in the last 28 days
        {keyFeaturesSource === 'inferred' ? ' (key features inferred from the project)' : ''}.
      </p>
      <p class="chart-note" data-testid="feature-peers">
        {comparable
          ? `Peers: the ${peers.accounts} retained accounts ${onPlan} (a login in the last 28 days).`
          : `Too few retained accounts ${onPlan} to compare with (${peers.accounts}; 5 needed).`}
      </p>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Feature</th>
              <th scope="col">Used (28 d)</th>
              <th scope="col">Users</th>
              <th scope="col">Peers on plan</th>
              <th scope="col">Last used</th>
            </tr>
          </thead>
          <tbody>
            {keyFeatures.map((feature) => (
              <tr key={feature.feature}>
                <th scope="row">{humanize(feature.feature)}</th>
                <td>
                  {feature.adopted ? (
                    `✓ ${feature.uses28} uses`
                  ) : (
                    <span class="warn">✗ not used</span>
                  )}
                </td>
                <td class="num">{formatPercent(feature.userShare28, 0)}</td>
                <td class="num" data-peer-share={feature.peerShare ?? ''}>
                  {feature.peerShare === null ? DASH : formatPercent(feature.peerShare, 0)}
                </td>
                <td>{formatDay(feature.lastUsed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

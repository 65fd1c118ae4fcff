import type { FeatureAdoption as Adoption } from '../../api/api.types.js';
import { api } from '../../api/api-client.js';
import { ErrorPanel } from '../../ui/error-panel.js';
import { DASH, formatDay, formatPercent, humanize } from '../../ui/format.js';
import { useApi } from '../../ui/use-api.js';

/**
 * Key features used in the last 28 days, with the share of the account's active users on each;
 * the peer column fills in when the API gives the plan's adoption (`peerShare`). The
 * recommendations already quote it for unused features.
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
  const { keyFeatures, keyFeaturesSource } = adoption.data;
  const used = keyFeatures.filter((feature) => feature.adopted).length;
  return (
    <>
      <p>
        Uses {used} of {keyFeatures.length} key features in the last 28 days
        {keyFeaturesSource === 'inferred' ? ' (key features inferred from the project)' : ''}.
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
                <td class="num">
                  {typeof feature.peerShare === 'number'
                    ? formatPercent(feature.peerShare, 0)
                    : DASH}
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

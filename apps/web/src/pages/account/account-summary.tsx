import type { AccountProfile } from '../../api/api.types.js';
import { DASH, formatDay, formatMoney, formatTenure, humanize } from '../../ui/format.js';

/** The owner, from the usual trait names (CRMs call it owner, csm or accountOwner). */
function ownerOf(traits: Record<string, unknown>): string {
  for (const key of ['owner', 'csm', 'accountOwner', 'ownerEmail', 'owner_email']) {
    const value = traits[key];
    if (typeof value === 'string' && value) return value;
  }
  return DASH;
}

function tenureDays(profile: AccountProfile): number | null {
  const created =
    typeof profile.traits['createdAt'] === 'string' ? profile.traits['createdAt'] : null;
  const start = [created, profile.firstSeen]
    .filter((value): value is string => Boolean(value))
    .map((value) => Date.parse(value))
    .filter((time) => !Number.isNaN(time));
  if (start.length === 0) return null;
  return Math.max(0, Math.floor((Date.parse(profile.asOf) - Math.min(...start)) / 86_400_000));
}

export function AccountSummary({ profile }: { profile: AccountProfile }) {
  const facts: [string, string][] = [
    ['Plan', profile.plan ?? DASH],
    ['MRR', formatMoney(profile.mrr)],
    ['Seats', profile.seats === null ? DASH : String(profile.seats)],
    ['Tenure', formatTenure(tenureDays(profile))],
    ['Owner', ownerOf(profile.traits)],
    ['Usage', profile.cadence.current ? humanize(profile.cadence.current) : DASH],
    ['First seen', formatDay(profile.firstSeen)],
    ['Last seen', formatDay(profile.lastSeen)],
  ];
  return (
    <dl class="facts" data-testid="account-facts">
      {facts.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
      {profile.churnedAt ? (
        <div>
          <dt>Churned</dt>
          <dd>{formatDay(profile.churnedAt)}</dd>
        </div>
      ) : null}
    </dl>
  );
}

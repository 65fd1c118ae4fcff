import { RISK_TIERS } from '../../api/api.types.js';
import { humanize, TIER_LABELS } from '../../ui/format.js';
import type { AccountFilters } from './account-queries.js';

/** Tier, plan, segment and a name search; every change goes into the URL. */
export function AccountsFilters(props: {
  filters: AccountFilters;
  plans: readonly string[];
  segments: readonly string[];
  onChange: (filters: AccountFilters) => void;
}) {
  const { filters, onChange } = props;
  const set = (name: keyof AccountFilters) => (event: Event) =>
    onChange({ ...filters, [name]: (event.currentTarget as HTMLInputElement).value || undefined });
  return (
    <form class="filters" aria-label="Filter accounts" onSubmit={(event) => event.preventDefault()}>
      <label>
        Search
        <input
          type="search"
          placeholder="Account name"
          value={filters.q ?? ''}
          onInput={set('q')}
        />
      </label>
      <label>
        Tier
        <select value={filters.tier ?? ''} onChange={set('tier')}>
          <option value="">All tiers</option>
          {RISK_TIERS.map((tier) => (
            <option key={tier} value={tier}>
              {TIER_LABELS[tier]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Plan
        <select value={filters.plan ?? ''} onChange={set('plan')}>
          <option value="">All plans</option>
          {props.plans.map((plan) => (
            <option key={plan} value={plan}>
              {plan}
            </option>
          ))}
        </select>
      </label>
      <label>
        Segment
        <select value={filters.segment ?? ''} onChange={set('segment')}>
          <option value="">All segments</option>
          {props.segments.map((segment) => (
            <option key={segment} value={segment}>
              {segment.startsWith('size:') ? `MRR ${segment.slice(5)}` : humanize(segment)}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}

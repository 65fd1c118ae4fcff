import { useEffect, useRef, useState } from 'preact/hooks';
import { RISK_TIERS } from '../../api/api.types.js';
import { humanize, TIER_LABELS } from '../../ui/format.js';
import type { AccountFilters } from './account-queries.js';

/** Typing pauses this long before the search goes to the server (and into the URL). */
const SEARCH_DELAY_MS = 250;

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
  // The box shows what is typed at once; the list follows when typing pauses. Blank or
  // whitespace is no search (the API refuses a blank one).
  const [search, setSearch] = useState(filters.q ?? '');
  const timer = useRef<ReturnType<typeof setTimeout>>();
  // The URL changed (back, a link): show its search, unless typing is still under way.
  useEffect(() => {
    if (timer.current === undefined) setSearch(filters.q ?? '');
  }, [filters.q]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const typed = (event: Event) => {
    const value = (event.currentTarget as HTMLInputElement).value;
    setSearch(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = undefined;
      onChange({ ...filters, q: value.trim() || undefined });
    }, SEARCH_DELAY_MS);
  };
  return (
    <form class="filters" aria-label="Filter accounts" onSubmit={(event) => event.preventDefault()}>
      <label>
        Search
        <input
          type="search"
          placeholder="Account name or id"
          maxLength={100}
          value={search}
          onInput={typed}
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

import type { AccountListItem } from '../../api/api.types.js';
import { DASH, daysAgo, formatDay, formatMoney, formatPercent } from '../../ui/format.js';
import { TierBadge } from '../../ui/tier-badge.js';
import { TrendArrow } from '../../ui/trend-arrow.js';
import type { AccountFilters } from './account-queries.js';

type Sort = AccountFilters['sort'];

function SortHeader(props: {
  label: string;
  sort: Sort;
  current: Sort;
  onSort: (sort: Sort) => void;
}) {
  const active = props.sort === props.current;
  return (
    <th scope="col" aria-sort={active ? 'descending' : 'none'}>
      <button type="button" class="sort-button" onClick={() => props.onSort(props.sort)}>
        {props.label}
        <span aria-hidden="true">{active ? ' ▼' : ' ⇅'}</span>
      </button>
    </th>
  );
}

/** The accounts list: riskiest first by default; score, MRR and last seen sort on the server. */
export function AccountsTable(props: {
  accounts: readonly AccountListItem[];
  asOf: string;
  sort: Sort;
  onSort: (sort: Sort) => void;
}) {
  return (
    <div class="table-scroll">
      <table class="accounts-table">
        <caption class="visually-hidden">
          Accounts, sorted by {props.sort.replace('_', ' ')}
        </caption>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <SortHeader label="Score" sort="risk" current={props.sort} onSort={props.onSort} />
            <th scope="col">Tier</th>
            <th scope="col">Trend</th>
            <th scope="col">Churn prob.</th>
            <SortHeader label="MRR" sort="mrr" current={props.sort} onSort={props.onSort} />
            <th scope="col">Plan</th>
            <SortHeader
              label="Last seen"
              sort="last_seen"
              current={props.sort}
              onSort={props.onSort}
            />
            <th scope="col">Top factor</th>
          </tr>
        </thead>
        <tbody>
          {props.accounts.map((account) => (
            <tr key={account.accountId} data-tier={account.tier}>
              <th scope="row">
                <a href={`#/accounts/${encodeURIComponent(account.accountId)}`}>
                  {account.name ?? account.accountId}
                </a>
              </th>
              <td class="num score">{account.score}</td>
              <td>
                <TierBadge tier={account.tier} />
              </td>
              <td>
                <TrendArrow trend={account.trend} />
              </td>
              <td class="num">
                {typeof account.churnProbability === 'number'
                  ? formatPercent(account.churnProbability, 0)
                  : DASH}
              </td>
              <td class="num">{formatMoney(account.mrr)}</td>
              <td>{account.plan ?? DASH}</td>
              <td title={formatDay(account.lastSeen)}>{daysAgo(account.lastSeen, props.asOf)}</td>
              <td class="factor">{account.topFactors[0]?.message ?? 'Nothing stands out'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

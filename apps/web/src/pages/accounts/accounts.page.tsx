import { useMemo, useState } from 'preact/hooks';
import type { AccountList } from '../../api/api.types.js';
import { hrefOf, navigate, type Route } from '../../router/hash-router.js';
import { useDrawnMark } from '../../ui/drawn-mark.js';
import { ErrorPanel } from '../../ui/error-panel.js';
import { useApi } from '../../ui/use-api.js';
import {
  type AccountFilters,
  fetchAccountPage,
  fetchAllAccounts,
  fetchFacets,
  fetchTierSummary,
} from './account-queries.js';
import { accountsCsv, download } from './accounts-csv.js';
import { AccountsFilters } from './accounts-filters.js';
import { AccountsTable } from './accounts-table.js';
import { RevenueAtRisk } from './revenue-at-risk.js';

function filtersOf(route: Route): AccountFilters {
  const sort = route.query.get('sort');
  return {
    tier: route.query.get('tier') ?? undefined,
    plan: route.query.get('plan') ?? undefined,
    segment: route.query.get('segment') ?? undefined,
    sort: sort === 'mrr' || sort === 'last_seen' ? sort : 'risk',
    q: route.query.get('q') ?? undefined,
  };
}

/**
 * Accounts at risk: the server searches, filters, sorts and pages; the revenue-at-risk totals
 * and the filter choices come from what it keeps counted (the list's summary, the facets).
 */
export function AccountsPage({ route }: { route: Route }) {
  const filters = filtersOf(route);
  const key = JSON.stringify(filters);
  // The cursors walked under these filters: a cursor belongs to its filters (the API refuses it
  // under others), so a change of filters starts from the first page in the same render.
  const [paging, setPaging] = useState<{ key: string; cursors: string[] }>({ key, cursors: [] });
  const cursors = paging.key === key ? paging.cursors : [];
  const setCursors = (next: string[]) => setPaging({ key, cursors: next });

  const page = useApi<AccountList>(
    () => fetchAccountPage(filters, cursors.at(-1)),
    [key, cursors.at(-1)],
  );
  // The whole book's totals and the filter choices, read once: both are kept by the server, so
  // neither reads the list.
  const summary = useApi(fetchTierSummary, []);
  const facets = useApi(fetchFacets, []);
  const plans = useMemo(
    () => facets.data?.plans.flatMap((facet) => facet.plan ?? []) ?? [],
    [facets.data],
  );
  const segments = useMemo(
    () => facets.data?.segments.map((facet) => facet.segment) ?? [],
    [facets.data],
  );
  const [exporting, setExporting] = useState(false);

  const change = (next: AccountFilters) =>
    navigate(hrefOf('/accounts', { ...next, sort: next.sort === 'risk' ? undefined : next.sort }), {
      replace: true,
    });

  async function exportCsv() {
    setExporting(true);
    try {
      const accounts = await fetchAllAccounts(filters);
      download(
        `tenure-accounts-${new Date().toISOString().slice(0, 10)}.csv`,
        accountsCsv(accounts),
      );
    } finally {
      setExporting(false);
    }
  }

  const rows = page.data?.accounts ?? [];
  const loading = page.state === 'loading';

  useDrawnMark('accounts-drawn', !loading && rows.length > 0, rows);

  return (
    <>
      <div class="page-head">
        <h1>Accounts at risk</h1>
        <button type="button" onClick={() => void exportCsv()} disabled={exporting}>
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      <RevenueAtRisk summary={summary.data ?? null} />
      <AccountsFilters filters={filters} plans={plans} segments={segments} onChange={change} />
      {page.state === 'error' ? <ErrorPanel error={page.error} /> : null}
      <div
        aria-busy={loading}
        data-testid="accounts-list"
        data-state={loading ? 'loading' : 'ready'}
      >
        {rows.length || loading ? (
          <AccountsTable
            accounts={rows}
            asOf={page.data?.asOf ?? new Date().toISOString()}
            sort={filters.sort}
            onSort={(sort) => change({ ...filters, sort })}
          />
        ) : (
          <p class="empty">
            {filters.q
              ? `No account's name or id contains "${filters.q}" under these filters.`
              : 'No accounts match these filters.'}
          </p>
        )}
      </div>
      <nav class="pager" aria-label="Pages">
        <button
          type="button"
          disabled={cursors.length === 0 || loading}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          ← Previous
        </button>
        <span>Page {cursors.length + 1}</span>
        <button
          type="button"
          disabled={!page.data?.nextCursor || loading}
          onClick={() => setCursors([...cursors, page.data!.nextCursor!])}
        >
          Next →
        </button>
      </nav>
    </>
  );
}

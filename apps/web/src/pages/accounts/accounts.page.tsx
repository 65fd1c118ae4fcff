import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AccountList, AccountListItem } from '../../api/api.types.js';
import { hrefOf, navigate, type Route } from '../../router/hash-router.js';
import { useDrawnMark } from '../../ui/drawn-mark.js';
import { ErrorPanel } from '../../ui/error-panel.js';
import { useApi } from '../../ui/use-api.js';
import {
  type AccountFilters,
  fetchAccountPage,
  fetchAllAccounts,
  matchesSearch,
  PAGE_SIZE,
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
 * Accounts at risk: the server filters, sorts and pages; the whole book (all pages) is read
 * once in the background for the revenue-at-risk totals, the filter choices and the name
 * search, which the list API has no parameter for.
 */
export function AccountsPage({ route }: { route: Route }) {
  const filters = filtersOf(route);
  const { q, ...serverFilters } = filters;
  const key = JSON.stringify(serverFilters);
  const [cursors, setCursors] = useState<string[]>([]);
  const [searchPage, setSearchPage] = useState(0);
  useEffect(() => {
    setCursors([]);
    setSearchPage(0);
  }, [key, q]);

  const page = useApi<AccountList>(
    () => fetchAccountPage(filters, cursors.at(-1)),
    [key, cursors.at(-1)],
  );
  // The whole book, for the totals and the filter choices: carried on from the first page of
  // the unfiltered list when that is what is shown (see fetchAllAccounts), else read afresh.
  const unfilteredFirstPage =
    !serverFilters.tier && !serverFilters.plan && !serverFilters.segment && filters.sort === 'risk'
      ? cursors.length === 0 && page.state === 'ready'
        ? page.data
        : undefined
      : null;
  // Read once: later filters and pages keep the totals of the whole book.
  const startFrom = useRef<AccountList | null | undefined>(undefined);
  if (startFrom.current === undefined && unfilteredFirstPage !== undefined) {
    startFrom.current = unfilteredFirstPage ?? null;
  }
  const everyone = useApi(
    () =>
      startFrom.current === undefined
        ? new Promise<never>(() => {})
        : fetchAllAccounts({ sort: 'risk' }, startFrom.current ?? undefined),
    [startFrom.current === undefined],
  );

  const matching = useApi<AccountListItem[] | null>(
    () =>
      q
        ? fetchAllAccounts(serverFilters).then((all) => all.filter((a) => matchesSearch(a, q)))
        : Promise.resolve(null),
    [key, q],
  );

  const all = everyone.data ?? null;
  const plans = useMemo(() => [...new Set(all?.flatMap((a) => a.plan ?? []))].sort(), [all]);
  const segments = useMemo(() => [...new Set(all?.flatMap((a) => a.segments))].sort(), [all]);
  const [exporting, setExporting] = useState(false);

  const change = (next: AccountFilters) =>
    navigate(hrefOf('/accounts', { ...next, sort: next.sort === 'risk' ? undefined : next.sort }), {
      replace: true,
    });

  async function exportCsv() {
    setExporting(true);
    try {
      const accounts = (await fetchAllAccounts(serverFilters)).filter(
        (account) => !q || matchesSearch(account, q),
      );
      download(
        `tenure-accounts-${new Date().toISOString().slice(0, 10)}.csv`,
        accountsCsv(accounts),
      );
    } finally {
      setExporting(false);
    }
  }

  const searched = matching.data;
  const rows = q
    ? (searched ?? []).slice(searchPage * PAGE_SIZE, (searchPage + 1) * PAGE_SIZE)
    : (page.data?.accounts ?? []);
  const hasNext = q
    ? (searched?.length ?? 0) > (searchPage + 1) * PAGE_SIZE
    : Boolean(page.data?.nextCursor);
  const hasPrevious = q ? searchPage > 0 : cursors.length > 0;
  const pageNumber = (q ? searchPage : cursors.length) + 1;
  const loading = q ? matching.state === 'loading' : page.state === 'loading';
  const error =
    page.state === 'error' ? page.error : matching.state === 'error' ? matching.error : null;

  useDrawnMark('accounts-drawn', !loading && rows.length > 0, rows);

  return (
    <>
      <div class="page-head">
        <h1>Accounts at risk</h1>
        <button type="button" onClick={() => void exportCsv()} disabled={exporting}>
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      <RevenueAtRisk accounts={all} />
      <AccountsFilters filters={filters} plans={plans} segments={segments} onChange={change} />
      {error ? <ErrorPanel error={error} /> : null}
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
          <p class="empty">No accounts match these filters.</p>
        )}
      </div>
      <nav class="pager" aria-label="Pages">
        <button
          type="button"
          disabled={!hasPrevious || loading}
          onClick={() => (q ? setSearchPage(searchPage - 1) : setCursors(cursors.slice(0, -1)))}
        >
          ← Previous
        </button>
        <span>Page {pageNumber}</span>
        <button
          type="button"
          disabled={!hasNext || loading}
          onClick={() =>
            q ? setSearchPage(searchPage + 1) : setCursors([...cursors, page.data!.nextCursor!])
          }
        >
          Next →
        </button>
      </nav>
    </>
  );
}

import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { AppError } from '../../errors/app-error.js';
import { defineRoute } from '../../http/define-route.js';
import { getProjectSettings, type ProjectSettings } from '../../settings/project-settings.js';
import { effectiveAsOf } from '../../time/as-of.js';
import { utcDay } from '../../time/utc-day.js';
import type { AccountSort, PagePosition } from '../account-list.js';
import { accountListQuerySchema, accountListResponseSchema } from '../account-list.schemas.js';
import { listAsOf } from '../account-list-as-of.js';
import { scoredItem, storedItem } from '../account-list-items.js';
import { segmentLabels } from '../account-segments.js';
import { readScoresState } from '../current-scores-state.sql.js';
import { decodeCursor, encodeCursor } from '../list-cursor.js';
import { withTodayNow } from '../list-today.js';
import { scoringBasis } from '../scoring-basis.js';
import { type StoredListFilters, storedListPage } from '../stored-account-list.sql.js';
import { storedTierSummary } from '../tier-summary.js';

/**
 * A list request waits for the accounts its project has queued for re-scoring when they fit
 * in a batch or two (a client that just sent events then lists them sees them scored); a
 * longer queue is not waited for, and the answer says how many are `pending`.
 */
const CATCH_UP_ACCOUNTS = 1_000;
const CATCH_UP_MS = 2_000;

/**
 * `GET /v1/accounts`: the accounts with their risk, filtered, sorted, keyset-paginated. The
 * current list reads the stored scores (kept by the score keeper); an `asOf` list is computed
 * on demand from point-in-time data, in slices.
 */
export function accountListRoute(app: FastifyInstance): void {
  const { db, heavyWork, scores } = app.services;
  defineRoute(app, {
    method: 'GET',
    url: '/v1/accounts',
    auth: 'secret',
    summary: 'List accounts with risk: filter by tier, plan, segment; sort by risk, MRR, last seen',
    tags: ['risk'],
    querystring: accountListQuerySchema,
    response: accountListResponseSchema,
    handler: async ({ query, projectId }) => {
      const settings = await getProjectSettings(db, projectId);
      if (query.segment !== undefined && !segmentLabels(settings).includes(query.segment)) {
        throw new AppError('invalid_request', {
          message: `query.segment: expected one of ${segmentLabels(settings).join(', ')}`,
        });
      }
      const { cursor, limit, asOf: requestedAsOf, ...shape } = query;
      const queryKey = JSON.stringify(shape);
      const position = cursor === undefined ? undefined : decodeCursor(cursor, queryKey);
      if (position?.live && requestedAsOf !== undefined) {
        throw new AppError('invalid_request', {
          message: 'query.cursor: the cursor belongs to the current list, not to an asOf list',
        });
      }
      const live = position ? position.live === true : requestedAsOf === undefined;
      const filters: StoredListFilters = {
        tiers: query.tier,
        plan: query.plan,
        segment: query.segment,
        search: query.q,
        status: query.status,
      };
      const after = position && { key: position.key, id: position.id };
      const request = { sort: query.sort as AccountSort, filters, limit, after, queryKey };
      // With score keeping off, the current list is computed on demand like an asOf list.
      if (live && scores.enabled) {
        const answer = await currentList(app, projectId, settings, request);
        if (answer) return answer;
      }
      // On demand, the list scores every account: it runs under the heavy-work limits, and
      // identical requests in flight share one computation (a current list by 'now').
      const requested = position && !position.live ? new Date(position.asOf) : requestedAsOf;
      const computation = `accounts:${live ? 'now' : requested?.toISOString()}:${queryKey}:${limit}:${cursor ?? ''}`;
      const { asOf, page } = await heavyWork.run(projectId, computation, async () => {
        const asOf = effectiveAsOf(requested);
        const page = await listAsOf(db, projectId, settings, {
          asOf,
          sort: request.sort,
          filters,
          status: query.status,
          limit,
          after,
        });
        return { asOf, page };
      });
      return {
        asOf: asOf.toISOString(),
        accounts: page.accounts.map((account) => scoredItem(account, settings)),
        nextCursor:
          page.hasMore && page.last
            ? encodeCursor({
                asOf: asOf.toISOString(),
                query: queryKey,
                ...page.last,
                ...(live ? { live: true as const } : {}),
              })
            : null,
        summary: position ? null : page.summary,
        stale: false,
        rescoring: live ? scores.passProgress(projectId) : null,
        pending: 0,
      };
    },
  });
}

async function currentList(
  app: FastifyInstance,
  projectId: string,
  settings: ProjectSettings,
  request: {
    sort: AccountSort;
    filters: StoredListFilters;
    limit: number;
    after: PagePosition | undefined;
    queryKey: string;
  },
): Promise<z.infer<typeof accountListResponseSchema> | null> {
  const { db, scores } = app.services;
  if (scores.pendingAccounts(projectId) <= CATCH_UP_ACCOUNTS) {
    await scores.caughtUp(projectId, CATCH_UP_MS);
  }
  const now = scores.now();
  const day = utcDay(now);
  const [state, basis, page, summary] = await Promise.all([
    readScoresState(db, projectId),
    scoringBasis(db, projectId, now),
    storedListPage(db, projectId, settings, { ...request, day }),
    request.after ? null : storedTierSummary(db, projectId, settings, request.filters, day),
  ]);
  const mine = scores.passProgress(projectId);
  const rescoring = mine ?? state.pass;
  const behind = state.basis !== basis || state.scoredDay !== day;
  // A pass recorded by another process is left to it while it reports; one whose process died
  // (it stopped reporting) is taken over by checkProject, jobs or no jobs.
  if (behind && !mine) void scores.checkProject(projectId);
  // Before the project's first pass completes (a new install, an upgrade) the stored rows may
  // miss accounts: the list is computed on demand instead, until the pass is done.
  if (state.scoredDay === null) return null;
  const accounts = await withTodayNow(db, projectId, page.accounts, {
    asOf: now,
    basis,
    settings,
  });
  const last = accounts[accounts.length - 1];
  const keyOf = { risk: last?.score, mrr: last?.mrr, last_seen: last?.lastSeenDay }[request.sort];
  return {
    asOf: now.toISOString(),
    accounts: accounts.map((account) => storedItem(account, settings, day)),
    nextCursor:
      page.hasMore && last
        ? encodeCursor({
            asOf: now.toISOString(),
            query: request.queryKey,
            key: keyOf ?? null,
            id: last.accountId,
            live: true,
          })
        : null,
    summary,
    stale: behind || rescoring !== null,
    rescoring: rescoring && { done: rescoring.done, total: rescoring.total },
    pending: scores.pendingAccounts(projectId),
  };
}

import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../../http/define-route.js';
import { alertFeedQuerySchema, alertFeedSchema } from '../alert-feed.schemas.js';
import { alertFeedPage } from '../alert-feed.sql.js';
import { decodeFeedCursor, encodeFeedCursor } from '../feed-cursor.js';

/**
 * `GET /v1/alerts`: the early warnings across accounts, newest first (what the detector found:
 * a worse tier, a score jump, inactivity, a milestone), filtered, keyset-paginated.
 */
export function alertFeedRoute(app: FastifyInstance): void {
  const { db } = app.services;
  defineRoute(app, {
    method: 'GET',
    url: '/v1/alerts',
    auth: 'secret',
    summary: 'Early warnings across accounts, newest first: filter by type, account, since',
    tags: ['webhooks'],
    querystring: alertFeedQuerySchema,
    response: alertFeedSchema,
    handler: async ({ query, projectId }) => {
      const { cursor, limit, ...filters } = query;
      const queryKey = JSON.stringify({
        type: filters.type,
        accountId: filters.accountId,
        since: filters.since?.toISOString(),
      });
      const after = cursor === undefined ? undefined : decodeFeedCursor(cursor, queryKey);
      const page = await alertFeedPage(db, projectId, {
        filters: { types: filters.type, accountId: filters.accountId, since: filters.since },
        limit,
        after,
      });
      return {
        alerts: page.alerts,
        nextCursor:
          page.hasMore && page.last ? encodeFeedCursor({ query: queryKey, ...page.last }) : null,
      };
    },
  });
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoute } from '../../http/define-route.js';
import { getProjectSettings } from '../../settings/project-settings.js';
import { utcDay } from '../../time/utc-day.js';
import { accountFacets } from '../account-facets.sql.js';

const facet = { accounts: z.number().int(), mrr: z.number() };

const query = z.strictObject({
  status: z
    .enum(['active', 'churned', 'all'])
    .default('active')
    .describe('As on the account list: active (default), churned or all'),
});

const response = z.object({
  plans: z
    .array(z.object({ plan: z.string().nullable(), ...facet }))
    .describe('Every plan of the accounts, by name (accounts without a plan last, as null)'),
  segments: z
    .array(z.object({ segment: z.string(), ...facet }))
    .describe('Every segment label that holds accounts: new, established, then the MRR bands'),
});

/**
 * `GET /v1/account-facets`: the plans and segments of the project's accounts with accounts and
 * MRR in each, from the stored current scores: what the list's `plan` and `segment` filters
 * can be set to, without reading the list. (Not under `/v1/accounts/`, where any name is an
 * account id.)
 */
export function accountFacetsRoute(app: FastifyInstance): void {
  const { db } = app.services;
  defineRoute(app, {
    method: 'GET',
    url: '/v1/account-facets',
    auth: 'secret',
    summary: "The plans and segments of the project's accounts, with accounts and MRR in each",
    tags: ['risk'],
    querystring: query,
    response,
    handler: async ({ query, projectId }) => {
      const settings = await getProjectSettings(db, projectId);
      return accountFacets(db, projectId, {
        settings,
        day: utcDay(new Date()),
        status: query.status,
      });
    },
  });
}

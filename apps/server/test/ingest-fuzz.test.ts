import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.js';

const validMessage = fc.record({
  type: fc.constantFrom('track', 'identify', 'group', 'page', 'screen', 'alias'),
  messageId: fc.uuid(),
  userId: fc.string({ minLength: 1, maxLength: 20 }),
  anonymousId: fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
  event: fc.constantFrom(
    'login',
    'feature_used',
    'support_ticket_opened',
    'subscription_started',
    'custom thing',
  ),
  groupId: fc.string({ minLength: 1, maxLength: 10 }),
  previousId: fc.string({ minLength: 1, maxLength: 10 }),
  timestamp: fc
    .date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  properties: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 })),
  traits: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 })),
  context: fc.option(
    fc.record({ groupId: fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null)) }),
    { nil: undefined },
  ),
});

/** Valid-looking messages with a few fields replaced by arbitrary JSON: the usual bad input. */
const mutatedMessage = fc
  .tuple(
    validMessage,
    fc.array(
      fc.tuple(
        fc.constantFrom(
          'type',
          'messageId',
          'userId',
          'event',
          'timestamp',
          'properties',
          'context',
          'groupId',
          'sentAt',
          'traits',
        ),
        fc.oneof(
          fc.jsonValue(),
          fc.string(),
          fc.constant(undefined),
          fc.constant('\u0000'),
          fc.constant('\ud800'),
        ),
      ),
      { maxLength: 3 },
    ),
  )
  .map(([message, mutations]) => {
    const mutated: Record<string, unknown> = { ...message };
    for (const [key, value] of mutations) mutated[key] = value;
    return mutated;
  });

const body = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      batch: fc.array(fc.oneof(mutatedMessage, fc.jsonValue()), { maxLength: 20 }),
    }),
  },
  { weight: 1, arbitrary: fc.jsonValue() },
  {
    weight: 1,
    arbitrary: fc.record({
      batch: fc.array(mutatedMessage, { maxLength: 5 }),
      sentAt: fc.oneof(fc.string(), fc.date().map(String)),
      context: fc.jsonValue(),
    }),
  },
);

/**
 * Random and mutated payloads: the answer is always a clear JSON result or error (never a 500),
 * and exactly the accepted events are stored — no partial event, no event beyond the count.
 */
describe('ingestion under random and hostile input (PGlite)', () => {
  let t: TestApp;
  let stored = 0;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(() => t.close());

  it('never answers 500 and stores exactly what it reports', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (payload, asText) => {
        const response = await t.app.inject({
          method: 'POST',
          url: '/v1/batch',
          headers: {
            authorization: t.writeAuth,
            'content-type': asText ? 'text/plain' : 'application/json',
          },
          payload: JSON.stringify(payload),
        });
        expect([200, 400, 413]).toContain(response.statusCode);
        const answer = response.json();
        if (response.statusCode !== 200) {
          expect(answer.error).toMatchObject({
            code: expect.any(String),
            message: expect.any(String),
          });
          return;
        }
        const items = (payload as { batch: unknown[] }).batch;
        expect(answer.accepted + answer.duplicates + answer.rejected.length).toBe(items.length);
        for (const rejection of answer.rejected) {
          expect(rejection).toMatchObject({
            index: expect.any(Number),
            code: expect.any(String),
            message: expect.any(String),
          });
        }
        stored += answer.accepted;
        const count = await t.app.services.db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(count.n).toBe(stored);
      }),
      { numRuns: 300 },
    );
    // The generators must also produce valid events, or this would only test refusals.
    expect(stored).toBeGreaterThan(50);
  });
});

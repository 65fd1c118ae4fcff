import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchTransport } from './fetch-transport.js';

const server = setupServer(
  http.post('https://tenure.test/v1/batch', () =>
    HttpResponse.json(
      { error: { code: 'overloaded' } },
      { status: 503, headers: { 'Retry-After': '2' } },
    ),
  ),
  http.post('https://hung.test/v1/batch', async () => {
    await delay('infinite');
    return HttpResponse.json({});
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('fetchTransport', () => {
  it('returns the status, Retry-After and body of the answer', async () => {
    const answer = await fetchTransport().send({
      url: 'https://tenure.test/v1/batch',
      body: '{"batch":[]}',
      writeKey: 'tw_test',
    });
    expect(answer).toEqual({
      status: 503,
      retryAfter: '2',
      body: JSON.stringify({ error: { code: 'overloaded' } }),
    });
  });

  it('gives up on a request that is never answered, so the queue is not held', async () => {
    const sent = fetchTransport(50).send({
      url: 'https://hung.test/v1/batch',
      body: '{"batch":[]}',
      writeKey: 'tw_test',
    });
    await expect(sent).rejects.toThrow(/abort|timeout/i);
  });
});

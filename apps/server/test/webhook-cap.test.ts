import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.js';

describe('webhooks per project', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { TENURE_WEBHOOKS_PER_PROJECT: 2 });
  });
  afterAll(() => t.close());

  const create = () =>
    t.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: { authorization: `Bearer ${t.secretKey}` },
      payload: { url: 'https://93.184.215.14/hook', triggers: ['tier_worsened'] },
    });

  it('refuses a webhook beyond the cap with 409 too_many_webhooks, and takes one after a delete', async () => {
    const first = await create();
    expect(first.statusCode, first.body).toBe(201);
    expect((await create()).statusCode).toBe(201);
    const third = await create();
    expect(third.statusCode).toBe(409);
    expect(third.json().error.code).toBe('too_many_webhooks');

    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/v1/webhooks/${first.json().id}`,
      headers: { authorization: `Bearer ${t.secretKey}` },
    });
    expect(deleted.statusCode).toBeLessThan(300);
    expect((await create()).statusCode).toBe(201);
  });
});

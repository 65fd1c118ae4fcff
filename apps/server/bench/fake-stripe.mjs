// A local stand-in for the Stripe API's `GET /v1/subscriptions` (list, status=all, customers
// expanded), generating `count` subscriptions by index so that 100,000 cost no memory: every
// 6th cancelled, every 9th on notice, monthly and yearly prices with 1-20 seats.
import http from 'node:http';

const DAY = 86_400;
const START = Date.UTC(2022, 0, 1) / 1000;

function subscription(i) {
  const start = START + (i % 900) * DAY;
  const yearly = i % 4 === 0;
  const ended = i % 6 === 0;
  const notice = !ended && i % 9 === 0;
  const periodEnd = start + (yearly ? 365 : 30) * DAY * (1 + Math.floor((i % 900) / 30));
  return {
    id: `sub_${String(i).padStart(7, '0')}`,
    object: 'subscription',
    customer: { id: `cus_${i}`, object: 'customer', metadata: { tenure_account_id: `acct-${i}` } },
    status: ended ? 'canceled' : 'active',
    start_date: start,
    created: start,
    trial_end: null,
    cancel_at_period_end: notice,
    cancel_at: null,
    canceled_at: ended || notice ? start + 200 * DAY : null,
    ended_at: ended ? start + 200 * DAY : null,
    cancellation_details: {
      reason: ended || notice ? 'cancellation_requested' : null,
      feedback: ended ? ['too_expensive', 'missing_features', 'switched_service'][i % 3] : null,
      comment: null,
    },
    discounts: [],
    metadata: {},
    items: {
      object: 'list',
      data: [
        {
          id: `si_${i}`,
          quantity: 1 + (i % 20),
          current_period_end: periodEnd,
          price: {
            id: yearly ? 'price_team_year' : 'price_team_month',
            nickname: ['starter', 'team', 'business'][i % 3],
            unit_amount: yearly ? 24_000 : 2_500,
            currency: 'usd',
            recurring: { interval: yearly ? 'year' : 'month', interval_count: 1 },
            product: 'prod_tenure',
          },
        },
      ],
    },
  };
}

/** Starts the fake API on `port`; resolves with a function that stops it. */
export async function startFakeStripe(port, count) {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    if (url.pathname !== '/v1/subscriptions') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ error: { type: 'invalid_request_error', message: 'not here' } }),
      );
      return;
    }
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 10), 100);
    const after = url.searchParams.get('starting_after');
    const first = after ? Number(after.slice(4)) + 1 : 0;
    const last = Math.min(first + limit, count);
    const data = [];
    for (let i = first; i < last; i += 1) data.push(subscription(i));
    response.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${first}` });
    response.end(
      JSON.stringify({ object: 'list', url: '/v1/subscriptions', has_more: last < count, data }),
    );
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return () => new Promise((resolve) => server.close(resolve));
}

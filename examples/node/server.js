// A pretend SaaS backend: each route does its work and tells Tenure what the customer did.
// Run: TENURE_HOST=http://localhost:8080 TENURE_SECRET_KEY=ts_... node server.js
import { createServer } from 'node:http';
import { tenure } from './tenure.js';

/** The signed-in user and their account; a real app reads its session here. */
function actorOf(request) {
  const url = new URL(request.url ?? '/', 'http://localhost');
  return {
    userId: url.searchParams.get('user') ?? 'u_ada',
    accountId: url.searchParams.get('account') ?? 'acme',
  };
}

const routes = {
  'POST /login': (actor) => {
    tenure.identify({ userId: actor.userId, traits: { email: `${actor.userId}@example.com` } });
    tenure.group({
      userId: actor.userId,
      accountId: actor.accountId,
      traits: { plan: 'pro', mrr: 490, seats: 12 },
    });
    tenure.user(actor).login({ method: 'password' });
    return { ok: true };
  },
  'POST /reports/export': (actor) => {
    tenure.user(actor).featureUsed('reports', { action: 'export', format: 'csv' });
    return { exported: true };
  },
  'POST /support/tickets': (actor) => {
    const ticketId = `T-${Date.now()}`;
    tenure.user(actor).supportTicketOpened(ticketId, { priority: 'high', channel: 'email' });
    return { ticketId };
  },
  'POST /billing/cancel': (actor) => {
    tenure.user(actor).subscriptionCancelled({ reason: 'too_expensive', mrr: 490 });
    return { cancelled: true };
  },
};

const server = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const route = routes[`${request.method} ${path}`];
  if (!route) {
    response.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"not found"}');
    return;
  }
  const body = JSON.stringify(route(actorOf(request)));
  response.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
});

const port = Number(process.env.PORT ?? 3001);
server.listen(port, () => console.log(`Example backend on http://localhost:${port}`));

// On Ctrl+C (SIGINT) or a stop from the process manager (SIGTERM): stop taking requests,
// deliver what is queued (within 5 s) and say what could not be. Without this, events sent
// just before Ctrl+C (a cancellation!) die with the process.
async function stop(signal) {
  server.close();
  const { unsent } = await tenure.shutdown({ timeout: 5_000 });
  if (unsent.length > 0) console.error(`[tenure] ${unsent.length} events not delivered`);
  console.log(`Stopped (${signal}); events delivered.`);
  process.exit(0);
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

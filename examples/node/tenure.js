import { Tenure } from '@tenure/sdk/node';

/**
 * One client per process, created at start-up: it batches events from every request.
 * TENURE_HOST and TENURE_SECRET_KEY come from `POST /v1/admin/projects` (see docs/sdk-node.md):
 * a backend sends revenue facts (subscription events, mrr/seats), so it uses the secret key.
 */
export const tenure = new Tenure({
  host: process.env.TENURE_HOST ?? 'http://localhost:8080',
  writeKey: process.env.TENURE_SECRET_KEY ?? 'YOUR_SECRET_KEY',
  // Failures are never silent: route them to your logs.
  onError: (error) =>
    console.error(`[tenure] ${error.code}: ${error.message}`, error.messages.length),
});

import { Tenure } from '@tenure/sdk/node';

/**
 * One client per process, created at start-up: it batches events from every request.
 * TENURE_HOST and TENURE_WRITE_KEY come from `POST /v1/admin/projects` (see docs/sdk-node.md).
 */
export const tenure = new Tenure({
  host: process.env.TENURE_HOST ?? 'http://localhost:8080',
  writeKey: process.env.TENURE_WRITE_KEY ?? 'YOUR_WRITE_KEY',
  // Failures are never silent: route them to your logs.
  onError: (error) =>
    console.error(`[tenure] ${error.code}: ${error.message}`, error.messages.length),
});

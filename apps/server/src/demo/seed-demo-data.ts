import type { FastifyInstance } from 'fastify';

/**
 * Fills the demo project. Replaced by the synthetic generator of the risk context
 * (`tenure seed`); until then the demo project starts empty.
 */
export async function seedDemoData(_app: FastifyInstance, projectId: string): Promise<string> {
  return `Demo project ${projectId} is ready (no generated data yet).`;
}

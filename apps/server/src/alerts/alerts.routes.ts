import type { FastifyInstance } from 'fastify';

export async function alertsRoutes(_app: FastifyInstance) {}

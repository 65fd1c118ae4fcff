import type { FastifyInstance } from 'fastify';

export async function engagementRoutes(_app: FastifyInstance) {}

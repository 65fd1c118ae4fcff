import type { FastifyInstance } from 'fastify';

export async function churnRoutes(_app: FastifyInstance) {}

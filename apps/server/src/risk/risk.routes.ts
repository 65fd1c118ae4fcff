import type { FastifyInstance } from 'fastify';

export async function riskRoutes(_app: FastifyInstance) {}

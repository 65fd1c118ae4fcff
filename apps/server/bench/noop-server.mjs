// Reference for the ingest benchmark: the same HTTP stack (Fastify, JSON parsing of the same
// bodies) doing nothing with the events. Its rate is the practical limit of HTTP in Node.
import Fastify from 'fastify';

const app = Fastify({ bodyLimit: 512 * 1024 });
app.get('/healthz', async () => ({ status: 'ok' }));
app.post('/v1/batch', async (request) => ({
  accepted: request.body.batch.length,
  duplicates: 0,
  rejected: [],
}));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));

// The same in a serverless function (AWS Lambda, Vercel, Netlify...): the client lives outside
// the handler so warm invocations reuse it, and each invocation flushes before returning,
// because a frozen function cannot send in the background.
import { tenure } from './tenure.js';

export async function handler(event) {
  const { userId, accountId } = JSON.parse(event.body ?? '{}');
  tenure.user({ userId, accountId }).featureUsed('api', { endpoint: 'export' });
  const pending = await tenure.flush({ timeout: 2_000 });
  return { statusCode: 200, body: JSON.stringify({ ok: true, pending }) };
}

// A Tenure webhook receiver: verifies the signature, rejects replays, ignores repeats.
//   TENURE_WEBHOOK_SECRET=whsec_... PORT=4000 node server.mjs
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const secret = process.env.TENURE_WEBHOOK_SECRET;
const port = Number(process.env.PORT ?? 4000);
const TOLERANCE_SECONDS = 300;
if (!secret) {
  console.error('Set TENURE_WEBHOOK_SECRET to the secret shown when the webhook was created.');
  process.exit(1);
}

/** `Tenure-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` */
function verify(rawBody, header) {
  const parts = Object.fromEntries((header ?? '').split(',').map((part) => part.split('=', 2)));
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || !parts.v1) return false;
  if (Math.abs(Date.now() / 1000 - timestamp) > TOLERANCE_SECONDS) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest();
  // Compare bytes, not characters: a forged non-hex signature of the right length in
  // characters must give false, not make timingSafeEqual throw.
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// Tenure retries until it gets a 2xx, so the same notification can arrive again (say, when
// this process answered but the answer was lost). Keep the ids you have handled; a database
// with a unique key on the id is the durable version of this set.
const seen = new Set();

createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    if (!verify(body, request.headers['tenure-signature'])) {
      response.writeHead(401).end('bad signature');
      return;
    }
    const id = request.headers['tenure-webhook-id'];
    if (!seen.has(id)) {
      seen.add(id);
      const notification = JSON.parse(body);
      const account = notification.account ?? {};
      if (notification.type === 'webhook.test') {
        console.log('webhook.test: signature verified');
      } else {
        console.log(
          `${notification.type ?? 'slack message'} ${account.name ?? account.id ?? ''} ` +
            `risk ${notification.risk?.score ?? '?'} (${notification.risk?.tier ?? '?'})`,
        );
      }
      console.log(JSON.stringify(notification, null, 2));
    }
    response.writeHead(204).end();
  });
}).listen(port, () => console.log(`Receiving Tenure webhooks on http://localhost:${port}/`));

import { z } from 'zod';
import { ALERT_TRIGGERS, DEFAULT_SCORE_INCREASE } from '../alerts/alert-payload.js';
import { textParam } from '../http/text-param.js';

// Strict: a client that sends `secret` (or misspells `triggers`) must hear that it was not used.
export const createWebhookSchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .max(2_000)
    // Control characters (NUL above all: Postgres text cannot hold it) have no place in a URL.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is refused
    .refine((url) => !/[\u0000-\u001f\u007f]/.test(url), {
      message: 'Must not contain control characters',
    })
    // Stored as the WHATWG parser writes it (host lower-cased, non-ASCII percent-encoded),
    // which is what deliveries will request.
    .transform((url) => new URL(url).href)
    .describe('Where notifications are POSTed'),
  triggers: z
    .array(z.enum(ALERT_TRIGGERS))
    .min(1)
    .default([...ALERT_TRIGGERS]),
  scoreIncrease: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(DEFAULT_SCORE_INCREASE)
    .describe('score_increased fires when the score rises by at least this many points'),
  format: z.enum(['json', 'slack']).default('json'),
});

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  triggers: z.array(z.enum(ALERT_TRIGGERS)),
  scoreIncrease: z.number(),
  format: z.enum(['json', 'slack']),
  createdAt: z.string(),
});

export const webhookIdParams = z.object({ webhookId: textParam(100) });

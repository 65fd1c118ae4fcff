import { z } from 'zod';
import { idSchema, instantOf, nullable, timestampSchema } from './messages.schema.js';
import type { SemanticEventName, SemanticEventProperties } from './semantic-events.types.js';

const id = idSchema;
// Above any real monthly revenue; beyond it sums over accounts could overflow to Infinity.
const money = z.number().finite().nonnegative().max(1_000_000_000_000);

const seats = nullable(z.number().int().nonnegative().max(1_000_000_000));
// Stored in one form (UTC, `toISOString`), so the writer's SQL casts it safely.
const instant = nullable(
  timestampSchema.transform((value) => new Date(instantOf(value)).toISOString()),
);
const optionalText = nullable(z.string());

// `seats` and `endsAt` are cast to integer and timestamptz for every subscription event, so
// they are checked on all four: one uncastable value would fail the write of a whole flush.
const subscription = z.looseObject({
  plan: z.string().min(1).max(255),
  mrr: money,
  seats,
  interval: nullable(z.enum(['month', 'year'])),
  endsAt: instant,
});

const email = z.looseObject({ campaign: z.string().min(1).max(255), url: optionalText });

/**
 * Property schemas of the semantic events. Extra properties are kept; the listed ones must have
 * the listed types, so the risk model can trust them.
 */
export const semanticEventSchemas = {
  login: z.looseObject({ method: optionalText }),
  feature_used: z.looseObject({ feature: z.string().min(1).max(255) }),
  support_ticket_opened: z.looseObject({
    ticketId: id,
    priority: optionalText,
    channel: optionalText,
  }),
  support_ticket_resolved: z.looseObject({ ticketId: id, satisfied: nullable(z.boolean()) }),
  password_reset_requested: z.looseObject({}),
  kb_article_viewed: z.looseObject({ articleId: id }),
  email_opened: email,
  email_clicked: email,
  content_viewed: z.looseObject({ contentId: id }),
  milestone_reached: z.looseObject({ milestone: z.string().min(1).max(255) }),
  subscription_started: subscription,
  subscription_changed: subscription,
  subscription_renewed: subscription,
  subscription_cancelled: z.looseObject({
    reason: z.string().min(1).max(255),
    mrr: nullable(money),
    seats,
    endsAt: instant,
    feedback: nullable(z.string().max(10_000)),
  }),
} satisfies { [K in SemanticEventName]: z.ZodType<SemanticEventProperties[K], unknown> };

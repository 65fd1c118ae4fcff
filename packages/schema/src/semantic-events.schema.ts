import { z } from 'zod';
import { timestampSchema } from './messages.schema.js';
import type { SemanticEventName, SemanticEventProperties } from './semantic-events.types.js';

const id = z.union([z.string().min(1).max(255), z.number().finite()]).transform(String);
const money = z.number().finite().nonnegative();

const subscription = z.looseObject({
  plan: z.string().min(1).max(255),
  mrr: money,
  seats: z.number().int().nonnegative().max(1_000_000_000).optional(),
  interval: z.enum(['month', 'year']).optional(),
});

const email = z.looseObject({ campaign: z.string().min(1).max(255), url: z.string().optional() });

/**
 * Property schemas of the semantic events. Extra properties are kept; the listed ones must have
 * the listed types, so the risk model can trust them.
 */
export const semanticEventSchemas = {
  login: z.looseObject({ method: z.string().optional() }),
  feature_used: z.looseObject({ feature: z.string().min(1).max(255) }),
  support_ticket_opened: z.looseObject({
    ticketId: id,
    priority: z.string().optional(),
    channel: z.string().optional(),
  }),
  support_ticket_resolved: z.looseObject({ ticketId: id, satisfied: z.boolean().optional() }),
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
    mrr: money.optional(),
    endsAt: timestampSchema.optional(),
    feedback: z.string().max(10_000).optional(),
  }),
} satisfies { [K in SemanticEventName]: z.ZodType<SemanticEventProperties[K], unknown> };

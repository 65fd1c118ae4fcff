export { ERROR_CODES, type ErrorBody, type ErrorCode } from './errors.js';
export { exceedsDepth, inspectValue, type ValueInspection } from './inspect-value.js';
export { LIMITS } from './limits.js';
export {
  aliasSchema,
  batchEnvelopeSchema,
  CANONICAL_INSTANT,
  groupSchema,
  identifySchema,
  idSchema,
  instantOf,
  isCanonicalInstant,
  isIsoTimestamp,
  messageSchema,
  messageSchemas,
  pageSchema,
  timestampSchema,
  trackSchema,
} from './messages.schema.js';
export type * from './messages.types.js';
export { EVENT_REJECTION_CODES, MESSAGE_TYPES } from './messages.types.js';
export { type ParseMessageResult, parseMessage } from './parse-message.js';
export { semanticEventSchemas } from './semantic-events.schema.js';
export type * from './semantic-events.types.js';
export { isSemanticEventName, SEMANTIC_EVENT_NAMES } from './semantic-events.types.js';

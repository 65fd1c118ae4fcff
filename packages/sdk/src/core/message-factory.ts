import type { Message, MessageContext } from '@tenure/schema';
import type { Runtime } from './runtime.js';
import { SDK_NAME, SDK_VERSION } from './version.js';

/** A message as a caller describes it, before the SDK stamps it. */
export type MessageDraft = Message extends infer Each
  ? Each extends Message
    ? Omit<Each, 'sentAt'>
    : never
  : never;

/**
 * Stamps a message at call time: a `messageId` (the server deduplicates on it, so a retried
 * batch never doubles an event), the `timestamp` by the caller's clock, and the library in
 * `context`. The account goes into `context.groupId` so the event is attributed to it even if
 * the user belongs to several accounts. `sentAt` is added later, per request.
 */
export function stampMessage(
  draft: MessageDraft,
  runtime: Pick<Runtime, 'now' | 'uuid'>,
  accountId?: string | null,
): Message {
  const context: MessageContext = {
    ...draft.context,
    library: { name: SDK_NAME, version: SDK_VERSION },
  };
  if (accountId) context.groupId = accountId;
  return {
    ...draft,
    messageId: draft.messageId ?? runtime.uuid(),
    timestamp: draft.timestamp ?? new Date(runtime.now()).toISOString(),
    context,
  } as Message;
}

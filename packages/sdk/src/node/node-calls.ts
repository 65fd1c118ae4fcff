import type { MessageContext } from '@tenure/schema';
import type {
  AccountTraits,
  CustomEvents,
  EventCatalog,
  EventName,
  Properties,
  UserTraits,
} from '../core/event-types.js';

/** Who did it: a user (or anonymous) id, and the account they acted for. */
export type Actor = (
  | { userId: string; anonymousId?: string | undefined }
  | { userId?: string | undefined; anonymousId: string }
) & {
  /** The account (customer) the event belongs to; sent as `context.groupId`. */
  accountId?: string | undefined;
};

/** What every call may carry beside its own fields. */
export type CallOptions = Actor & {
  /** When it happened; default: now. Backfills pass the original time. */
  timestamp?: Date | string | undefined;
  /**
   * A stable id (e.g. derived from your database row) makes a resend after a crash harmless:
   * the server stores each messageId once. Default: a fresh UUID.
   */
  messageId?: string | undefined;
  context?: MessageContext | undefined;
};

type PropertiesField<Props> =
  Record<string, never> extends Props ? { properties?: Props | undefined } : { properties: Props };

export type TrackCall<Custom extends CustomEvents, Name extends EventName<Custom>> = CallOptions & {
  event: Name;
} & PropertiesField<EventCatalog<Custom>[Name]>;

export type IdentifyCall = CallOptions & { traits?: UserTraits | undefined };

export type GroupCall = CallOptions & { accountId: string; traits?: AccountTraits | undefined };

export type PageCall = CallOptions & {
  name?: string | undefined;
  properties?: Properties | undefined;
};

export type AliasCall = CallOptions & { userId: string; previousId: string };

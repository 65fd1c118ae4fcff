import type { SemanticEventProperties } from '@tenure/schema';

/** Properties of an event: any JSON-serialisable object. */
export type Properties = Record<string, unknown>;

/**
 * Custom events declared once, by name, with their properties. Pass it as the client's type
 * parameter; leave it out to allow any event name.
 *
 * @example
 * type AppEvents = { report_exported: { format: 'csv' | 'pdf' }; invite_sent: { seats: number } };
 * const tenure = new Tenure<AppEvents>({ writeKey, host });
 */
export type CustomEvents = Record<string, Properties>;

/** What the client accepts when no custom events are declared. */
export type AnyEvents = Record<string, Properties>;

/** Every event name the client accepts: the semantic ones and the declared custom ones. */
export type EventCatalog<Custom extends CustomEvents> = SemanticEventProperties & Custom;

export type EventName<Custom extends CustomEvents> = keyof EventCatalog<Custom> & string;

/** The properties argument: optional when the event has no required property. */
export type PropertiesArgument<Props> =
  Record<string, never> extends Props ? [properties?: Props] : [properties: Props];

/** Traits of a user, sent with `identify`. */
export interface UserTraits {
  email?: string | undefined;
  name?: string | undefined;
  /** When the user signed up (ISO-8601). */
  createdAt?: string | undefined;
  [key: string]: unknown;
}

/** Traits of an account (a customer), sent with `group`; the risk model reads these. */
export interface AccountTraits {
  name?: string | undefined;
  plan?: string | undefined;
  /** Monthly recurring revenue in the account's currency. */
  mrr?: number | undefined;
  seats?: number | undefined;
  /** When the account became a customer (ISO-8601). */
  createdAt?: string | undefined;
  [key: string]: unknown;
}

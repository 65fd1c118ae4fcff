import {
  type Delivery,
  type DeliveryLimits,
  type DeliveryStats,
  eventDelivery,
} from './delivery.js';
import type { QueueStorage } from './event-queue.js';
import type {
  AccountTraits,
  AnyEvents,
  CustomEvents,
  EventCatalog,
  EventName,
  Properties,
  PropertiesArgument,
  UserTraits,
} from './event-types.js';
import { type MessageDraft, stampMessage } from './message-factory.js';
import type { KeyValueStore, Runtime, Transport } from './runtime.js';
import { SemanticEvents } from './semantic-events.js';
import { type ErrorHandler, logError } from './tenure-error.js';

export interface ClientOptions extends Partial<DeliveryLimits> {
  /** The project's write key (public; it can only send events). */
  writeKey: string;
  /** Where the Tenure server listens, e.g. `https://tenure.example.com`. */
  host: string;
  /** Called for every event that will not be delivered, with the reason. Default: console. */
  onError?: ErrorHandler | undefined;
}

/** What an entry point injects: the runtime's ways to send, store, time and count. */
export interface ClientEnvironment {
  transport: Transport;
  runtime: Runtime;
  queueStorage: QueueStorage;
  /** Identity and consent, persisted where the runtime can (localStorage in a browser). */
  store: KeyValueStore;
  defaults: DeliveryLimits;
  /** The visitor asked not to be tracked (Do-Not-Track) and has not opted in. */
  doNotTrack?: boolean | undefined;
  /**
   * When the call being made was made, for its `timestamp`; default: now. The script-tag build
   * replays calls recorded before it loaded with their own times. (`sentAt` is always now.)
   */
  callTime?: (() => number) | undefined;
}

const ANONYMOUS_ID = 'aid';
const USER_ID = 'uid';
const ACCOUNT_ID = 'gid';
const CONSENT = 'consent';

/**
 * The stateful client behind the browser entry: remembers who the user is and which account
 * they act for, stamps every call, and hands it to delivery. Identity is read from the store
 * on each call, so a login in one tab applies to events of the others.
 *
 * `Custom` declares custom events once; `track` then checks names and properties.
 */
export class TenureClient<Custom extends CustomEvents = AnyEvents> extends SemanticEvents {
  protected readonly delivery: Delivery;
  readonly #store: KeyValueStore;
  readonly #runtime: Runtime;
  /** Ids and the call's time, for stamping messages. */
  readonly #stamp: Pick<Runtime, 'now' | 'uuid'>;
  readonly #doNotTrack: boolean;

  constructor(options: ClientOptions, env: ClientEnvironment) {
    super();
    this.#store = env.store;
    this.#runtime = env.runtime;
    this.#stamp = { uuid: env.runtime.uuid, now: env.callTime ?? env.runtime.now };
    this.#doNotTrack = !!env.doNotTrack;
    this.delivery = eventDelivery({
      ...env.defaults,
      ...options,
      url: `${options.host.replace(/\/+$/, '')}/v1/batch`,
      transport: env.transport,
      storage: env.queueStorage,
      runtime: env.runtime,
      onError: options.onError ?? logError,
    });
  }

  /** The id of this browser before (and after) the user is known; persisted. */
  get anonymousId(): string {
    let id = this.#store.get(ANONYMOUS_ID);
    if (!id) {
      id = this.#runtime.uuid();
      this.#store.set(ANONYMOUS_ID, id);
    }
    return id;
  }

  get userId(): string | null {
    return this.#store.get(USER_ID);
  }

  /** The current account (from `group`), sent in every event's `context.groupId`. */
  get accountId(): string | null {
    return this.#store.get(ACCOUNT_ID);
  }

  /** True after `optOut()`, or under Do-Not-Track until `optIn()`. */
  get optedOut(): boolean {
    const consent = this.#store.get(CONSENT);
    return consent === 'out' || (consent !== 'in' && this.#doNotTrack);
  }

  /** Events delivered, refused and dropped since the page loaded. */
  get stats(): Readonly<DeliveryStats> {
    return this.delivery.stats;
  }

  /**
   * Says who the user is; later events carry the `userId`.
   * @example tenure.identify('u_123', { email: 'ada@acme.com', createdAt: '2024-05-01' })
   */
  identify(userId?: string | null, traits?: UserTraits): void {
    if (userId) this.#store.set(USER_ID, userId);
    this.#send({ type: 'identify', traits });
  }

  /**
   * Links the user to an account and sets its traits; later events belong to that account.
   * @example tenure.group('acme', { name: 'Acme', plan: 'pro', mrr: 490, seats: 12 })
   */
  group(accountId: string, traits?: AccountTraits): void {
    this.#store.set(ACCOUNT_ID, accountId);
    this.#send({ type: 'group', groupId: accountId, traits });
  }

  /**
   * Records an event: a semantic one (typed by the contract) or a declared custom one.
   * @example tenure.track('report_exported', { format: 'csv' })
   */
  track<Name extends EventName<Custom>>(
    event: Name,
    ...[properties]: PropertiesArgument<EventCatalog<Custom>[Name]>
  ): void {
    this.record(event, properties as Properties | undefined);
  }

  /** @example tenure.page('Reports', { tab: 'mrr' }) */
  page(name?: string, properties?: Properties): void {
    this.#send({ type: 'page', name, properties });
  }

  /**
   * Merges two identities, e.g. a user id that changed; `previousId` defaults to the current
   * user (or anonymous) id.
   * @example tenure.alias('u_123')
   */
  alias(userId: string, previousId?: string): void {
    this.#send({
      type: 'alias',
      userId,
      previousId: previousId ?? this.userId ?? this.anonymousId,
    });
  }

  /** Forgets the user and account (call it at logout); the next events are anonymous. */
  reset(): void {
    for (const key of [USER_ID, ACCOUNT_ID, ANONYMOUS_ID]) this.#store.remove(key);
  }

  /** Stops recording, persistently, and discards what is queued. */
  optOut(): void {
    // Discarding first frees the queue's storage, so the choice fits in a full storage too.
    this.delivery.queue.clear();
    this.#store.set(CONSENT, 'out');
  }

  /** Records again; also overrides Do-Not-Track (explicit consent). */
  optIn(): void {
    this.#store.set(CONSENT, 'in');
  }

  /**
   * Sends what is queued now; resolves once all of it was delivered or refused (waiting out
   * retries, so not while the server is unreachable).
   * @example await tenure.flush()
   */
  flush(): Promise<void> {
    return this.delivery.flush();
  }

  protected record(event: string, properties?: Properties): void {
    this.#send({ type: 'track', event, properties });
  }

  #send(draft: MessageDraft): void {
    if (this.optedOut) return;
    const { anonymousId } = this;
    const message = { userId: this.userId ?? undefined, anonymousId, ...draft } as MessageDraft;
    this.delivery.enqueue(stampMessage(message, this.#stamp, this.accountId));
  }
}

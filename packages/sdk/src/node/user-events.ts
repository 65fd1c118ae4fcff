import type {
  AnyEvents,
  CustomEvents,
  EventCatalog,
  EventName,
  Properties,
  PropertiesArgument,
} from '../core/event-types.js';
import type { MessageDraft } from '../core/message-factory.js';
import { SemanticEvents } from '../core/semantic-events.js';

/**
 * The semantic helpers for one user in one account, from `tenure.user({ userId, accountId })`,
 * with the same calls as the browser client.
 *
 * @example
 * const ada = tenure.user({ userId: 'u_123', accountId: 'acme' });
 * ada.login({ method: 'sso' });
 * ada.featureUsed('reports');
 */
export class UserEvents<Custom extends CustomEvents = AnyEvents> extends SemanticEvents {
  constructor(private readonly send: (draft: MessageDraft) => void) {
    super();
  }

  /** @example ada.track('report_exported', { format: 'csv' }) */
  track<Name extends EventName<Custom>>(
    event: Name,
    ...[properties]: PropertiesArgument<EventCatalog<Custom>[Name]>
  ): void {
    this.record(event, properties as Properties | undefined);
  }

  /** @example ada.page('Reports') */
  page(name?: string, properties?: Properties): void {
    this.send({ type: 'page', name, properties });
  }

  protected record(event: string, properties?: Properties): void {
    this.send({ type: 'track', event, properties });
  }
}

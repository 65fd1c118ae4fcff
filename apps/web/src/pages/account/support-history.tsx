import type { EventPage, StoredEvent } from '../../api/api.types.js';
import { api } from '../../api/api-client.js';
import { ErrorPanel } from '../../ui/error-panel.js';
import { formatDay } from '../../ui/format.js';
import { useApi } from '../../ui/use-api.js';

const DAY_MS = 86_400_000;

/** Support tickets opened and resolved in the 180 days before asOf, newest first. */
async function supportEvents(accountId: string, asOf: string | null): Promise<StoredEvent[]> {
  const to = asOf ? new Date(asOf) : new Date();
  const from = new Date(to.getTime() - 180 * DAY_MS);
  const pages = await Promise.all(
    ['support_ticket_opened', 'support_ticket_resolved'].map((event) =>
      api.get<EventPage>('/v1/events', {
        accountId,
        event,
        from: from.toISOString(),
        to: to.toISOString(),
        limit: 200,
      }),
    ),
  );
  return pages
    .flatMap((page) => page.data)
    .sort((a, b) => b.timestamp.localeCompare(a.timestamp))
    .slice(0, 30);
}

function describe(event: StoredEvent): string {
  const { ticketId, priority, channel, satisfied } = event.properties;
  if (event.event === 'support_ticket_opened') {
    return `Ticket ${ticketId} opened${priority ? `, ${priority} priority` : ''}${channel ? ` by ${channel}` : ''}`;
  }
  const outcome = satisfied === false ? ', customer not satisfied' : satisfied ? ', satisfied' : '';
  return `Ticket ${ticketId} resolved${outcome}`;
}

export function SupportHistory(props: { accountId: string; asOf: string | null }) {
  const events = useApi(
    () => supportEvents(props.accountId, props.asOf),
    [props.accountId, props.asOf],
  );
  if (events.state === 'error') return <ErrorPanel error={events.error} />;
  if (!events.data) return <p class="loading">Loading support history…</p>;
  if (events.data.length === 0) return <p class="empty">No support tickets in 180 days.</p>;
  return (
    <ul class="timeline-list">
      {events.data.map((event) => (
        <li
          key={event.messageId}
          class={event.properties['satisfied'] === false ? 'warn' : undefined}
        >
          <time dateTime={event.timestamp}>{formatDay(event.timestamp)}</time>
          <span>{describe(event)}</span>
        </li>
      ))}
    </ul>
  );
}

import type { Webhook, WebhookDelivery } from '../../api/api.types.js';
import { api } from '../../api/api-client.js';
import { ErrorPanel } from '../../ui/error-panel.js';
import { formatDateTime } from '../../ui/format.js';
import { useApi } from '../../ui/use-api.js';
import { type Warning, warningOf } from './warning-text.js';

/**
 * The transitions across accounts, newest first. The API records transitions as webhook
 * deliveries (one per webhook), so the feed merges the deliveries of every webhook and keeps
 * one entry per transition; without a webhook nothing is recorded yet.
 */
async function loadFeed(webhooks: readonly Webhook[]): Promise<Warning[]> {
  const logs = await Promise.all(
    webhooks.map((webhook) =>
      api.get<{ deliveries: WebhookDelivery[] }>(
        `/v1/webhooks/${encodeURIComponent(webhook.id)}/deliveries`,
        { limit: 200 },
      ),
    ),
  );
  const seen = new Set<string>();
  const warnings: Warning[] = [];
  for (const delivery of logs.flatMap((log) => log.deliveries)) {
    if (delivery.kind === 'webhook.test') continue;
    const warning = warningOf(delivery);
    // The same transition goes to every webhook subscribed to it.
    const key = `${warning.accountId}|${warning.kind}|${warning.text}|${warning.at.slice(0, 16)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    warnings.push(warning);
  }
  return warnings.sort((a, b) => b.at.localeCompare(a.at));
}

export function WarningsFeed({ webhooks }: { webhooks: readonly Webhook[] }) {
  const feed = useApi(() => loadFeed(webhooks), [webhooks]);
  if (feed.state === 'error') return <ErrorPanel error={feed.error} />;
  if (!feed.data) return <p class="loading">Loading warnings…</p>;
  if (webhooks.length === 0) {
    return (
      <p class="empty">
        Early warnings are recorded for the project's webhooks. Add one below (a Slack incoming
        webhook works) to start the feed.
      </p>
    );
  }
  if (feed.data.length === 0) return <p class="empty">No transitions recorded yet.</p>;
  return (
    <ol class="feed" data-testid="warnings-feed">
      {feed.data.map((warning) => (
        <li key={warning.id} class={`feed-${warning.kind}`}>
          <time dateTime={warning.at}>{formatDateTime(warning.at)}</time>
          <span>
            {warning.accountId ? (
              <a href={`#/accounts/${encodeURIComponent(warning.accountId)}`}>
                {warning.accountName ?? warning.accountId}
              </a>
            ) : (
              'An account'
            )}{' '}
            {warning.text}
          </span>
          {warning.reason ? <small>{warning.reason}</small> : null}
        </li>
      ))}
    </ol>
  );
}

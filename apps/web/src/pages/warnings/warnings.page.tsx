import { useState } from 'preact/hooks';
import type { Webhook } from '../../api/api.types.js';
import { api } from '../../api/api-client.js';
import { ErrorPanel } from '../../ui/error-panel.js';
import { useApi } from '../../ui/use-api.js';
import { WarningsFeed } from './warnings-feed.js';
import { WebhookForm } from './webhook-form.js';
import { WebhookList } from './webhook-list.js';

/** Early warnings: the feed of transitions, and the webhooks that carry them out. */
export default function WarningsPage() {
  const [version, setVersion] = useState(0);
  const [created, setCreated] = useState<Webhook | null>(null);
  const webhooks = useApi(() => api.get<{ webhooks: Webhook[] }>('/v1/webhooks'), [version]);
  const list = webhooks.data
    ? webhooks.data.webhooks.map((webhook) =>
        // The secret comes only with the create answer: keep showing it until the next change.
        webhook.id === created?.id ? { ...webhook, secret: created.secret } : webhook,
      )
    : null;
  return (
    <>
      <h1>Early warnings</h1>
      <section class="card" aria-labelledby="feed-title">
        <h2 id="feed-title">Transitions, newest first</h2>
        <WarningsFeed />
      </section>
      <section class="card" aria-labelledby="webhooks-title">
        <h2 id="webhooks-title">Webhooks</h2>
        {webhooks.state === 'error' ? <ErrorPanel error={webhooks.error} /> : null}
        {list ? (
          <WebhookList
            webhooks={list}
            onRemoved={() => {
              setCreated(null);
              setVersion(version + 1);
            }}
          />
        ) : null}
        <h3>Add a webhook</h3>
        <WebhookForm
          onCreated={(webhook) => {
            setCreated(webhook);
            setVersion(version + 1);
          }}
        />
      </section>
    </>
  );
}

import { useState } from 'preact/hooks';
import type { Webhook, WebhookDelivery, WebhookTest } from '../../api/api.types.js';
import { api } from '../../api/api-client.js';
import type { ApiError } from '../../api/api-error.js';
import { messageOf } from '../../ui/error-panel.js';
import { formatDateTime } from '../../ui/format.js';

function Deliveries({ webhook }: { webhook: Webhook }) {
  const [log, setLog] = useState<WebhookDelivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <details
      onToggle={(event) => {
        if (!(event.currentTarget as HTMLDetailsElement).open || log) return;
        api
          .get<{ deliveries: WebhookDelivery[] }>(
            `/v1/webhooks/${encodeURIComponent(webhook.id)}/deliveries`,
          )
          .then(
            (answer) => setLog(answer.deliveries),
            (caught: ApiError) => setError(messageOf(caught)),
          );
      }}
    >
      <summary>Deliveries log</summary>
      {error ? <p class="notice notice-error">{error}</p> : null}
      {log === null && !error ? <p class="loading">Loading…</p> : null}
      {log?.length === 0 ? <p class="empty">Nothing delivered yet.</p> : null}
      {log?.length ? (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Event</th>
                <th scope="col">Account</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
              </tr>
            </thead>
            <tbody>
              {log.map((delivery) => (
                <tr key={delivery.id}>
                  <td>{formatDateTime(delivery.createdAt)}</td>
                  <td>{delivery.kind}</td>
                  <td>{delivery.accountId ?? ''}</td>
                  <td>
                    {delivery.status}
                    {delivery.lastError ? ` (${delivery.lastError})` : ''}
                  </td>
                  <td class="num">{delivery.attempts.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </details>
  );
}

/** One webhook: its triggers, a test button that reports what the receiver answered, removal. */
function WebhookItem(props: { webhook: Webhook; onRemoved: () => void }) {
  const { webhook } = props;
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setResult(null);
    try {
      await action();
    } catch (caught) {
      setResult({ ok: false, text: messageOf(caught as ApiError) });
    } finally {
      setBusy(false);
    }
  }

  const test = () =>
    run(async () => {
      const outcome = await api.post<WebhookTest>(
        `/v1/webhooks/${encodeURIComponent(webhook.id)}/test`,
      );
      setResult(
        outcome.delivered
          ? { ok: true, text: `Delivered: HTTP ${outcome.statusCode} in ${outcome.durationMs} ms` }
          : { ok: false, text: `Not delivered: ${outcome.error ?? 'no answer'}` },
      );
    });
  const remove = () =>
    run(async () => {
      await api.delete(`/v1/webhooks/${encodeURIComponent(webhook.id)}`);
      props.onRemoved();
    });

  return (
    <li class="webhook" data-webhook-id={webhook.id}>
      <div class="webhook-head">
        <code class="url">{webhook.url}</code>
        <span>
          {webhook.format} · {webhook.triggers.join(', ')}
        </span>
      </div>
      {webhook.secret ? (
        <p class="notice" role="status">
          Signing secret (shown once): <code>{webhook.secret}</code>
        </p>
      ) : null}
      <div class="actions">
        <button type="button" onClick={() => void test()} disabled={busy}>
          Send test
        </button>
        <button type="button" class="danger" onClick={() => void remove()} disabled={busy}>
          Remove
        </button>
      </div>
      {result ? (
        <p
          class={result.ok ? 'notice notice-ok' : 'notice notice-error'}
          role="status"
          data-testid="webhook-test-result"
        >
          {result.text}
        </p>
      ) : null}
      <Deliveries webhook={webhook} />
    </li>
  );
}

export function WebhookList(props: { webhooks: readonly Webhook[]; onRemoved: () => void }) {
  if (props.webhooks.length === 0) return <p class="empty">No webhooks yet.</p>;
  return (
    <ul class="webhooks">
      {props.webhooks.map((webhook) => (
        <WebhookItem key={webhook.id} webhook={webhook} onRemoved={props.onRemoved} />
      ))}
    </ul>
  );
}

import { useState } from 'preact/hooks';
import type { Webhook, WebhookTrigger } from '../../api/api.types.js';
import { api } from '../../api/api-client.js';
import type { ApiError } from '../../api/api-error.js';
import { messageOf } from '../../ui/error-panel.js';

const TRIGGERS: [WebhookTrigger, string][] = [
  ['tier_worsened', 'Entered a worse tier'],
  ['score_increased', 'Score jumped'],
  ['inactive', 'Went inactive'],
  ['milestone_reached', 'Reached a milestone'],
];

/** Subscribe a URL; the signing secret is shown once, as the API gives it only here. */
export function WebhookForm({ onCreated }: { onCreated: (webhook: Webhook) => void }) {
  const [url, setUrl] = useState('');
  const [triggers, setTriggers] = useState<WebhookTrigger[]>(TRIGGERS.map(([key]) => key));
  const [format, setFormat] = useState<'json' | 'slack'>('json');
  const [scoreIncrease, setScoreIncrease] = useState(10);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const webhook = await api.post<Webhook>('/v1/webhooks', {
        url: url.trim(),
        triggers,
        format,
        scoreIncrease,
      });
      setUrl('');
      onCreated(webhook);
    } catch (caught) {
      setError(messageOf(caught as ApiError));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="webhook-form" onSubmit={(event) => void submit(event)}>
      <label>
        Endpoint URL
        <input
          type="url"
          name="url"
          required
          placeholder="https://hooks.slack.com/services/…"
          value={url}
          onInput={(event) => setUrl(event.currentTarget.value)}
        />
      </label>
      <fieldset>
        <legend>Notify when an account</legend>
        {TRIGGERS.map(([key, label]) => (
          <label key={key} class="check">
            <input
              type="checkbox"
              checked={triggers.includes(key)}
              onChange={(event) =>
                setTriggers(
                  event.currentTarget.checked
                    ? [...triggers, key]
                    : triggers.filter((trigger) => trigger !== key),
                )
              }
            />
            {label}
          </label>
        ))}
      </fieldset>
      <label>
        Score jump (points)
        <input
          type="number"
          min={1}
          max={100}
          value={scoreIncrease}
          onInput={(event) => setScoreIncrease(Number(event.currentTarget.value))}
        />
      </label>
      <label>
        Format
        <select
          value={format}
          onChange={(event) => setFormat(event.currentTarget.value as 'json' | 'slack')}
        >
          <option value="json">JSON (signed)</option>
          <option value="slack">Slack message</option>
        </select>
      </label>
      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={busy || triggers.length === 0}>
        Add webhook
      </button>
    </form>
  );
}

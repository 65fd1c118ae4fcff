import { useEffect, useState } from 'preact/hooks';
import type { Alert, AlertFeed, WebhookTrigger } from '../../api/api.types.js';
import { api } from '../../api/api-client.js';
import type { ApiError } from '../../api/api-error.js';
import { ErrorPanel } from '../../ui/error-panel.js';
import { formatDateTime } from '../../ui/format.js';
import { TierBadge } from '../../ui/tier-badge.js';
import { useApi } from '../../ui/use-api.js';
import { warningReason, warningText } from './warning-text.js';

const PAGE_SIZE = 50;

const TYPES: { value: WebhookTrigger; label: string }[] = [
  { value: 'tier_worsened', label: 'Entered a worse tier' },
  { value: 'score_increased', label: 'Score jumped' },
  { value: 'inactive', label: 'Went inactive' },
  { value: 'milestone_reached', label: 'Reached a milestone' },
];

const feedPage = (type: string, cursor?: string) =>
  api.get<AlertFeed>('/v1/alerts', { type: type || undefined, limit: PAGE_SIZE, cursor });

/**
 * The transitions across accounts, newest first (`GET /v1/alerts`), each linking to its
 * account; older ones a page at a time. Detection looks at every account of the project, with
 * or without webhooks.
 */
export function WarningsFeed() {
  const [type, setType] = useState('');
  const first = useApi(() => feedPage(type), [type]);
  const [older, setOlder] = useState<{ alerts: Alert[]; nextCursor: string | null } | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<ApiError | null>(null);
  useEffect(() => {
    setOlder(null);
    setOlderError(null);
  }, [type]);

  const alerts = [...(first.data?.alerts ?? []), ...(older?.alerts ?? [])];
  const nextCursor = older ? older.nextCursor : (first.data?.nextCursor ?? null);

  async function showOlder() {
    if (!nextCursor) return;
    setLoadingOlder(true);
    try {
      const page = await feedPage(type, nextCursor);
      setOlder({ alerts: [...(older?.alerts ?? []), ...page.alerts], nextCursor: page.nextCursor });
      setOlderError(null);
    } catch (error) {
      setOlderError(error as ApiError);
    } finally {
      setLoadingOlder(false);
    }
  }

  return (
    <>
      <form class="filters" aria-label="Filter warnings" onSubmit={(e) => e.preventDefault()}>
        <label>
          Type
          <select
            value={type}
            onChange={(event) => setType((event.currentTarget as HTMLSelectElement).value)}
          >
            <option value="">All transitions</option>
            {TYPES.map(({ value, label }) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </form>
      {first.state === 'error' ? <ErrorPanel error={first.error} /> : null}
      {!first.data ? (
        first.state === 'loading' ? (
          <p class="loading">Loading warnings…</p>
        ) : null
      ) : alerts.length === 0 ? (
        <p class="empty">
          No transitions detected yet. Detection looks at every account about once a minute.
        </p>
      ) : (
        <ol class="feed" data-testid="warnings-feed" aria-busy={first.state === 'loading'}>
          {alerts.map((alert) => (
            <li key={alert.id} class={`feed-${alert.type}`} data-account={alert.account.id}>
              <time dateTime={alert.detectedAt}>{formatDateTime(alert.detectedAt)}</time>
              <span>
                <a href={`#/accounts/${encodeURIComponent(alert.account.id)}`}>
                  {alert.account.name ?? alert.account.id}
                </a>{' '}
                {warningText(alert)} <TierBadge tier={alert.risk.tier} />
              </span>
              {warningReason(alert) ? <small>{warningReason(alert)}</small> : null}
            </li>
          ))}
        </ol>
      )}
      {olderError ? <ErrorPanel error={olderError} /> : null}
      {nextCursor ? (
        <button type="button" disabled={loadingOlder} onClick={() => void showOlder()}>
          {loadingOlder ? 'Loading…' : 'Show older warnings'}
        </button>
      ) : null}
    </>
  );
}

import { useState } from 'preact/hooks';
import type { ApiKey } from '../../api/api.types.js';
import { api } from '../../api/api-client.js';
import type { ApiError } from '../../api/api-error.js';
import { ErrorPanel, messageOf } from '../../ui/error-panel.js';
import { formatDateTime } from '../../ui/format.js';
import { useApi } from '../../ui/use-api.js';

const KINDS = [
  ['write', 'Write key (SDKs, web pages: behaviour only)'],
  ['secret', 'Secret key (backends: query API and revenue)'],
] as const;

/** The project's API keys: create one (shown once) or revoke one. */
export default function KeysPage({ canEdit }: { canEdit: boolean }) {
  const [version, setVersion] = useState(0);
  const [kind, setKind] = useState<'write' | 'secret'>('write');
  const [created, setCreated] = useState<ApiKey | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const keys = useApi(() => api.get<{ keys: ApiKey[] }>('/v1/keys'), [version]);

  async function act(action: () => Promise<void>) {
    setMessage(null);
    try {
      await action();
    } catch (caught) {
      setMessage(messageOf(caught as ApiError));
    } finally {
      setVersion((current) => current + 1);
    }
  }

  return (
    <>
      <h1>API keys</h1>
      {canEdit ? null : (
        <p class="notice">You are a viewer: creating or revoking keys needs an admin.</p>
      )}
      {message ? (
        <p class="notice notice-error" role="alert">
          {message}
        </p>
      ) : null}
      {created ? (
        <p class="notice notice-ok" role="status">
          New {created.kind} key (copy it now, it is not shown again):{' '}
          <code data-testid="new-key">{created.key}</code>
        </p>
      ) : null}
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          void act(async () => setCreated(await api.post<ApiKey>('/v1/keys', { kind })));
        }}
      >
        <label>
          Kind
          <select
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as 'write' | 'secret')}
          >
            {KINDS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Create key</button>
      </form>
      {keys.state === 'error' ? <ErrorPanel error={keys.error} /> : null}
      {keys.data ? (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Kind</th>
                <th scope="col">Created</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.keys.map((key) => (
                <tr key={key.id}>
                  <td>
                    <code>{key.maskedKey}</code>
                  </td>
                  <td>{key.kind}</td>
                  <td>{formatDateTime(key.createdAt)}</td>
                  <td>{key.revokedAt ? `revoked ${formatDateTime(key.revokedAt)}` : 'active'}</td>
                  <td>
                    {key.revokedAt ? null : (
                      <button
                        type="button"
                        class="danger"
                        aria-label={`Revoke ${key.kind} key ${key.maskedKey}`}
                        onClick={() => {
                          if (
                            !confirm(`Revoke this ${key.kind} key? Clients using it stop working.`)
                          )
                            return;
                          void act(() => api.delete(`/v1/keys/${encodeURIComponent(key.id)}`));
                        }}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="loading">Loading keys…</p>
      )}
    </>
  );
}

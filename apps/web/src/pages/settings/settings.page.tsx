import { useState } from 'preact/hooks';
import type { ModelInfo, ProjectSettings } from '../../api/api.types.js';
import { api } from '../../api/api-client.js';
import type { ApiError } from '../../api/api-error.js';
import { ErrorPanel, messageOf } from '../../ui/error-panel.js';
import { useApi } from '../../ui/use-api.js';
import { SettingsForm } from './settings-form.js';

/**
 * The project's risk settings. A viewer may try a change: the server refuses it (403) and the
 * form goes back to what is stored, with the reason shown.
 */
export default function SettingsPage({ canEdit }: { canEdit: boolean }) {
  const [version, setVersion] = useState(0);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const loaded = useApi(
    () => Promise.all([api.get<ProjectSettings>('/v1/settings'), api.get<ModelInfo>('/v1/model')]),
    [version],
  );

  async function save(settings: ProjectSettings) {
    setBusy(true);
    setMessage(null);
    try {
      await api.put<ProjectSettings>('/v1/settings', settings);
      setMessage({ ok: true, text: 'Saved. Scores use the new settings from now on.' });
    } catch (caught) {
      setMessage({ ok: false, text: messageOf(caught as ApiError) });
    } finally {
      setBusy(false);
      setVersion((current) => current + 1);
    }
  }

  const [settings, model] = loaded.data ?? [];
  return (
    <>
      <h1>Settings</h1>
      {canEdit ? null : (
        <p class="notice">You are a viewer on this project: changes need an admin.</p>
      )}
      {message ? (
        <p
          class={message.ok ? 'notice notice-ok' : 'notice notice-error'}
          role={message.ok ? 'status' : 'alert'}
          data-testid="settings-message"
        >
          {message.text}
        </p>
      ) : null}
      {loaded.state === 'error' ? <ErrorPanel error={loaded.error} /> : null}
      {settings && model ? (
        <SettingsForm
          key={version}
          settings={settings}
          factorKeys={model.factors.map((factor) => factor.key)}
          busy={busy}
          onSave={(next) => void save(next)}
        />
      ) : (
        <p class="loading">Loading settings…</p>
      )}
    </>
  );
}

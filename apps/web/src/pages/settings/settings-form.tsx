import { useState } from 'preact/hooks';
import type { ProjectSettings } from '../../api/api.types.js';
import { humanize } from '../../ui/format.js';

type Cutoff = keyof ProjectSettings['tierCutoffs'];
const CUTOFFS: [Cutoff, string][] = [
  ['watch', 'Watch from'],
  ['at_risk', 'At risk from'],
  ['critical', 'Critical from'],
];

/** The editable settings; the parent sends them with PUT, which replaces the whole object. */
export function SettingsForm(props: {
  settings: ProjectSettings;
  factorKeys: readonly string[];
  busy: boolean;
  onSave: (settings: ProjectSettings) => void;
}) {
  const [draft, setDraft] = useState(props.settings);
  const [features, setFeatures] = useState(props.settings.keyFeatures.join(', '));
  const number = (value: string) => (value === '' ? Number.NaN : Number(value));

  return (
    <form
      class="settings-form"
      onSubmit={(event) => {
        event.preventDefault();
        const keyFeatures = features
          .split(',')
          .map((feature) => feature.trim())
          .filter(Boolean);
        props.onSave({ ...draft, keyFeatures });
      }}
    >
      <fieldset>
        <legend>Signals</legend>
        <label>
          Key features (comma-separated; empty: inferred from use)
          <input
            name="keyFeatures"
            value={features}
            onInput={(event) => setFeatures(event.currentTarget.value)}
          />
        </label>
        <label>
          Inactivity threshold (days without a login)
          <input
            type="number"
            name="inactivityDays"
            min={1}
            max={365}
            value={draft.inactivityDays}
            onInput={(event) =>
              setDraft({ ...draft, inactivityDays: number(event.currentTarget.value) })
            }
          />
        </label>
      </fieldset>
      <fieldset class="cutoffs">
        <legend>Tier cut-offs (score)</legend>
        {CUTOFFS.map(([key, label]) => (
          <label key={key}>
            {label}
            <input
              type="number"
              name={`tierCutoffs.${key}`}
              min={0}
              max={100}
              value={draft.tierCutoffs[key]}
              onInput={(event) =>
                setDraft({
                  ...draft,
                  tierCutoffs: { ...draft.tierCutoffs, [key]: number(event.currentTarget.value) },
                })
              }
            />
          </label>
        ))}
      </fieldset>
      <fieldset class="cutoffs">
        <legend>Tiers by churn probability (with a learned model)</legend>
        <label>
          Tiers follow
          <select
            name="tierBy"
            value={draft.tierBy}
            onChange={(event) =>
              setDraft({ ...draft, tierBy: event.currentTarget.value as ProjectSettings['tierBy'] })
            }
          >
            <option value="score">the score (cut-offs above)</option>
            <option value="probability">the churn probability (cut-offs here)</option>
          </select>
        </label>
        {CUTOFFS.map(([key, label]) => (
          <label key={key}>
            {label} (0–1)
            <input
              type="number"
              name={`probabilityCutoffs.${key}`}
              min={0}
              max={1}
              step={0.01}
              value={draft.probabilityCutoffs[key]}
              onInput={(event) =>
                setDraft({
                  ...draft,
                  probabilityCutoffs: {
                    ...draft.probabilityCutoffs,
                    [key]: number(event.currentTarget.value),
                  },
                })
              }
            />
          </label>
        ))}
      </fieldset>
      <fieldset class="weights">
        <legend>Factor weights (× the documented points; 0 switches a factor off)</legend>
        {props.factorKeys.map((key) => (
          <label key={key}>
            {humanize(key)}
            <input
              type="number"
              name={`factorWeights.${key}`}
              min={0}
              max={10}
              step={0.1}
              value={draft.factorWeights[key] ?? 1}
              onInput={(event) => {
                const weights = {
                  ...draft.factorWeights,
                  [key]: number(event.currentTarget.value),
                };
                // 1 is the default: leaving it out keeps the stored settings short.
                if (weights[key] === 1) delete weights[key];
                setDraft({ ...draft, factorWeights: weights });
              }}
            />
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={props.busy}>
        {props.busy ? 'Saving…' : 'Save settings'}
      </button>
    </form>
  );
}

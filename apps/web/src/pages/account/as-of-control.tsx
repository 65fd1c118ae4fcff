import { useState } from 'preact/hooks';

const DAY_MS = 86_400_000;
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Time travel: the whole account page as of a past day (the API answers with only the data that
 * existed then). Empty means now.
 */
export function AsOfControl(props: {
  asOf: string | null;
  onChange: (asOf: string | null) => void;
}) {
  const [draft, setDraft] = useState(props.asOf?.slice(0, 10) ?? '');
  const today = dayOf(new Date());
  const back = (days: number) => {
    const base = props.asOf ? Date.parse(props.asOf) : Date.now();
    const day = dayOf(new Date(base - days * DAY_MS));
    setDraft(day);
    props.onChange(day);
  };
  return (
    <form
      class="as-of"
      onSubmit={(event) => {
        event.preventDefault();
        props.onChange(draft && draft < today ? draft : null);
      }}
    >
      <label>
        As of
        <input
          type="date"
          name="asOf"
          max={today}
          value={draft}
          onInput={(event) => setDraft(event.currentTarget.value)}
        />
      </label>
      <button type="submit">Show</button>
      <button type="button" onClick={() => back(30)}>
        −30 days
      </button>
      <button
        type="button"
        disabled={!props.asOf}
        onClick={() => {
          setDraft('');
          props.onChange(null);
        }}
      >
        Now
      </button>
      {props.asOf ? (
        <span class="as-of-note" role="status">
          Showing the account as it was on {props.asOf.slice(0, 10)}
        </span>
      ) : null}
    </form>
  );
}

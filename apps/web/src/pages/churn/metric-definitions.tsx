import { useRef } from 'preact/hooks';

const DEFINITIONS: [string, string][] = [
  [
    'Customers at start (S)',
    'Accounts paying when the period starts. Accounts that join during the period are not in S, so they cannot lower the churn rate.',
  ],
  ['Logo churn', 'Accounts of S whose subscription ended during the period, divided by |S|.'],
  [
    'GRR (gross revenue retention)',
    '(start MRR − churned MRR − contraction) ÷ start MRR, counting only accounts of S. At most 100%.',
  ],
  [
    'NRR (net revenue retention)',
    '(start MRR − churned MRR − contraction + expansion) ÷ start MRR, accounts of S only. Above 100% when expansion outgrows losses.',
  ],
  [
    'When a cancellation counts',
    'When the subscription actually ends: at endsAt, else at the end of the paid term running at the notice. A yearly customer who gives notice in February with a term ending in April churns in April.',
  ],
  ['Partial period', 'A period not over yet is counted up to now and marked “so far”.'],
  [
    'Cohort retention',
    'Accounts grouped by the month they started: the share still active (logo) or the share of their starting MRR kept (revenue) n months later.',
  ],
];

/** The definitions behind every figure, one click away (a native dialog: focus and Esc work). */
export function MetricDefinitions() {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button type="button" class="link-button" onClick={() => dialog.current?.showModal()}>
        How these are counted
      </button>
      <dialog ref={dialog} class="definitions" aria-labelledby="definitions-title">
        <h2 id="definitions-title">How churn is counted</h2>
        <dl>
          {DEFINITIONS.map(([term, definition]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{definition}</dd>
            </div>
          ))}
        </dl>
        <form method="dialog">
          <button type="submit">Close</button>
        </form>
      </dialog>
    </>
  );
}

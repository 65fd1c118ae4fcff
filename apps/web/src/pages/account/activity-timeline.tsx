import { useState } from 'preact/hooks';
import type { Interval, Timeline } from '../../api/api.types.js';
import { api } from '../../api/api-client.js';
import { ActivityChart } from '../../charts/activity-chart.js';
import { ErrorPanel } from '../../ui/error-panel.js';
import { formatDay } from '../../ui/format.js';
import { useApi } from '../../ui/use-api.js';

const INTERVALS: Interval[] = ['day', 'week', 'month'];

/** The activity timeline by day, week or month, with the usage-cadence shifts marked. */
export function ActivityTimeline(props: { accountId: string; asOf: string | null }) {
  const [interval, setInterval] = useState<Interval>('week');
  const timeline = useApi(
    () =>
      api.get<Timeline>(`/v1/accounts/${encodeURIComponent(props.accountId)}/engagement`, {
        interval,
        asOf: props.asOf,
      }),
    [props.accountId, props.asOf, interval],
  );
  return (
    <>
      <fieldset class="segmented">
        <legend class="visually-hidden">Bucket size</legend>
        {INTERVALS.map((value) => (
          <label key={value}>
            <input
              type="radio"
              name="interval"
              value={value}
              checked={interval === value}
              onChange={() => setInterval(value)}
            />
            {value === 'day' ? 'Days' : value === 'week' ? 'Weeks' : 'Months'}
          </label>
        ))}
      </fieldset>
      {timeline.state === 'error' ? <ErrorPanel error={timeline.error} /> : null}
      {timeline.data ? (
        <>
          <ActivityChart timeline={timeline.data} />
          <p class="chart-note">
            Usage cadence: <strong>{timeline.data.cadence.current ?? 'not enough history'}</strong>
            {timeline.data.cadence.since ? ` since ${formatDay(timeline.data.cadence.since)}` : ''}
            {timeline.data.cadence.shifts.length
              ? `. Shifts: ${timeline.data.cadence.shifts
                  .map((shift) => `${formatDay(shift.on)} ${shift.from ?? 'start'} → ${shift.to}`)
                  .join('; ')}`
              : ''}
          </p>
        </>
      ) : (
        <p class="loading">Loading the activity…</p>
      )}
    </>
  );
}

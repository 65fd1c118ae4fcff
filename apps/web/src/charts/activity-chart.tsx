import { useMemo } from 'preact/hooks';
import uPlot, { type AlignedData, type Options } from 'uplot';
import type { Timeline } from '../api/api.types.js';
import { baseAxes, seconds } from './chart-options.js';
import { UPlotChart } from './uplot-chart.js';

const CADENCE_COLORS: Record<string, string> = {
  daily: '#2e7d32',
  weekly: '#a07800',
  monthly: '#e65100',
  dormant: '#c62828',
};

/** Dashed vertical lines where the usage cadence shifted, labelled with the new cadence. */
function cadenceShifts(shifts: Timeline['cadence']['shifts']): uPlot.Plugin {
  return {
    hooks: {
      draw: (chart) => {
        const { ctx, bbox } = chart;
        ctx.save();
        ctx.setLineDash([5, 4]);
        ctx.font = `${Math.round(11 * devicePixelRatio)}px sans-serif`;
        for (const shift of shifts) {
          const x = chart.valToPos(seconds(shift.on), 'x', true);
          if (x < bbox.left || x > bbox.left + bbox.width) continue;
          ctx.strokeStyle = CADENCE_COLORS[shift.to] ?? '#555';
          ctx.fillStyle = ctx.strokeStyle;
          ctx.beginPath();
          ctx.moveTo(x, bbox.top);
          ctx.lineTo(x, bbox.top + bbox.height);
          ctx.stroke();
          ctx.fillText(`→ ${shift.to}`, x + 4, bbox.top + 12 * devicePixelRatio);
        }
        ctx.restore();
      },
    },
  };
}

/** Logins and feature uses per bucket as bars, active users as a line, cadence shifts marked. */
export function ActivityChart({ timeline }: { timeline: Timeline }) {
  const data = useMemo<AlignedData>(
    () => [
      timeline.buckets.map((bucket) => seconds(bucket.start)),
      timeline.buckets.map((bucket) => bucket.feature_uses),
      timeline.buckets.map((bucket) => bucket.logins),
      timeline.buckets.map((bucket) => bucket.activeUsers),
    ],
    [timeline],
  );
  const options = useMemo<Omit<Options, 'width' | 'height'>>(() => {
    // Feature uses wide and behind, logins narrow in front: both readable without stacking.
    const wide = uPlot.paths.bars!({ size: [0.7, 48] });
    const narrow = uPlot.paths.bars!({ size: [0.35, 24] });
    return {
      axes: baseAxes('Count'),
      series: [
        { label: timeline.interval === 'day' ? 'Day' : `${timeline.interval} of` },
        { label: 'Feature uses', stroke: '#6a1b9a', fill: '#6a1b9a40', paths: wide },
        { label: 'Logins', stroke: '#1565c0', fill: '#1565c0cc', paths: narrow },
        { label: 'Active users', stroke: '#2e7d32', width: 2 },
      ],
      plugins: [cadenceShifts(timeline.cadence.shifts)],
    };
  }, [timeline]);
  return (
    <UPlotChart
      options={options}
      data={data}
      height={240}
      label={`Activity by ${timeline.interval} from ${timeline.from} to ${timeline.to}`}
      testId="activity-chart"
    />
  );
}

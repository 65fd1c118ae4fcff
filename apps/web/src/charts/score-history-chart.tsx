import { useMemo } from 'preact/hooks';
import uPlot, { type AlignedData, type Options } from 'uplot';
import type { ProjectSettings, RiskTier } from '../api/api.types.js';
import { TIER_COLORS } from '../ui/format.js';
import { baseAxes, seconds } from './chart-options.js';
import { UPlotChart } from './uplot-chart.js';

/** Paints the tiers as horizontal bands behind the line, from the project's cut-offs. */
function tierBands(cutoffs: ProjectSettings['tierCutoffs']): uPlot.Plugin {
  const bands: [RiskTier, number, number][] = [
    ['healthy', 0, cutoffs.watch],
    ['watch', cutoffs.watch, cutoffs.at_risk],
    ['at_risk', cutoffs.at_risk, cutoffs.critical],
    ['critical', cutoffs.critical, 100],
  ];
  return {
    hooks: {
      drawClear: (chart) => {
        const { ctx, bbox } = chart;
        ctx.save();
        for (const [tier, low, high] of bands) {
          const top = chart.valToPos(high, 'y', true);
          const bottom = chart.valToPos(low, 'y', true);
          ctx.fillStyle = `${TIER_COLORS[tier]}22`;
          ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
        }
        ctx.restore();
      },
    },
  };
}

/**
 * The score over time as a step line (a snapshot holds until the next one), with the tier
 * bands behind it; the last point is the score as of the page's asOf.
 */
export function ScoreHistoryChart(props: {
  points: { at: string; score: number }[];
  cutoffs: ProjectSettings['tierCutoffs'];
}) {
  const data = useMemo<AlignedData>(
    () => [props.points.map((point) => seconds(point.at)), props.points.map((p) => p.score)],
    [props.points],
  );
  const options = useMemo<Omit<Options, 'width' | 'height'>>(
    () => ({
      scales: { y: { range: [0, 100] } },
      axes: baseAxes('Risk score'),
      legend: { show: false },
      series: [
        {},
        {
          label: 'Score',
          stroke: '#222',
          width: 2,
          paths: uPlot.paths.stepped!({ align: 1 }),
          points: { show: true, size: 5 },
        },
      ],
      plugins: [tierBands(props.cutoffs)],
    }),
    [props.cutoffs],
  );
  return (
    <UPlotChart
      options={options}
      data={data}
      label={`Risk score history: ${props.points.map((p) => `${p.at.slice(0, 10)} ${p.score}`).join(', ')}`}
      testId="score-chart"
    />
  );
}

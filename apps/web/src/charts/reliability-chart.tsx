import { useMemo } from 'preact/hooks';
import type { AlignedData, Options } from 'uplot';
import type { ModelMetrics } from '../api/api.types.js';
import { UPlotChart } from './uplot-chart.js';

/**
 * Calibration: predicted churn probability (x) against the churn observed in each bin (y) on
 * the held-out split; a calibrated model lies on the diagonal.
 */
export function ReliabilityChart(props: { learned: ModelMetrics; default: ModelMetrics }) {
  const data = useMemo<AlignedData>(() => {
    const xs = [
      ...new Set([
        0,
        1,
        ...props.learned.calibration.map((bin) => bin.predicted),
        ...props.default.calibration.map((bin) => bin.predicted),
      ]),
    ].sort((a, b) => a - b);
    const at = (bins: ModelMetrics['calibration']) =>
      xs.map((x) => bins.find((bin) => bin.predicted === x)?.observed ?? null);
    return [xs, xs, at(props.learned.calibration), at(props.default.calibration)];
  }, [props.learned, props.default]);
  const options = useMemo<Omit<Options, 'width' | 'height'>>(
    () => ({
      scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } },
      axes: [
        { label: 'Predicted probability', stroke: '#555' },
        { label: 'Observed churn', stroke: '#555', size: 50 },
      ],
      series: [
        { label: 'Predicted' },
        { label: 'Perfect', stroke: '#999', dash: [4, 4], points: { show: false }, spanGaps: true },
        { label: 'Learned', stroke: '#1565c0', width: 2, spanGaps: true, points: { size: 7 } },
        { label: 'Default', stroke: '#e65100', width: 2, spanGaps: true, points: { size: 7 } },
      ],
    }),
    [],
  );
  return (
    <UPlotChart
      options={options}
      data={data}
      height={260}
      label="Reliability: predicted against observed churn on the held-out split"
      testId="reliability-chart"
    />
  );
}

import { useMemo } from 'preact/hooks';
import type { AlignedData, Options } from 'uplot';
import type { ChurnPeriod } from '../api/api.types.js';
import { categoryAxis } from './chart-options.js';
import { UPlotChart } from './uplot-chart.js';

const percent = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 10);

/** Logo churn on the left axis, GRR and NRR on the right, one point per period. */
export function ChurnChart({ periods }: { periods: readonly ChurnPeriod[] }) {
  const data = useMemo<AlignedData>(
    () => [
      periods.map((_, index) => index),
      periods.map((period) => percent(period.logoChurnRate)),
      periods.map((period) => percent(period.grossRevenueRetention)),
      periods.map((period) => percent(period.netRevenueRetention)),
    ],
    [periods],
  );
  const options = useMemo<Omit<Options, 'width' | 'height'>>(
    () => ({
      scales: { x: { time: false }, churn: { range: (_, __, max) => [0, Math.max(10, max)] } },
      axes: [
        categoryAxis(periods.map((period) => period.period)),
        { scale: 'churn', label: 'Logo churn %', stroke: '#c62828', size: 50 },
        {
          scale: '%',
          side: 1,
          label: 'Retention %',
          stroke: '#1565c0',
          grid: { show: false },
          size: 50,
        },
      ],
      series: [
        { label: 'Period', value: (_, index) => periods[index]?.period ?? '' },
        { label: 'Logo churn %', scale: 'churn', stroke: '#c62828', width: 2, points: { size: 6 } },
        { label: 'GRR %', scale: '%', stroke: '#1565c0', width: 2, points: { size: 6 } },
        {
          label: 'NRR %',
          scale: '%',
          stroke: '#2e7d32',
          width: 2,
          dash: [6, 4],
          points: { size: 6 },
        },
      ],
    }),
    [periods],
  );
  return (
    <UPlotChart
      options={options}
      data={data}
      height={260}
      label="Logo churn, gross and net revenue retention by period"
      testId="churn-chart"
    />
  );
}

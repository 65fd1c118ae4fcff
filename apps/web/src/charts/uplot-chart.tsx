import { useEffect, useRef } from 'preact/hooks';
import uPlot, { type AlignedData, type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * A uPlot chart that fills its container's width and follows it (375 px phones included).
 * `points` is written into `data-points` so a test (or a curious reader) can compare what is
 * drawn with what the API answered.
 */
export function UPlotChart(props: {
  options: Omit<Options, 'width' | 'height'>;
  data: AlignedData;
  height?: number;
  label: string;
  testId?: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const height = props.height ?? 220;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    chart.current?.destroy();
    chart.current = new uPlot(
      { ...props.options, width: Math.max(element.clientWidth, 280), height },
      props.data,
      element,
    );
    const resize = new ResizeObserver(() => {
      chart.current?.setSize({ width: Math.max(element.clientWidth, 280), height });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.current?.destroy();
      chart.current = null;
    };
  }, [props.options, props.data, height]);

  return (
    <div
      class="chart"
      ref={container}
      role="img"
      aria-label={props.label}
      data-testid={props.testId}
      data-points={JSON.stringify(props.data.slice(1))}
    />
  );
}

import { useEffect } from 'preact/hooks';

/**
 * A Performance API mark (`tenure:<name>`) once the screen shows its data: the benchmark
 * (apps/web/bench) reads it to time "navigation to list drawn" in Chromium.
 */
export function useDrawnMark(name: string, drawn: boolean, key: unknown = null): void {
  useEffect(() => {
    if (drawn) performance.mark(`tenure:${name}`);
  }, [name, drawn, key]);
}

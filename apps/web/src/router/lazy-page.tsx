import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * A page loaded on first visit: only the accounts page ships in the initial JavaScript, and
 * uPlot (about 22 KB gzip) arrives with the first page that draws a chart.
 */
export function lazyPage<P extends object>(
  load: () => Promise<{ default: ComponentType<P> }>,
): ComponentType<P> & { preload: () => void } {
  let loaded: ComponentType<P> | null = null;
  function LazyPage(props: P) {
    const [Page, setPage] = useState<ComponentType<P> | null>(() => loaded);
    useEffect(() => {
      if (Page) return;
      void load().then((module) => {
        loaded = module.default;
        setPage(() => module.default);
      });
    }, [Page]);
    return Page ? <Page {...props} /> : <p class="loading">Loading…</p>;
  }
  /** Starts the download early (a cold load of the page, while the session is checked). */
  LazyPage.preload = () => void load();
  return LazyPage;
}

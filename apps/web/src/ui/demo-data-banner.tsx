import { demoData } from '../api/demo-data.js';
import { useStore } from './store.js';

/**
 * Shown by a demo whose data is still being generated (the server answers meanwhile): what the
 * pages show is the part written so far. Once it is complete, a reload shows all of it.
 */
export function DemoDataBanner() {
  const data = useStore(demoData);
  if (!data) return null;
  if (data.state === 'complete') {
    return (
      <div class="banner banner-demo" role="status" aria-live="polite">
        The demo data is complete.{' '}
        <button type="button" class="link-button" onClick={() => location.reload()}>
          Reload
        </button>{' '}
        to see all of it.
      </div>
    );
  }
  return (
    <div class="banner banner-demo" role="status" aria-live="polite">
      Demo data is being generated ({data.note}): lists, scores and charts show the part written so
      far.
    </div>
  );
}

import { serverDown } from '../api/api-client.js';
import { useStore } from './store.js';

/** Shown while the server cannot be reached; the page keeps what it shows and keeps retrying. */
export function ServerDownBanner() {
  const down = useStore(serverDown);
  if (!down) return null;
  return (
    <div class="banner banner-down" role="status" aria-live="polite">
      The Tenure server cannot be reached. Retrying every {Math.round(down.retryInMs / 1000)} s…
    </div>
  );
}

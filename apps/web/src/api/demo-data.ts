import { createStore } from '../ui/store.js';

/** The header a demo server puts on every answer while its generated data is incomplete. */
export const DEMO_DATA_HEADER = 'tenure-demo-data';

export type DemoData =
  /** "partial, 45 of 150 accounts written": pages show the part written so far. */
  | { state: 'partial'; note: string }
  /** Was partial while this page was open, is complete now: a reload shows all of it. */
  | { state: 'complete' }
  | null;

/** Where a demo's data stands, as the last answer said; null outside a demo being generated. */
export const demoData = createStore<DemoData>(null);

const POLL_MS = 3_000;
let polling = false;

/**
 * Notes the header of an answer. While the data is partial the banner keeps up with it by
 * asking `/healthz` every few seconds (the pages themselves do not poll).
 */
export function noteDemoData(header: string | null, check: () => Promise<string | null> = health) {
  const current = demoData.get();
  if (header !== null) {
    if (current?.state !== 'partial' || current.note !== header) {
      demoData.set({ state: 'partial', note: header });
    }
    if (polling) return;
    polling = true;
    setTimeout(() => {
      polling = false;
      void check().then(
        (next) => noteDemoData(next, check),
        () => noteDemoData(header, check),
      );
    }, POLL_MS);
  } else if (current?.state === 'partial') {
    demoData.set({ state: 'complete' });
  }
}

async function health(): Promise<string | null> {
  const response = await fetch('/healthz', { credentials: 'same-origin' });
  return response.headers.get(DEMO_DATA_HEADER);
}

/**
 * The script-tag build (`dist/tenure.global.js`): defines the global `tenure` and replays the
 * calls the snippet recorded before it loaded, with the times they were made.
 *
 * @example
 * tenure.init({ writeKey: 'tw_...', host: 'https://tenure.example.com' });
 * tenure.login();
 * tenure.featureUsed('reports');
 */
import { API_METHODS } from './api-methods.js';
import { browserEnvironment } from './browser-environment.js';
import { type BrowserOptions, Tenure } from './browser-tenure.js';

/** A call as the snippet records it: method, arguments, time of the call. */
type RecordedCall = [method: string, args: unknown[], calledAt: number];

type GlobalApi = Record<string, (...args: unknown[]) => unknown>;

const scope = window as unknown as { tenure?: { q?: RecordedCall[] } };
const recorded = scope.tenure?.q ?? [];
const waiting: RecordedCall[] = [];
let client: Tenure | undefined;
/** The time of the call being made, so replayed events keep their original timestamps. */
let callTime: number | undefined;

function call(method: string, args: unknown[], calledAt: number): unknown {
  if (method === 'init') {
    if (!client) {
      // Only the events' timestamps take the recorded time; `sentAt` stays the real now.
      client = new Tenure(args[0] as BrowserOptions, {
        ...browserEnvironment(),
        callTime: () => callTime ?? Date.now(),
      });
      for (const early of waiting.splice(0)) call(...early);
    }
    return client;
  }
  if (!client) return void waiting.push([method, args, calledAt]);
  callTime = calledAt;
  try {
    // The method names come from API_METHODS, which the compiler checks against `Tenure`.
    return (client as unknown as GlobalApi)[method]?.(...args);
  } finally {
    callTime = undefined;
  }
}

// Loaded twice? Keep the first client rather than losing its state.
if (!scope.tenure || scope.tenure.q) {
  // The snippet's own object, filled in: code that kept a reference to it reaches the client.
  const api = (scope.tenure ?? {}) as GlobalApi & { q?: RecordedCall[] };
  for (const method of ['init', ...API_METHODS]) {
    api[method] = (...args) => call(method, args, Date.now());
  }
  delete api.q;
  scope.tenure = api;
  for (const early of recorded) call(...early);
}

import { createStore } from '../ui/store.js';
import { ApiError, apiErrorOf } from './api-error.js';
import { DEMO_DATA_HEADER, noteDemoData } from './demo-data.js';

export type Query = Record<string, string | number | undefined | null>;

interface Credentials {
  projectId: string;
  csrfToken: string;
}

let credentials: Credentials | null = null;
let onSignedOut: () => void = () => {};

/**
 * Set while the server cannot be reached: the shell shows a banner and reads keep retrying,
 * so the page keeps what it has instead of going blank.
 */
export const serverDown = createStore<{ since: number; retryInMs: number } | null>(null);

/** The project and CSRF token every call carries (from the session). */
export function setCredentials(next: Credentials | null): void {
  credentials = next;
}

/** Called when the API answers 401: the session expired or was signed out elsewhere. */
export function onSessionLost(handler: () => void): void {
  onSignedOut = handler;
}

export function urlOf(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

const RETRY_MS = [1_000, 2_000, 4_000, 8_000];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A failure that means "no Tenure answered": network error, or a proxy's 502/504. */
function unreachable(response: Response | null): boolean {
  return response === null || response.status === 502 || response.status === 504;
}

async function send(method: string, url: string, body: unknown): Promise<Response | null> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (credentials) headers['x-tenure-project'] = credentials.projectId;
  if (method !== 'GET' && credentials) headers['x-csrf-token'] = credentials.csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    return await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    return null;
  }
}

/**
 * One API call with the session cookie. Reads retry with backoff while the server is down (and
 * on 503 with Retry-After), and the banner says so; a change is tried once, so a click never
 * applies twice. A 401 hands over to the sign-in page.
 */
export async function apiRequest<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  options: { query?: Query | undefined; body?: unknown; retry?: boolean } = {},
): Promise<T> {
  const url = urlOf(path, options.query);
  const retry = options.retry ?? method === 'GET';
  for (let attempt = 0; ; attempt += 1) {
    const response = await send(method, url, options.body);
    const overloaded = response?.status === 503;
    if (retry && (unreachable(response) || overloaded)) {
      const after = Number(response?.headers.get('retry-after'));
      const wait = after > 0 ? after * 1_000 : (RETRY_MS[attempt] ?? 10_000);
      if (unreachable(response)) {
        serverDown.set({ since: serverDown.get()?.since ?? Date.now(), retryInMs: wait });
      }
      await sleep(wait);
      continue;
    }
    if (response === null) {
      serverDown.set({ since: Date.now(), retryInMs: RETRY_MS[0]! });
      throw new ApiError(0, 'server_unreachable', 'The Tenure server cannot be reached.');
    }
    serverDown.set(null);
    noteDemoData(response.headers.get(DEMO_DATA_HEADER));
    if (response.status === 401 && !path.startsWith('/v1/auth/')) {
      onSignedOut();
      throw await apiErrorOf(response);
    }
    if (!response.ok) throw await apiErrorOf(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
}

export const api = {
  get: <T>(path: string, query?: Query) => apiRequest<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>('POST', path, { body }),
  put: <T>(path: string, body?: unknown) => apiRequest<T>('PUT', path, { body }),
  delete: <T>(path: string) => apiRequest<T>('DELETE', path),
};

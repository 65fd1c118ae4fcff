import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../api/api-error.js';

export type Loaded<T> =
  | { state: 'loading'; data?: T | undefined }
  | { state: 'ready'; data: T }
  | { state: 'error'; error: ApiError; data?: T | undefined };

/**
 * Loads `fetcher()` whenever `deps` change; a newer load wins over an older one that answers
 * late (typing in a filter fires several). The previous data stays visible while loading.
 */
export function useApi<T>(fetcher: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    setLoaded((previous) => ({ state: 'loading', data: previous.data }));
    fetcher().then(
      (data) => current && setLoaded({ state: 'ready', data }),
      (error: ApiError) => current && setLoaded({ state: 'error', error }),
    );
    return () => {
      current = false;
    };
  }, deps);
  return loaded;
}

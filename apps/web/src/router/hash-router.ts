import { useEffect, useState } from 'preact/hooks';

/**
 * Routes live in the hash (`#/accounts/acme?asOf=…`): the server only has to serve
 * index.html at `/`, and a reload or a shared link lands on the same screen.
 */
export interface Route {
  path: string;
  query: URLSearchParams;
  /** The hash as typed, to come back to after signing in. */
  href: string;
}

export function currentRoute(): Route {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = hash.split('?', 2);
  return { path, query: new URLSearchParams(search), href: hash };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  const hash = `#${href}`;
  if (options.replace) history.replaceState(null, '', hash);
  else history.pushState(null, '', hash);
  dispatchEvent(new HashChangeEvent('hashchange'));
}

/** `/accounts?tier=critical` from a path and query values (empty ones left out). */
export function hrefOf(path: string, query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

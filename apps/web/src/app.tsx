import { useEffect } from 'preact/hooks';
import { loadSession, session } from './api/session.js';
import { AppNav } from './app-nav.js';
import { AccountsPage } from './pages/accounts/accounts.page.js';
import { NotFoundPage } from './pages/not-found.page.js';
import { SignInPage } from './pages/sign-in.page.js';
import { hrefOf, navigate, type Route, useRoute } from './router/hash-router.js';
import { lazyPage } from './router/lazy-page.js';
import { DemoDataBanner } from './ui/demo-data-banner.js';
import { ServerDownBanner } from './ui/server-down-banner.js';
import { useStore } from './ui/store.js';

const AccountPage = lazyPage<{ accountId: string; route: Route }>(
  () => import('./pages/account/account.page.js'),
);
const ChurnPage = lazyPage<{ route: Route }>(() => import('./pages/churn/churn.page.js'));
const WarningsPage = lazyPage<{ route: Route }>(() => import('./pages/warnings/warnings.page.js'));
const SettingsPage = lazyPage<{ canEdit: boolean }>(
  () => import('./pages/settings/settings.page.js'),
);
const ModelPage = lazyPage<{ canEdit: boolean }>(() => import('./pages/settings/model.page.js'));
const KeysPage = lazyPage<{ canEdit: boolean }>(() => import('./pages/settings/keys.page.js'));

const PRELOAD: Record<string, (() => void) | undefined> = {
  accounts: () => location.hash.split('/').length > 2 && AccountPage.preload(),
  churn: ChurnPage.preload,
  warnings: WarningsPage.preload,
  settings: SettingsPage.preload,
  model: ModelPage.preload,
  keys: KeysPage.preload,
};

function Page({ route, canEdit }: { route: Route; canEdit: boolean }) {
  const [, section, id] = route.path.split('/');
  switch (section) {
    case '':
    case 'accounts':
      return id ? (
        <AccountPage accountId={decodeURIComponent(id)} route={route} />
      ) : (
        <AccountsPage route={route} />
      );
    case 'churn':
      return <ChurnPage route={route} />;
    case 'warnings':
      return <WarningsPage route={route} />;
    case 'settings':
      return <SettingsPage canEdit={canEdit} />;
    case 'model':
      return <ModelPage canEdit={canEdit} />;
    case 'keys':
      return <KeysPage canEdit={canEdit} />;
    default:
      return <NotFoundPage what="page" />;
  }
}

/**
 * The shell: asks the server for the session, sends a visitor without one to sign-in (keeping
 * the page asked for in `next`), and draws the page for the route.
 */
export function App() {
  const route = useRoute();
  const state = useStore(session);

  useEffect(() => {
    void loadSession();
    // Fetch the page's code while the session is checked rather than after.
    PRELOAD[route.path.split('/')[1] ?? '']?.();
  }, []);

  const onSignIn = route.path === '/sign-in';
  useEffect(() => {
    if (state.status === 'signed-out' && !onSignIn) {
      navigate(hrefOf('/sign-in', { next: route.href, expired: state.expired ? '1' : undefined }), {
        replace: true,
      });
    }
  }, [state, onSignIn, route.href]);

  if (state.status === 'loading') {
    return (
      <>
        <ServerDownBanner />
        <p class="loading">Loading…</p>
      </>
    );
  }
  if (state.status === 'signed-out' || onSignIn) {
    return (
      <>
        <ServerDownBanner />
        <SignInPage route={route} signedIn={state.status === 'signed-in'} />
      </>
    );
  }
  return (
    <>
      <button
        type="button"
        class="skip-link"
        // The hash holds the route, so skipping to the content moves focus instead of linking.
        onClick={() => document.getElementById('main')?.focus()}
      >
        Skip to content
      </button>
      <AppNav path={route.path} info={state.info} project={state.project} />
      <ServerDownBanner />
      <DemoDataBanner />
      <main id="main" tabIndex={-1} key={state.project.projectId}>
        <Page route={route} canEdit={state.project.role === 'admin'} />
      </main>
    </>
  );
}

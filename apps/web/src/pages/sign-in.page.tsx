import { useState } from 'preact/hooks';
import type { ApiError } from '../api/api-error.js';
import { signIn } from '../api/session.js';
import { navigate, type Route } from '../router/hash-router.js';

/** Where to go after signing in: the page asked for, never back to sign-in or off-site. */
function nextOf(route: Route): string {
  const next = route.query.get('next') ?? '/accounts';
  return next.startsWith('/') && !next.startsWith('/sign-in') ? next : '/accounts';
}

function refusalOf(error: ApiError): string {
  if (error.status === 401) return 'Wrong email or password.';
  if (error.status === 429) return 'Too many attempts. Wait a minute and try again.';
  if (error.status === 0) return 'The Tenure server cannot be reached. Try again in a moment.';
  return error.message;
}

export function SignInPage({ route, signedIn }: { route: Route; signedIn: boolean }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (signedIn) {
    queueMicrotask(() => navigate(nextOf(route), { replace: true }));
    return null;
  }

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
      navigate(nextOf(route), { replace: true });
    } catch (caught) {
      setError(refusalOf(caught as ApiError));
      setBusy(false);
    }
  }

  return (
    <main id="main" class="sign-in">
      <h1>Sign in to Tenure</h1>
      {route.query.get('expired') ? (
        <p class="notice" role="status">
          Your session ended. Sign in again to go back to the page you were on.
        </p>
      ) : null}
      <form onSubmit={(event) => void submit(event)}>
        <label>
          Email
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
        </label>
        {error ? (
          <p class="notice notice-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

import { useEffect, useMemo, useState } from 'preact/hooks';
import { setUnauthorizedHandler } from './api/api.js';
import { fetchMe } from './api/endpoints.js';
import { clearToken, readToken } from './api/token.js';
import type { User } from './api/types.js';
import { SessionContext, type Session } from './auth/session.js';
import { AppShell } from './components/app-shell.js';
import { PublicLayout } from './components/public-layout.js';
import { errorKey, type ErrorKey } from './i18n/error-key.js';
import { useT } from './i18n/use-t.js';
import { LoginPage } from './pages/login-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { navigate, redirect, usePath } from './router/router.js';
import { homePathFor, loginPath, matchRoute } from './router/routes.js';

type AuthState = { status: 'checking' } | { status: 'signedOut'; error: ErrorKey | null } | { status: 'signedIn'; user: User };

/** Where the user wanted to go before being sent to the login page. */
function intendedPath(user: User): string {
  const next: unknown = (history.state as { next?: unknown } | null)?.next;
  if (typeof next !== 'string') return homePathFor(user.role);
  const pathname = next.split('?')[0]!;
  return pathname !== '/' && matchRoute(pathname, user.role) ? next : homePathFor(user.role);
}

/** The path to redirect to, or null when the current one can be shown as is. */
function redirectFor(auth: AuthState, path: string): string | null {
  if (auth.status === 'signedOut') return path === loginPath ? null : loginPath;
  if (auth.status === 'checking') return null;
  // Normally sign-in navigates away itself; this covers opening /login while already signed in.
  if (path === loginPath) return intendedPath(auth.user);
  if (path === '/') return homePathFor(auth.user.role);
  const match = matchRoute(path);
  if (match && !match.route.roles.includes(auth.user.role)) return homePathFor(auth.user.role);
  return null;
}

export function App() {
  const { t } = useT();
  const path = usePath();
  const [auth, setAuth] = useState<AuthState>(() => (readToken() ? { status: 'checking' } : { status: 'signedOut', error: null }));

  useEffect(() => {
    setUnauthorizedHandler(() => setAuth({ status: 'signedOut', error: 'errors.sessionExpired' }));
    if (auth.status !== 'checking') return;
    fetchMe()
      .then((user) => setAuth({ status: 'signedIn', user }))
      .catch((failure: unknown) => setAuth({ status: 'signedOut', error: errorKey(failure) }));
  }, []);

  const target = redirectFor(auth, path);
  useEffect(() => {
    // The query string (e.g. a course search or a lecture's course) survives signing in.
    if (target) redirect(target, target === loginPath ? { next: path + location.search } : null);
  }, [target, path]);

  const session = useMemo<Session | null>(
    () =>
      auth.status === 'signedIn'
        ? {
            user: auth.user,
            signOut: () => {
              clearToken();
              setAuth({ status: 'signedOut', error: null });
              navigate(loginPath);
            },
          }
        : null,
    [auth],
  );

  if (auth.status === 'checking' || target) {
    return (
      <PublicLayout>
        <p class="status" role="status">
          {t('app.loading')}
        </p>
      </PublicLayout>
    );
  }

  if (!session) {
    return (
      <PublicLayout>
        <LoginPage
          initialError={auth.status === 'signedOut' ? auth.error : null}
          onSignedIn={(user) => {
            navigate(intendedPath(user), { replace: true });
            setAuth({ status: 'signedIn', user });
          }}
        />
      </PublicLayout>
    );
  }

  const match = matchRoute(path, session.user.role);
  return (
    <SessionContext value={session}>
      <AppShell section={match?.route.section ?? null}>
        {match ? match.route.render(match.params) : <NotFoundPage homePath={homePathFor(session.user.role)} />}
      </AppShell>
    </SessionContext>
  );
}

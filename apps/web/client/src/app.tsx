import { useEffect, useMemo, useState } from 'preact/hooks';
import { setPasswordChangeHandler, setUnauthorizedHandler } from './api/api.js';
import { fetchMe } from './api/endpoints.js';
import { clearToken, readToken } from './api/token.js';
import type { User } from './api/types.js';
import { changePasswordPath, mustChangePassword, SessionContext, type Session } from './auth/session.js';
import { AppShell } from './components/app-shell.js';
import { PublicLayout } from './components/public-layout.js';
import { RolePage } from './components/role-page.js';
import { errorKey, type ErrorKey } from './i18n/error-key.js';
import { useT } from './i18n/use-t.js';
import { LoginPage } from './pages/login-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { navigate, redirect, usePath } from './router/router.js';
import { audienceOf, homePathFor, loginPath, matchPublicRoute, matchRoute } from './router/routes.js';

type AuthState = { status: 'checking' } | { status: 'signedOut'; error: ErrorKey | null } | { status: 'signedIn'; user: User };

/**
 * Where the user wanted to go before being sent to the login page. A page for another role is kept too:
 * it says whom it is for, which explains more than landing on the start page.
 */
function intendedPath(user: User): string {
  const next: unknown = (history.state as { next?: unknown } | null)?.next;
  if (typeof next !== 'string') return homePathFor(user.role);
  const pathname = next.split('?')[0]!;
  return pathname !== '/' && pathname !== loginPath && matchRoute(pathname) ? next : homePathFor(user.role);
}

/** The path to redirect to, or null when the current one can be shown as is. */
function redirectFor(auth: AuthState, path: string): string | null {
  if (matchPublicRoute(path)) return null;
  if (auth.status === 'signedOut') return path === loginPath ? null : loginPath;
  if (auth.status === 'checking') return null;
  // Normally sign-in navigates away itself; this covers opening /login while already signed in.
  // A reset password opens one page only, until a new one is chosen.
  if (mustChangePassword(auth.user)) return path === changePasswordPath ? null : changePasswordPath;
  if (path === loginPath) return intendedPath(auth.user);
  if (path === '/') return homePathFor(auth.user.role);
  // A page for another role stays put and says so (see RolePage).
  return null;
}

export function App() {
  const { t } = useT();
  const path = usePath();
  const [auth, setAuth] = useState<AuthState>(() => (readToken() ? { status: 'checking' } : { status: 'signedOut', error: null }));

  useEffect(() => {
    setUnauthorizedHandler(() => setAuth({ status: 'signedOut', error: 'errors.sessionExpired' }));
    // An admin reset the password while the person was using the app: the next request is refused, and
    // the change-password page is the one page left.
    setPasswordChangeHandler(() =>
      setAuth((current) =>
        current.status === 'signedIn' ? { status: 'signedIn', user: { ...current.user, mustChangePassword: true } } : current,
      ),
    );
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
            passwordChanged: (user) => setAuth({ status: 'signedIn', user: { ...user, mustChangePassword: false } }),
          }
        : null,
    [auth],
  );

  const open = matchPublicRoute(path);
  if (open) return <PublicLayout>{open.route.render(open.params)}</PublicLayout>;

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
            navigate(mustChangePassword(user) ? changePasswordPath : intendedPath(user), { replace: true });
            setAuth({ status: 'signedIn', user });
          }}
        />
      </PublicLayout>
    );
  }

  const match = matchRoute(path, session.user.role);
  // A page that exists, for other roles: a member following a link to the studio, an admin to a course.
  const elsewhere = match ? null : matchRoute(path);
  return (
    <SessionContext value={session}>
      <AppShell section={match?.route.section ?? null}>
        {match ? (
          match.route.render(match.params)
        ) : elsewhere ? (
          <RolePage audience={audienceOf(elsewhere.route)} />
        ) : (
          <NotFoundPage role={session.user.role} />
        )}
      </AppShell>
    </SessionContext>
  );
}

/**
 * After an administrator's reset, the one-time password opens one door: choosing a new password.
 * These requests stay open meanwhile; every other one is refused with `password_change_required`.
 * `GET /api/me` stays open so the web app, reloaded, learns who is signed in and where to send them.
 */
const OPEN_WHILE_CHANGE_REQUIRED = new Set(['POST /api/account/password', 'POST /api/auth/logout', 'GET /api/me']);

export const PASSWORD_CHANGE_REQUIRED = 'password_change_required';

export function openWhilePasswordChangeRequired(method: string | undefined, path: string | undefined): boolean {
  const verb = (method ?? '').toUpperCase();
  const route = (path ?? '').toLowerCase().replace(/\/+$/, '');
  return OPEN_WHILE_CHANGE_REQUIRED.has(`${verb} ${route}`);
}

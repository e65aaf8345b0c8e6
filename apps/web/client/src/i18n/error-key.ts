import { ApiError, NetworkError } from '../api/api.js';

export type ErrorKey =
  'errors.network' | 'errors.server' | 'errors.tooManyRequests' | 'errors.invalid' | 'errors.forbidden' | 'errors.sessionExpired';

/** Message key for a failed request; pages override statuses they understand better (e.g. 401 on login). */
export function errorKey(error: unknown): ErrorKey {
  if (error instanceof NetworkError) return 'errors.network';
  if (!(error instanceof ApiError)) return 'errors.server';
  if (error.status === 401) return 'errors.sessionExpired';
  if (error.status === 403) return 'errors.forbidden';
  if (error.status === 429) return 'errors.tooManyRequests';
  if (error.status >= 400 && error.status < 500) return 'errors.invalid';
  return 'errors.server';
}

import { ApiError, NetworkError } from '../api/api.js';

export type ErrorKey =
  | 'errors.network'
  | 'errors.server'
  | 'errors.tooManyRequests'
  | 'errors.invalid'
  | 'errors.forbidden'
  | 'errors.sessionExpired'
  | 'errors.notFound'
  | 'errors.conflict'
  | 'errors.tooLarge'
  | 'errors.unsupportedType';

/** Message key for a failed request; pages override statuses they understand better (e.g. 401 on login). */
export function errorKey(error: unknown): ErrorKey {
  if (error instanceof NetworkError) return 'errors.network';
  if (!(error instanceof ApiError)) return 'errors.server';
  if (error.status === 401) return 'errors.sessionExpired';
  if (error.status === 403) return 'errors.forbidden';
  if (error.status === 404 || error.status === 410) return 'errors.notFound';
  if (error.status === 409) return 'errors.conflict';
  if (error.status === 413) return 'errors.tooLarge';
  if (error.status === 415) return 'errors.unsupportedType';
  if (error.status === 429) return 'errors.tooManyRequests';
  if (error.status >= 400 && error.status < 500) return 'errors.invalid';
  return 'errors.server';
}

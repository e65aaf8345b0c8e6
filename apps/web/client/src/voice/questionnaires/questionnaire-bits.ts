import { ApiError } from '../../api/api.js';
import { errorKey } from '../../i18n/error-key.js';
import type { useT } from '../../i18n/use-t.js';

type T = ReturnType<typeof useT>['t'];

/** Our sentence for a failed request, followed by the server's own words when it explains a refusal. */
export function problemText(failure: unknown, t: T): string {
  const base = t(errorKey(failure));
  if (failure instanceof ApiError && [400, 404, 409, 422].includes(failure.status)) {
    const words = (failure.errors.length > 0 ? failure.errors : [failure.message]).filter(Boolean).join(' ');
    if (words) return `${base} ${t('questionnaires.serverSays', { message: words })}`;
  }
  return base;
}

/** A date and time as the member reads it. */
export const whenText = (iso: string, lang: string) => new Date(iso).toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });

export const questionnairePaths = {
  list: '/voice/questionnaires',
  create: '/voice/questionnaires/new',
  edit: (id: string) => `/voice/questionnaires/${encodeURIComponent(id)}`,
  results: (id: string) => `/voice/questionnaires/${encodeURIComponent(id)}/results`,
  responses: (id: string) => `/voice/questionnaires/${encodeURIComponent(id)}/responses`,
  fill: (id: string) => `/questionnaires/${encodeURIComponent(id)}`,
};

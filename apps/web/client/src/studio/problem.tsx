import { ApiError } from '../api/api.js';
import { errorKey, type ErrorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';

/** An editor-facing failure: our message, plus the server's own words when it explains a refusal. */
export type ProblemKey = ErrorKey | 'courseForm.fixErrors' | 'editor.coverTooBig' | 'editor.coverWrongType' | 'editor.lectureTitleRequired';

export interface Problem {
  key: ProblemKey;
  detail: string | null;
}

export function problemOf(failure: unknown): Problem {
  const detail =
    failure instanceof ApiError && [400, 409, 422].includes(failure.status) && failure.message
      ? [failure.message, ...failure.errors].join(' ')
      : null;
  return { key: errorKey(failure), detail };
}

/** Always rendered, so screen readers already watch it when a problem appears. */
export function ProblemAlert({ problem }: { problem: Problem | null }) {
  const { t } = useT();
  return (
    <div class={problem ? 'alert alert--shown' : 'alert'} role="alert">
      {problem && t(problem.key)}
      {problem?.detail && <span class="alert__detail">{t('errors.details', { message: problem.detail })}</span>}
    </div>
  );
}

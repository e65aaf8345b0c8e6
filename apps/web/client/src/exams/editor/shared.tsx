import type { QuestionKind } from '#contracts';
import { ApiError } from '../../api/api.js';
import { SubNav } from '../../components/sub-nav.js';
import { errorKey } from '../../i18n/error-key.js';
import { useT } from '../../i18n/use-t.js';
import './editor.css';

type T = ReturnType<typeof useT>['t'];

export const bankPaths = {
  bank: '/studio/questions',
  newQuestion: '/studio/questions/new',
  import: '/studio/questions/import',
  question: (id: string) => `/studio/questions/${encodeURIComponent(id)}`,
  exams: '/studio/exams',
  newExam: '/studio/exams/new',
  exam: (id: string) => `/studio/exams/${encodeURIComponent(id)}`,
};

/** Our sentence for a failed request, followed by the server's own words when it explains a refusal. */
export function problemText(failure: unknown, t: T): string {
  const base = t(errorKey(failure));
  if (failure instanceof ApiError && [400, 404, 409, 413, 415, 422].includes(failure.status)) {
    // The server's message is often its list of errors joined; each is said once.
    const words = (failure.errors.length > 0 ? failure.errors : [failure.message]).filter(Boolean).join(' ');
    if (words) return `${base} ${t('examEditor.serverSays', { message: words })}`;
  }
  return base;
}

export const kindLabel = (t: T, kind: QuestionKind) => t(`examEditor.kinds.${kind}`);

/** A question's text cut to one line's worth for lists. */
export const trimmed = (text: string, length = 80) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
};

const tabs = [
  { href: '/studio', key: 'examEditor.nav.courses' },
  { href: bankPaths.bank, key: 'examEditor.nav.questions' },
  { href: bankPaths.exams, key: 'examEditor.nav.exams' },
] as const;

/** The studio's three parts: courses, the question bank and exams. */
export function StudioNav() {
  const { t } = useT();
  return <SubNav label={t('examEditor.nav.label')} tabs={tabs.map((tab) => ({ href: tab.href, label: t(tab.key) }))} />;
}

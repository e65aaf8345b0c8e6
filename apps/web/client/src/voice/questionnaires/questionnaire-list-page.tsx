import { useState } from 'preact/hooks';
import type { QuestionnaireStatus } from '#contracts';
import { listQuestionnaires } from '../../api/questionnaires.js';
import { Alert } from '../../components/alert.js';
import { Page } from '../../components/page.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { questionnairePaths, whenText } from './questionnaire-bits.js';
import './questionnaires.css';

type Filter = QuestionnaireStatus | '';
const filters: readonly Filter[] = ['', 'draft', 'open', 'closed', 'archived'];

/** The questionnaires of the editor's or admin's subtree, by status, each with its results and response rates. */
export function QuestionnaireListPage() {
  const { t, lang } = useT();
  const [filter, setFilter] = useState<Filter>('');
  const list = useResource(() => listQuestionnaires(filter || undefined), [filter]);
  const items = list.data ?? [];
  return (
    <Page title={t('questionnaires.title')}>
      <p class="lead">{t('questionnaires.list.intro')}</p>
      <p class="actions">
        <Link href={questionnairePaths.create} class="button button--primary button--big">
          {t('questionnaires.list.new')}
        </Link>
      </p>
      <div class="segmented" role="group" aria-label={t('questionnaires.list.filter')}>
        {filters.map((f) => (
          <button key={f || 'all'} type="button" class="button button--quiet" aria-pressed={filter === f} onClick={() => setFilter(f)}>
            {f ? t(`questionnaires.status.${f}`) : t('questionnaires.list.all')}
          </button>
        ))}
      </div>
      <Alert message={list.error ? t(list.error) : null} />
      {!list.loading && !list.error && items.length === 0 && (
        <p class="notice">{filter ? t('questionnaires.list.emptyFiltered') : t('questionnaires.list.empty')}</p>
      )}
      {items.length > 0 && (
        <ul class="qn-list" aria-label={t('questionnaires.list.label')}>
          {items.map((q) => (
            <li key={q.id} class="qn-list__item">
              <h2 class="qn-list__title">
                <Link href={questionnairePaths.edit(q.id)}>{q.title}</Link>
              </h2>
              <p class="qn-facts">
                <span class={`badge badge--${q.status}`}>{t(`questionnaires.status.${q.status}`)}</span>
                <span class="badge">{q.anonymous ? t('questionnaires.list.anonymous') : t('questionnaires.list.named')}</span>
                <span>{t('questionnaires.list.questions', { count: q.questionCount })}</span>
                <span>{t('questionnaires.list.respondents', { count: q.respondentCount })}</span>
                <span>{t('questionnaires.list.window', { from: whenText(q.opensAt, lang), to: whenText(q.closesAt, lang) })}</span>
                <span>{t('questionnaires.list.owner', { name: q.ownerUnit.name })}</span>
              </p>
              <p class="qn-links">
                <Link href={questionnairePaths.edit(q.id)}>{t('questionnaires.list.edit')}</Link>
                <Link href={questionnairePaths.results(q.id)}>{t('questionnaires.list.results')}</Link>
                <Link href={questionnairePaths.responses(q.id)}>{t('questionnaires.list.responses')}</Link>
              </p>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { QUESTION_KINDS, type QuestionKind, type QuestionView } from '#contracts';
import { listQuestions, listTopics, retireQuestion } from '../../api/exam-bank.js';
import { Alert } from '../../components/alert.js';
import { Page } from '../../components/page.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { bankPaths, kindLabel, problemText, StudioNav, trimmed } from './shared.js';
import { ListMore } from './list-more.js';

const PAGE_SIZE = 50;

interface Filter {
  q: string;
  kind: QuestionKind | '';
  topic: string;
  includeRetired: boolean;
}

/** The bank's questions, found by words, kind and topic; each can be edited, retired or brought back. */
export function QuestionBankPage() {
  const { t } = useT();
  const [typed, setTyped] = useState('');
  const [filter, setFilter] = useState<Filter>({ q: '', kind: '', topic: '', includeRetired: false });
  const [items, setItems] = useState<QuestionView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const topics = useResource(listTopics, []);

  useEffect(() => {
    let stale = false;
    setLoading(true);
    setProblem(null);
    listQuestions({ ...filter, limit: PAGE_SIZE })
      .then((page) => {
        if (stale) return;
        setItems(page.items);
        setCursor(page.nextCursor);
      })
      .catch((failure: unknown) => !stale && setProblem(problemText(failure, t)))
      .finally(() => !stale && setLoading(false));
    return () => {
      stale = true;
    };
  }, [filter]);

  const more = async () => {
    if (!cursor) return;
    setLoading(true);
    try {
      const page = await listQuestions({ ...filter, limit: PAGE_SIZE, cursor });
      setItems((shown) => [...shown, ...page.items]);
      setCursor(page.nextCursor);
    } catch (failure) {
      setProblem(problemText(failure, t));
    } finally {
      setLoading(false);
    }
  };

  const search = (event: TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFilter({ ...filter, q: typed.trim() });
  };

  const toggleRetired = async (question: QuestionView) => {
    setBusyId(question.id);
    setProblem(null);
    setStatus(null);
    try {
      const changed = await retireQuestion(question.id, !question.retiredAt);
      setItems((shown) =>
        !filter.includeRetired && changed.retiredAt
          ? shown.filter((q) => q.id !== changed.id)
          : shown.map((q) => (q.id === changed.id ? changed : q)),
      );
      setStatus(changed.retiredAt ? t('examEditor.bank.retiredDone') : t('examEditor.bank.restoredDone'));
    } catch (failure) {
      setProblem(problemText(failure, t));
    } finally {
      setBusyId(null);
    }
  };

  const filtered = filter.q !== '' || filter.kind !== '' || filter.topic !== '';
  return (
    <Page title={t('examEditor.bank.title')}>
      <StudioNav />
      <p class="lead">{t('examEditor.bank.intro')}</p>
      <p class="actions">
        <Link href={bankPaths.newQuestion} class="button button--primary button--big">
          {t('examEditor.bank.newQuestion')}
        </Link>
        <Link href={bankPaths.import} class="button button--big">
          {t('examEditor.bank.import')}
        </Link>
      </p>

      <form class="bank-filters" role="search" onSubmit={search}>
        <div class="field field--wide">
          <label for="bank-q">{t('examEditor.bank.search')}</label>
          <div class="search__row">
            <input id="bank-q" type="search" autocomplete="off" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
            <button type="submit" class="button">
              {t('examEditor.bank.searchButton')}
            </button>
          </div>
        </div>
        <div class="field">
          <label for="bank-kind">{t('examEditor.bank.kind')}</label>
          <select
            id="bank-kind"
            value={filter.kind}
            onChange={(e) => setFilter({ ...filter, kind: e.currentTarget.value as QuestionKind | '' })}
          >
            <option value="">{t('examEditor.bank.anyKind')}</option>
            {QUESTION_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kindLabel(t, kind)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="bank-topic">{t('examEditor.bank.topic')}</label>
          <select id="bank-topic" value={filter.topic} onChange={(e) => setFilter({ ...filter, topic: e.currentTarget.value })}>
            <option value="">{t('examEditor.bank.anyTopic')}</option>
            {(topics.data ?? []).map((topic) => (
              <option key={topic} value={topic}>
                {topic}
              </option>
            ))}
          </select>
        </div>
        <label class="choice">
          <input
            type="checkbox"
            checked={filter.includeRetired}
            onChange={(e) => setFilter({ ...filter, includeRetired: e.currentTarget.checked })}
          />
          {t('examEditor.bank.showRetired')}
        </label>
      </form>

      <Alert message={problem} />
      <p class="status" role="status">
        {status}
      </p>

      {!loading && items.length === 0 && !problem && (
        <p class="notice">{filtered ? t('examEditor.bank.emptyFiltered') : t('examEditor.bank.empty')}</p>
      )}
      {items.length > 0 && (
        <table class="members bank-table" aria-busy={loading}>
          <caption>{t('examEditor.bank.shown', { count: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('examEditor.bank.col.kind')}</th>
              <th scope="col">{t('examEditor.bank.col.stem')}</th>
              <th scope="col">{t('examEditor.bank.col.topic')}</th>
              <th scope="col">{t('examEditor.bank.col.difficulty')}</th>
              <th scope="col">{t('examEditor.bank.col.points')}</th>
              <th scope="col">{t('examEditor.bank.col.usedBy')}</th>
              <th scope="col">{t('examEditor.bank.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((question) => {
              const stem = trimmed(question.stem);
              return (
                <tr key={question.id} class={question.retiredAt ? 'bank-table__retired' : undefined}>
                  <td data-label={t('examEditor.bank.col.kind')}>
                    {kindLabel(t, question.kind)}
                    {question.retiredAt && (
                      <>
                        {' '}
                        <span class="badge badge--archived">{t('examEditor.bank.retired')}</span>
                      </>
                    )}
                  </td>
                  <td data-label={t('examEditor.bank.col.stem')} class="bank-table__stem">
                    {stem}
                  </td>
                  <td data-label={t('examEditor.bank.col.topic')}>{question.topic ?? t('examEditor.bank.none')}</td>
                  <td data-label={t('examEditor.bank.col.difficulty')}>{question.difficulty ?? t('examEditor.bank.none')}</td>
                  <td data-label={t('examEditor.bank.col.points')}>{question.points}</td>
                  <td data-label={t('examEditor.bank.col.usedBy')}>{t('examEditor.bank.usedBy', { count: question.usedBy })}</td>
                  <td data-label={t('examEditor.bank.col.actions')} class="bank-table__actions">
                    <Link href={bankPaths.question(question.id)} class="button">
                      <span aria-hidden="true">{t('examEditor.bank.edit')}</span>
                      <span class="visually-hidden">{t('examEditor.bank.editNamed', { stem })}</span>
                    </Link>
                    <button
                      type="button"
                      class={question.retiredAt ? 'button' : 'button button--danger'}
                      disabled={busyId === question.id}
                      aria-label={
                        question.retiredAt ? t('examEditor.bank.restoreNamed', { stem }) : t('examEditor.bank.retireNamed', { stem })
                      }
                      onClick={() => void toggleRetired(question)}
                    >
                      {question.retiredAt ? t('examEditor.bank.restore') : t('examEditor.bank.retire')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <ListMore loading={loading} more={!!cursor} label={t('examEditor.bank.more')} onMore={() => void more()} />
    </Page>
  );
}

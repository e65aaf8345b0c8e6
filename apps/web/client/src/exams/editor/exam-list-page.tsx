import { useEffect, useState } from 'preact/hooks';
import type { ExamStatus, ExamView } from '#contracts';
import { listExams } from '../../api/exam-bank.js';
import { Alert } from '../../components/alert.js';
import { Page } from '../../components/page.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { bankPaths, problemText, StudioNav } from './shared.js';
import { ListMore } from './list-more.js';

type Filter = ExamStatus | '';
const filters: readonly Filter[] = ['', 'draft', 'published', 'archived'];
const PAGE_SIZE = 50;

/** The exams of the editor's unit, by status, each with its paper and when it runs. */
export function ExamListPage() {
  const { t, lang } = useT();
  const [filter, setFilter] = useState<Filter>('');
  const [items, setItems] = useState<ExamView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);

  const load = async (from: string | null, keep: ExamView[]) => {
    setLoading(true);
    setProblem(null);
    try {
      const page = await listExams({ status: filter, limit: PAGE_SIZE, cursor: from });
      setItems([...keep, ...page.items]);
      setCursor(page.nextCursor);
    } catch (failure) {
      setProblem(problemText(failure, t));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    setItems([]);
    void load(null, []);
  }, [filter]);

  const when = (iso: string) => new Date(iso).toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Page title={t('examEditor.exams.title')}>
      <StudioNav />
      <p class="lead">{t('examEditor.exams.intro')}</p>
      <p class="actions">
        <Link href={bankPaths.newExam} class="button button--primary button--big">
          {t('examEditor.exams.new')}
        </Link>
      </p>
      <div class="segmented" role="group" aria-label={t('examEditor.exams.filter')}>
        {filters.map((f) => (
          <button key={f || 'all'} type="button" class="button button--quiet" aria-pressed={filter === f} onClick={() => setFilter(f)}>
            {f ? t(`examEditor.exams.status.${f}`) : t('examEditor.exams.all')}
          </button>
        ))}
      </div>
      <Alert message={problem} />
      {!loading && !problem && items.length === 0 && (
        <p class="notice">{filter ? t('examEditor.exams.emptyFiltered') : t('examEditor.exams.empty')}</p>
      )}
      {items.length > 0 && (
        <ul class="exam-list" aria-label={t('examEditor.exams.list')}>
          {items.map((exam) => (
            <li key={exam.id} class="exam-list__item">
              <h2 class="exam-list__title">
                <Link href={bankPaths.exam(exam.id)}>{exam.title}</Link>
              </h2>
              <p class="exam-list__facts">
                <span class={`badge badge--${exam.status}`}>{t(`examEditor.exams.status.${exam.status}`)}</span>
                <span>{exam.paperKind === 'drawn' ? t('examEditor.exams.drawn') : t('examEditor.exams.fixed')}</span>
                <span>{t('examEditor.exams.questions', { count: exam.questionCount })}</span>
                <span>{t('examEditor.exams.maxScore', { score: exam.maxScore })}</span>
                <span>{t('examEditor.exams.window', { from: when(exam.opensAt), to: when(exam.closesAt) })}</span>
                {exam.attemptCount > 0 && <span>{t('examEditor.exams.attempts', { count: exam.attemptCount })}</span>}
              </p>
            </li>
          ))}
        </ul>
      )}
      <ListMore loading={loading} more={!!cursor} label={t('examEditor.exams.more')} onMore={() => void load(cursor, items)} />
    </Page>
  );
}

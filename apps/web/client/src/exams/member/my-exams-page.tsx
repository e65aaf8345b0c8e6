import type { MyExamView } from '#contracts';
import { listMyExams } from '../../api/exam-take.js';
import { Alert } from '../../components/alert.js';
import { Page } from '../../components/page.js';
import { useResource } from '../../hooks/use-resource.js';
import { useT } from '../../i18n/use-t.js';
import { Link } from '../../router/link.js';
import { BlockLine, ExamFacts, ResultLine } from './exam-bits.js';
import './exam-take.css';

export const examHref = (examId: string) => `/exams/${encodeURIComponent(examId)}`;

type Section = 'open' | 'upcoming' | 'past';

/** Open, coming up, or over (closed, or no attempt left), by the exam's window; an attempt still open counts as open. */
export function sectionOf(exam: MyExamView, now = Date.now()): Section {
  if (exam.openAttemptId) return 'open';
  if (exam.block === 'not_open' || Date.parse(exam.opensAt) > now) return 'upcoming';
  if (exam.block === 'closed' || exam.block === 'archived' || exam.block === 'no_attempts_left' || Date.parse(exam.closesAt) <= now) {
    return 'past';
  }
  return 'open';
}

/** The member's exams: what they can take now, what comes, and what is over, with results. */
export function MyExamsPage() {
  const { t } = useT();
  const exams = useResource(listMyExams, []);
  const sections: Section[] = ['open', 'upcoming', 'past'];
  const data = exams.data;
  return (
    <Page title={t('examTake.title')}>
      <p class="lead">{t('examTake.intro')}</p>
      <Alert message={exams.error && t(exams.error)} />
      {exams.error && (
        <p>
          <button type="button" class="button" onClick={exams.reload}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {!data && exams.loading && (
        <p class="status" role="status">
          {t('examTake.loading')}
        </p>
      )}
      {data && data.length === 0 && <p class="notice">{t('examTake.none')}</p>}
      {data &&
        sections.map((section) => {
          const list = data.filter((exam) => sectionOf(exam) === section);
          if (list.length === 0) return null;
          return (
            <section key={section} aria-labelledby={`exams-${section}`}>
              <h2 id={`exams-${section}`}>{t(`examTake.sections.${section}`)}</h2>
              <ul class="exam-cards">
                {list.map((exam) => (
                  <li key={exam.examId}>
                    <ExamCard exam={exam} />
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
    </Page>
  );
}

function ExamCard({ exam }: { exam: MyExamView }) {
  const { t } = useT();
  const headingId = `exam-${exam.examId}`;
  return (
    <article class="exam-card" aria-labelledby={headingId}>
      <h3 id={headingId} class="exam-card__title">
        {exam.title}
        {exam.pairRole && <span class="badge">{t(exam.pairRole === 'pre' ? 'examTake.facts.pre' : 'examTake.facts.post')}</span>}
      </h3>
      <ExamFacts exam={exam} />
      <ResultLine exam={exam} />
      <BlockLine exam={exam} />
      <Link href={examHref(exam.examId)} class={`button button--big${exam.block ? '' : ' button--primary'}`}>
        {exam.openAttemptId ? t('examTake.detail.continue') : t('examTake.open')}
        <span class="visually-hidden">: {exam.title}</span>
      </Link>
    </article>
  );
}

import { useState } from 'preact/hooks';
import { groupRecordCode, type StudyRecordExam } from '#contracts';
import { downloadRecordPdf, fetchRecordPreview, recordLink, type StudyRecordPreview } from '../api/study-record.js';
import { Alert } from '../components/alert.js';
import { Page } from '../components/page.js';
import { day } from '../format/numbers.js';
import { useDuration } from '../format/use-format.js';
import { useResource } from '../hooks/use-resource.js';
import { errorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { HoursBreakdown } from './hours-breakdown.js';
import './study-record.css';

const HOUR = 3600;
type Plan = StudyRecordPreview['snapshot']['plans'][number];

/** The member's personal study record: what it lists, and the PDF to save, open or print. */
export function StudyRecordPage() {
  const { t, lang } = useT();
  const preview = useResource(fetchRecordPreview, []);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const data = preview.data;

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await action();
    } catch (failure) {
      setError(t(errorKey(failure)));
    } finally {
      setBusy(false);
    }
  };
  const download = () =>
    run(async () => {
      const record = await downloadRecordPdf(lang);
      setDone(t('studyRecord.downloaded', { code: groupRecordCode(record.code) }));
    });
  // A real address the browser opens itself: works where a downloaded blob does not (in-app browsers).
  const open = () =>
    run(async () => {
      const link = await recordLink(lang);
      window.location.assign(link.url);
    });

  return (
    <Page title={t('studyRecord.title')}>
      <p>{t('studyRecord.intro')}</p>
      <div class="record-actions">
        <button type="button" class="button button--primary button--wide" onClick={download} aria-disabled={busy} disabled={busy}>
          {t('studyRecord.download')}
        </button>
        <button type="button" class="button button--wide" onClick={open} aria-disabled={busy} disabled={busy}>
          {t('studyRecord.open')}
        </button>
        <p class="record-actions__hint">{t('studyRecord.openHint')}</p>
        <button type="button" class="button button--quiet" onClick={() => window.print()}>
          {t('studyRecord.print')}
        </button>
        <p class="record-actions__hint">{t('studyRecord.printHint')}</p>
        <p class="status" role="status">
          {busy ? t('studyRecord.working') : (done ?? '')}
        </p>
        <Alert message={error} />
      </div>

      <Alert message={preview.error && t(preview.error)} />
      {!data && preview.loading && (
        <p class="status" role="status">
          {t('app.loading')}
        </p>
      )}
      {data && (
        <div class="record-sheet">
          <section aria-labelledby="record-person">
            <h2 id="record-person">{t('studyRecord.person')}</h2>
            <dl class="record-person">
              <dt>{t('studyRecord.name')}</dt>
              <dd>{data.snapshot.name}</dd>
              <dt>{t('studyRecord.login')}</dt>
              <dd>{data.snapshot.login}</dd>
              <dt>{t('studyRecord.unit')}</dt>
              <dd>{data.snapshot.unitPath.join(' / ')}</dd>
            </dl>
          </section>
          <section aria-labelledby="record-plans">
            <h2 id="record-plans">{t('studyRecord.plans')}</h2>
            {data.snapshot.plans.length === 0 ? (
              <p class="notice">{t('studyRecord.noPlans')}</p>
            ) : (
              <ul class="record-plans">
                {data.snapshot.plans.map((plan) => (
                  <li key={plan.planId}>
                    <RecordPlan plan={plan} />
                  </li>
                ))}
              </ul>
            )}
          </section>
          <RecordExams exams={data.snapshot.exams ?? []} />
        </div>
      )}
      <p class="record-no-print">
        <Link href="/study">{t('studyRecord.back')}</Link>
      </p>
    </Page>
  );
}

/** One plan as the record lists it; shared by the record page and the verification page. */
export function RecordPlan({ plan }: { plan: Omit<Plan, 'planId'> }) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const status = plan.closedAt ? t(plan.status === 'met' ? 'study.result.met' : 'study.result.notMet') : t(`planStatus.${plan.status}`);
  return (
    <article class="record-plan">
      <h3 class="record-plan__name">{plan.name}</h3>
      <p>{t('studyRecord.period', { from: day(plan.periodStart, lang), to: day(plan.periodEnd, lang) })}</p>
      <p>
        <strong>
          {t('studyRecord.figures', { required: duration(plan.requiredHours * HOUR), earned: duration(plan.earnedHours * HOUR) })}
        </strong>
      </p>
      <p>{t('studyRecord.status', { status })}</p>
      {plan.closedAt && <p class="hint">{t('studyRecord.closed', { date: day(plan.closedAt.slice(0, 10), lang) })}</p>}
      <HoursBreakdown parts={plan.hoursByRule} creditHoursPerLecture={plan.creditHoursPerLecture} />
      <h4>{t('studyRecord.lectures')}</h4>
      {plan.lectures.length === 0 ? (
        <p class="hint">{t('studyRecord.noLectures')}</p>
      ) : (
        <ul class="record-lectures">
          {plan.lectures.map((lecture, i) => (
            <li key={i}>
              <span class="record-lectures__title">{lecture.lectureTitle}</span>
              <span class="record-lectures__meta">
                {t('studyRecord.lectureMeta', {
                  course: lecture.courseTitle,
                  date: day(lecture.completedOn, lang, 'medium'),
                  time: duration(lecture.creditedSec),
                })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

/** The exams passed, as the record lists them; shared by the record page and the verification page. */
export function RecordExams({ exams }: { exams: readonly StudyRecordExam[] }) {
  const { t, lang } = useT();
  if (exams.length === 0) return null;
  return (
    <section aria-labelledby="record-exams">
      <h2 id="record-exams">{t('studyRecord.exams')}</h2>
      <ul class="record-lectures">
        {exams.map((exam) => (
          <li key={exam.examId}>
            <span class="record-lectures__title">{exam.title}</span>
            <span class="record-lectures__meta">
              {t('studyRecord.examMeta', { date: day(exam.passedOn, lang, 'medium'), score: exam.score, max: exam.maxScore })}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

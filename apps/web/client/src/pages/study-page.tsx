import type { PlanExamStatus } from '#contracts';
import { fetchMyStudy, type MyLecture, type MyPlan } from '../api/study.js';
import { StoppedInLine } from '../chapters/stopped-in-line.js';
import { Alert } from '../components/alert.js';
import { Page } from '../components/page.js';
import { PlanStatusBadge } from '../components/plan-status.js';
import { ProgressBar } from '../components/progress-bar.js';
import { clock } from '../format/format.js';
import { day, percentText, shareText, todayIso } from '../format/numbers.js';
import { useDuration } from '../format/use-format.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { MyReadingMaterials } from '../materials/plan-reading.js';
import { Link } from '../router/link.js';
import { PlanExams } from '../exams/member/plan-exams.js';
import { PlanReflections } from './plan-reflections.js';
import { OpenQuestionnaires } from '../voice/questionnaires/open-questionnaires.js';
import { WhatsNew } from '../voice/whats-new.js';
import { lectureHref } from './course-page.js';
import { HoursBreakdown, StudyCountingExplained } from './hours-breakdown.js';

const HOUR = 3600;

/**
 * The member's own page: what is new and the questionnaires waiting for them (each shown only when there is
 * something), hours against each plan, what is still compulsory, and where to carry on.
 */
export function StudyPage() {
  const { t } = useT();
  const study = useResource(fetchMyStudy, []);
  const data = study.data;
  return (
    <Page title={t('study.title')}>
      <WhatsNew />
      <OpenQuestionnaires pendingOnly />
      <div class="study-record-link">
        <Link href="/study/record" class="button button--primary">
          {t('studyRecord.link')}
        </Link>
        <p>{t('studyRecord.linkHint')}</p>
      </div>
      <Alert message={study.error && t(study.error)} />
      {study.error && (
        <p>
          <button type="button" class="button" onClick={study.reload}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {!data && study.loading && (
        <p class="status" role="status">
          {t('app.loading')}
        </p>
      )}
      {data && (
        <>
          <section aria-labelledby="my-plans">
            <h2 id="my-plans">{t('study.plans')}</h2>
            {data.plans.length === 0 ? (
              <p class="notice">{t('study.noPlans')}</p>
            ) : (
              <ul class="plan-cards">
                {data.plans.map((plan) => (
                  <li key={plan.id}>
                    <PlanCard plan={plan} />
                  </li>
                ))}
              </ul>
            )}
          </section>

          <MyReadingMaterials />

          <section aria-labelledby="continue">
            <h2 id="continue">{t('study.continue')}</h2>
            {data.continueWatching.length === 0 ? (
              <div class="notice">
                <p>{t('study.nothingStarted')}</p>
                <Link href="/courses" class="button button--primary">
                  {t('study.findCourses')}
                </Link>
              </div>
            ) : (
              <ul class="continue-list">
                {data.continueWatching.map((lecture) => (
                  <li key={lecture.lectureId}>
                    <ContinueCard lecture={lecture} />
                  </li>
                ))}
              </ul>
            )}
          </section>

          {data.lectures.length > 0 && (
            <section aria-labelledby="all-lectures">
              <h2 id="all-lectures">{t('study.lectures')}</h2>
              <ul class="lecture-progress">
                {data.lectures.map((lecture) => (
                  <li key={lecture.lectureId}>
                    <LectureProgressRow lecture={lecture} />
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </Page>
  );
}

function PlanCard({ plan }: { plan: MyPlan }) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const earned = duration(plan.earnedHours * HOUR);
  const required = duration(plan.requiredHours * HOUR);
  const headingId = `plan-${plan.id}`;
  const ended = plan.daysLeft === 0;
  // A closed plan shows the result frozen at closing, as the admins see it; nothing studied since changes it.
  const closed = plan.closedAt !== null;
  // How the plan counted this member's study time (open plans; sent beside the plan, see `MyStudyPlan`).
  const counting = plan.counting;
  return (
    <article class="plan-card" aria-labelledby={headingId}>
      <h3 id={headingId} class="plan-card__name">
        {plan.name}
      </h3>
      <p class="plan-card__period">{t('study.period', { from: day(plan.periodStart, lang), to: day(plan.periodEnd, lang) })}</p>
      <p class="plan-card__hours">
        <span class="plan-card__earned">{earned}</span>
        <span class="plan-card__of"> / {t('study.required', { time: required })}</span>
      </p>
      <ProgressBar
        label={t('study.progressLabel', { name: plan.name })}
        percent={plan.percent}
        valueText={t('study.progressValue', { percent: percentText(plan.percent, lang), earned, required })}
        tone={plan.status === 'met' ? 'done' : 'upload'}
      />
      {closed ? (
        <>
          <p class="plan-card__facts">
            <span class="plan-card__percent">{percentText(plan.percent, lang)}</span>
            <span class={`badge plan-status plan-status--${plan.status === 'met' ? 'met' : 'behind'}`}>
              <span aria-hidden="true">{plan.status === 'met' ? '✓ ' : '✗ '}</span>
              {t(plan.status === 'met' ? 'study.result.met' : 'study.result.notMet')}
            </span>
            <span>{t('study.closedOn', { date: day(todayIso(new Date(plan.closedAt!)), lang) })}</span>
          </p>
          <p class="hint">{t('study.closedHint')}</p>
        </>
      ) : (
        <>
          <p class="plan-card__facts">
            <span class="plan-card__percent">{percentText(plan.percent, lang)}</span>
            <PlanStatusBadge status={plan.status} />
            <span>{ended ? t('study.ended') : t('study.daysLeft', { count: plan.daysLeft })}</span>
          </p>
          {plan.status !== 'met' && plan.remainingHours > 0 && (
            <p class="plan-card__remaining">{t('study.remaining', { time: duration(plan.remainingHours * HOUR) })}</p>
          )}
          <p class="hint">{t(`study.statusHint.${plan.status}`)}</p>
        </>
      )}
      <HoursBreakdown parts={plan.hoursByRule} creditHoursPerLecture={plan.creditHoursPerLecture} />
      {counting && <StudyCountingExplained counting={counting} />}
      {plan.makeupUntil && !(closed && ended) && <p class="notice">{t('study.makeup', { date: day(plan.makeupUntil, lang) })}</p>}
      {plan.makeupHours !== null && <p class="notice">{t('study.makeupStudied', { time: duration(plan.makeupHours * HOUR) })}</p>}
      {plan.compulsoryMissing.length > 0 && (
        <div class="plan-card__compulsory">
          <h4>{t('study.compulsoryMissing', { count: plan.compulsoryMissing.length })}</h4>
          <ul>
            {plan.compulsoryMissing.map((lecture) => (
              <li key={lecture.lectureId}>
                <Link href={lectureHref(lecture.lectureId, lecture.courseId)}>{lecture.title}</Link>
                <span class="hint-inline">{lecture.courseTitle}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <PlanExams planId={plan.id} exams={(plan as { exams?: PlanExamStatus[] }).exams} />
      <PlanReflections plan={plan} />
    </article>
  );
}

function ContinueCard({ lecture }: { lecture: MyLecture }) {
  const { t } = useT();
  const { duration } = useDuration();
  return (
    <article class="continue-card">
      <div class="continue-card__poster">
        {lecture.posterUrl ? (
          <img src={lecture.posterUrl} alt="" loading="lazy" decoding="async" width={320} height={180} />
        ) : (
          <span class="course-card__placeholder" aria-hidden="true">
            {lecture.title.slice(0, 1)}
          </span>
        )}
        {lecture.durationSec > 0 && (
          <span class="continue-card__bar" aria-hidden="true">
            <span style={{ width: `${Math.min(100, (lecture.positionSec / lecture.durationSec) * 100)}%` }} />
          </span>
        )}
      </div>
      <div class="continue-card__body">
        <h3 class="continue-card__title">
          <Link href={lectureHref(lecture.lectureId, lecture.courseId)} class="course-card__link">
            {lecture.title}
          </Link>
        </h3>
        <p class="continue-card__course">{lecture.courseTitle}</p>
        <p class="continue-card__meta">
          <span>{t('study.stoppedAt', { time: clock(lecture.positionSec), total: clock(lecture.durationSec) })}</span>
          <span>{t('study.creditedShort', { time: duration(lecture.creditedSec) })}</span>
        </p>
        <StoppedInLine lecture={lecture} />
      </div>
    </article>
  );
}

function LectureProgressRow({ lecture }: { lecture: MyLecture }) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const watched = shareText(lecture.coverageRatio, lang);
  return (
    <div class="lecture-progress__row">
      <div class="lecture-progress__names">
        <Link href={lectureHref(lecture.lectureId, lecture.courseId)} class="lecture-progress__title">
          {lecture.title}
        </Link>
        <span class="lecture-progress__course">{lecture.courseTitle}</span>
      </div>
      <ProgressBar
        label={t('study.watchedLabel', { title: lecture.title })}
        percent={lecture.coverageRatio * 100}
        valueText={t('study.watchedValue', { percent: watched })}
        tone={lecture.completed ? 'done' : 'upload'}
      />
      <p class="lecture-progress__facts">
        <span>{t('study.watched', { percent: watched })}</span>
        <span>{t('study.creditedShort', { time: duration(lecture.creditedSec) })}</span>
        {lecture.completed && <span class="badge badge--done">{t('lecture.completed')}</span>}
      </p>
    </div>
  );
}

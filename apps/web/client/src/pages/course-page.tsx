import { getCourse } from '../api/catalog.js';
import { getCourseProgress, type CourseProgress, type LectureProgress } from '../api/progress.js';
import type { LectureSummary } from '../api/types.js';
import { Alert } from '../components/alert.js';
import { Breadcrumb } from '../components/breadcrumb.js';
import { Page } from '../components/page.js';
import { ProgressBar } from '../components/progress-bar.js';
import { categoryName, clock, date } from '../format/format.js';
import { useDuration } from '../format/use-format.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { MaterialsList } from '../materials/materials-list.js';
import { ReflectionPrompt } from '../voice/reflections/reflection-prompt.js';
import { CompulsoryBadge } from './course-card.js';
import './course.css';

export const lectureHref = (lectureId: string, courseId: string) =>
  `/lectures/${encodeURIComponent(lectureId)}?course=${encodeURIComponent(courseId)}`;

export function CoursePage({ courseId }: { courseId: string }) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const course = useResource(() => getCourse(courseId), [courseId]);
  // Without progress (not loaded yet, or failed) the page is as for a course not started.
  const progress = useResource(() => getCourseProgress(courseId), [courseId]);
  // The lecture the main button continues with, marked in the list too once the member has started.
  const continueId = progress.data && started(progress.data) ? (progress.data.continue?.lectureId ?? null) : null;
  const data = course.data;

  if (!data) {
    return (
      <Page title={course.loading ? t('app.loading') : t('courses.title')}>
        <Alert message={course.error && t(course.error)} />
        {course.error && (
          <p class="actions">
            <button type="button" class="button" onClick={course.reload}>
              {t('common.retry')}
            </button>
            <Link href="/courses" class="button">
              {t('course.back')}
            </Link>
          </p>
        )}
      </Page>
    );
  }

  const lectures = [...data.lectures].sort((a, b) => a.position - b.position);
  return (
    <>
      <Breadcrumb trail={[{ href: '/courses', label: t('courses.title') }]} current={data.title} />
      <Page title={data.title}>
        <div class="course-head">
          {data.coverUrl && <img class="course-head__cover" src={data.coverUrl} alt="" width={640} height={360} />}
          <div class="course-head__facts">
            <p class="course-card__meta">
              <CompulsoryBadge compulsory={data.compulsory} />
              <span>{t('course.categoryLabel', { name: categoryName(data.category, lang) })}</span>
            </p>
            <p class="course-card__meta">
              <span>{t('courses.lectureCount', { count: data.lectureCount })}</span>
              {data.totalDurationSec > 0 && <span>{t('courses.totalDuration', { duration: duration(data.totalDurationSec) })}</span>}
              {data.publishedAt && <span>{t('course.publishedOn', { date: date(data.publishedAt, lang) })}</span>}
            </p>
            {/* Until progress has answered, no button: a "start" that turns into "continue" under a finger misleads. */}
            {!progress.loading || progress.data || progress.error ? (
              <StudyAction courseId={data.id} lectures={lectures} progress={progress.data} />
            ) : null}
          </div>
        </div>
        {data.description && <p class="description">{data.description}</p>}
        {progress.data && started(progress.data) && (
          <ReflectionPrompt kind="course" id={data.id} finished={progress.data.completedCount >= progress.data.lectureCount} />
        )}

        <h2>{t('course.lectures')}</h2>
        {lectures.length === 0 ? (
          <p class="notice">{t('course.noLectures')}</p>
        ) : (
          <ol class="lecture-list">
            {lectures.map((lecture, index) => (
              <li key={lecture.id} class={lecture.id === continueId ? 'lecture-list__item lecture-list__item--next' : 'lecture-list__item'}>
                <span class="lecture-list__number" aria-hidden="true">
                  {index + 1}
                </span>
                <div>
                  <Link href={lectureHref(lecture.id, data.id)} class="lecture-list__link">
                    <span class="visually-hidden">{t('course.lectureNumber', { n: index + 1 })}: </span>
                    {lecture.title}
                  </Link>
                  <p class="lecture-list__meta">
                    {lecture.speaker && <span>{t('course.speaker', { name: lecture.speaker })}</span>}
                    {lecture.durationSec ? <span>{t('course.duration', { duration: duration(lecture.durationSec) })}</span> : null}
                  </p>
                  {lecture.id === continueId && <p class="lecture-list__next">{t('memberProgress.nextHere')}</p>}
                  <LectureState number={index + 1} state={progress.data?.lectures.find((p) => p.lectureId === lecture.id)} />
                </div>
              </li>
            ))}
          </ol>
        )}
        <MaterialsList courseId={data.id} lectureTitles={new Map(lectures.map((l) => [l.id, l.title]))} />
      </Page>
    </>
  );
}

const started = (progress: CourseProgress) => progress.lectures.some((l) => l.completed || l.lastStudiedAt !== null);

/** The main button: start, continue at the lecture and time to resume, or (all finished) watch again. */
function StudyAction({ courseId, lectures, progress }: { courseId: string; lectures: LectureSummary[]; progress: CourseProgress | null }) {
  const { t } = useT();
  const first = lectures[0];
  if (!first) return null;
  const next = progress?.continue;
  if (!progress || !started(progress) || (next && !lectures.some((l) => l.id === next.lectureId))) {
    return (
      <p>
        <Link href={lectureHref(first.id, courseId)} class="button button--primary button--big">
          {t('course.start')}
        </Link>
      </p>
    );
  }
  const summary = (
    <p class="course-progress__summary">{t('memberProgress.summary', { done: progress.completedCount, total: progress.lectureCount })}</p>
  );
  if (!next) {
    return (
      <>
        {summary}
        <p class="course-progress__finished">
          <span aria-hidden="true">✓ </span>
          <span>{t('memberProgress.finished')}</span>
        </p>
        <p class="course-progress__continue">
          <Link href={lectureHref(first.id, courseId)} class="button button--big">
            {t('memberProgress.watchAgain')}
          </Link>
        </p>
      </>
    );
  }
  const n = lectures.findIndex((l) => l.id === next.lectureId) + 1;
  return (
    <>
      {summary}
      <p class="course-progress__continue">
        <Link href={lectureHref(next.lectureId, courseId)} class="button button--primary button--big">
          {next.positionSec > 0
            ? t('memberProgress.continue', { n, time: clock(next.positionSec) })
            : t('memberProgress.continueFromStart', { n })}
        </Link>
        <span class="course-progress__title">{t('memberProgress.continueTitle', { n, title: next.title })}</span>
      </p>
    </>
  );
}

/** A tick and "Finished" for a finished lecture; the share watched, with a bar, for one started. */
function LectureState({ number, state }: { number: number; state: LectureProgress | undefined }) {
  const { t } = useT();
  if (!state) return null;
  if (state.completed) {
    return (
      <p class="lecture-progress lecture-progress--done">
        <span class="lecture-progress__tick" aria-hidden="true">
          ✓
        </span>
        <span>{t('memberProgress.lectureDone')}</span>
      </p>
    );
  }
  if (state.lastStudiedAt === null && state.percent === 0) return null;
  const text = t('memberProgress.lecturePercent', { percent: state.percent });
  return (
    <div class="lecture-progress">
      <span class="lecture-progress__text">{text}</span>
      <ProgressBar label={t('memberProgress.lectureBar', { n: number })} percent={state.percent} valueText={text} tone="done" />
    </div>
  );
}

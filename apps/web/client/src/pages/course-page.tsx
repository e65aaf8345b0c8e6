import { getCourse } from '../api/catalog.js';
import { Alert } from '../components/alert.js';
import { Breadcrumb } from '../components/breadcrumb.js';
import { Page } from '../components/page.js';
import { categoryName, date } from '../format/format.js';
import { useDuration } from '../format/use-format.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { CompulsoryBadge } from './course-card.js';

export const lectureHref = (lectureId: string, courseId: string) =>
  `/lectures/${encodeURIComponent(lectureId)}?course=${encodeURIComponent(courseId)}`;

export function CoursePage({ courseId }: { courseId: string }) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const course = useResource(() => getCourse(courseId), [courseId]);
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
            {lectures[0] && (
              <p>
                <Link href={lectureHref(lectures[0].id, data.id)} class="button button--primary button--big">
                  {t('course.start')}
                </Link>
              </p>
            )}
          </div>
        </div>
        {data.description && <p class="description">{data.description}</p>}

        <h2>{t('course.lectures')}</h2>
        {lectures.length === 0 ? (
          <p class="notice">{t('course.noLectures')}</p>
        ) : (
          <ol class="lecture-list">
            {lectures.map((lecture, index) => (
              <li key={lecture.id} class="lecture-list__item">
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
                </div>
              </li>
            ))}
          </ol>
        )}
      </Page>
    </>
  );
}

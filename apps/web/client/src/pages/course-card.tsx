import type { CourseCard as Course } from '../api/types.js';
import { categoryName } from '../format/format.js';
import { useDuration } from '../format/use-format.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';

export function CompulsoryBadge({ compulsory }: { compulsory: boolean }) {
  const { t } = useT();
  return (
    <span class={compulsory ? 'badge badge--compulsory' : 'badge badge--elective'}>
      {compulsory ? t('courses.compulsory') : t('courses.elective')}
    </span>
  );
}

/** A course in the list; the whole card is one link (its title), so there is one stop per course for the keyboard. */
export function CourseCard({ course }: { course: Course }) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  return (
    <article class="course-card">
      <div class="course-card__cover">
        {course.coverUrl ? (
          <img src={course.coverUrl} alt="" loading="lazy" decoding="async" width={640} height={360} />
        ) : (
          <span class="course-card__placeholder" aria-hidden="true">
            {course.title.slice(0, 1)}
          </span>
        )}
      </div>
      <div class="course-card__body">
        <h2 class="course-card__title">
          <Link href={`/courses/${encodeURIComponent(course.id)}`} class="course-card__link">
            {course.title}
          </Link>
        </h2>
        <p class="course-card__meta">
          <CompulsoryBadge compulsory={course.compulsory} />
          <span>{categoryName(course.category, lang)}</span>
        </p>
        <p class="course-card__meta">
          <span>{t('courses.lectureCount', { count: course.lectureCount })}</span>
          {course.totalDurationSec > 0 && <span>{t('courses.totalDuration', { duration: duration(course.totalDurationSec) })}</span>}
        </p>
      </div>
    </article>
  );
}

import type { CourseShare } from '../api/progress.js';
import type { CourseCard as Course } from '../api/types.js';
import { SpokenHit } from '../captions/spoken-hit.js';
import { ProgressBar } from '../components/progress-bar.js';
import { categoryName } from '../format/format.js';
import { useDuration } from '../format/use-format.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import './course.css';

/** Placeholder colours, all dark enough for white text (at least 4.5:1). */
const BANDS = ['#0b4a9e', '#1d6b34', '#7a2e8e', '#8a3b12', '#005f73', '#a4161a'];

/** The same category always gets the same colour, so courses of a kind look alike in the list. */
export function bandColour(key: string): string {
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return BANDS[hash % BANDS.length]!;
}

export function CompulsoryBadge({ compulsory }: { compulsory: boolean }) {
  const { t } = useT();
  return (
    <span class={compulsory ? 'badge badge--compulsory' : 'badge badge--elective'}>
      {compulsory ? t('courses.compulsory') : t('courses.elective')}
    </span>
  );
}

/** A course in the list; the whole card is one link (its title), so there is one stop per course for the keyboard. */
export function CourseCard({ course, share }: { course: Course; share?: CourseShare }) {
  const { t, lang } = useT();
  const { duration } = useDuration();
  return (
    <article class="course-card">
      {course.coverUrl ? (
        <div class="course-card__cover">
          <img src={course.coverUrl} alt="" loading="lazy" decoding="async" width={640} height={360} />
        </div>
      ) : (
        // No picture: a short coloured band with the course's first character and its category, not a tall empty box.
        <div
          class="course-card__cover course-card__band"
          style={{ backgroundColor: bandColour(course.category.code || course.category.id) }}
          aria-hidden="true"
        >
          <span class="course-card__initial">{course.title.slice(0, 1)}</span>
          <span class="course-card__band-category">{categoryName(course.category, lang)}</span>
        </div>
      )}
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
        <SpokenHit course={course} />
        {share && <CourseShareLine share={share} />}
      </div>
    </article>
  );
}

/** "已学 40%" with a thin bar for a course the member started; a tick and "Finished" once every lecture is. */
function CourseShareLine({ share }: { share: CourseShare }) {
  const { t } = useT();
  if (share.lectureCount > 0 && share.completedCount === share.lectureCount) {
    return (
      <p class="course-card__share course-card__share--done">
        <span class="course-card__tick" aria-hidden="true">
          ✓
        </span>
        <span>{t('memberProgress.courseDone')}</span>
      </p>
    );
  }
  const text = t('memberProgress.courseShare', { percent: share.percent });
  return (
    <div class="course-card__share">
      <span>{text}</span>
      <ProgressBar label={t('memberProgress.courseBar')} percent={share.percent} valueText={text} tone="done" />
    </div>
  );
}

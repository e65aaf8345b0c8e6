import type { CourseCard } from '../api/types.js';
import { clock } from '../format/format.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import './spoken-hit.css';

/** Under a course found by words said in one of its lectures: which lecture, and a link to the moment. */
export function SpokenHit({ course }: { course: CourseCard }) {
  const { t } = useT();
  const spoken = course.spoken;
  if (!spoken) return null;
  const at = spoken.atSec === null ? '' : `&t=${spoken.atSec}`;
  const href = `/lectures/${encodeURIComponent(spoken.lectureId)}?course=${encodeURIComponent(course.id)}${at}`;
  return (
    <p class="course-card__spoken">
      <span>{t('captions.saidIn', { lecture: spoken.lectureTitle })}</span>{' '}
      <Link href={href}>
        {spoken.atSec === null || !spoken.snippet
          ? spoken.lectureTitle
          : t('captions.saidAt', { time: clock(spoken.atSec), text: spoken.snippet })}
      </Link>
    </p>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { listStudioCourses } from '../api/studio.js';
import type { CourseStatus } from '../api/types.js';
import { Alert } from '../components/alert.js';
import { useSession } from '../auth/session.js';
import { Page } from '../components/page.js';
import { categoryName } from '../format/format.js';
import { useDuration } from '../format/use-format.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { StudioNav } from '../exams/editor/shared.js';
import { StatusBadge } from './status-badge.js';
import { restoreSavedUploads } from './uploads/upload-manager.js';
import { useActiveUploadCount } from './uploads/use-upload.js';

type Filter = CourseStatus | 'all';
const filters: readonly Filter[] = ['all', 'draft', 'published', 'archived'];

export const editorHref = (courseId: string) => `/studio/courses/${encodeURIComponent(courseId)}`;

export function StudioPage() {
  const { t, lang } = useT();
  const { duration } = useDuration();
  const courses = useResource(listStudioCourses, []);
  const [filter, setFilter] = useState<Filter>('all');
  const running = useActiveUploadCount();

  const { user } = useSession();
  useEffect(() => restoreSavedUploads(user.id), [user.id]);

  const all = courses.data ?? [];
  const shown = filter === 'all' ? all : all.filter((c) => c.status === filter);
  const count = (f: Filter) => (f === 'all' ? all.length : all.filter((c) => c.status === f).length);

  return (
    <Page title={t('studio.title')}>
      <StudioNav />
      <p>
        <Link href="/studio/new" class="button button--primary button--big">
          {t('studio.newCourse')}
        </Link>
      </p>
      {running > 0 && <p class="notice">{t('studio.uploadsRunning', { count: running })}</p>}
      <Alert message={courses.error && t(courses.error)} />
      {courses.error && (
        <p>
          <button type="button" class="button" onClick={courses.reload}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {courses.loading && !courses.data && (
        <p class="status" role="status">
          {t('app.loading')}
        </p>
      )}
      {courses.data && (
        <>
          <div class="segmented" role="group" aria-label={t('studio.statusFilter')}>
            {filters.map((f) => (
              <button key={f} type="button" class="button button--quiet" aria-pressed={filter === f} onClick={() => setFilter(f)}>
                {f === 'all' ? t('studio.filterAll') : t(`studio.status.${f}`)} ({count(f)})
              </button>
            ))}
          </div>
          {shown.length === 0 ? (
            <p class="notice">{all.length === 0 ? t('studio.empty') : t('studio.emptyFiltered')}</p>
          ) : (
            <ul class="studio-list" aria-label={t('studio.courseList')}>
              {shown.map((course) => (
                <li key={course.id} class="studio-list__item">
                  <div class="studio-list__cover">
                    {course.coverUrl ? (
                      <img src={course.coverUrl} alt="" loading="lazy" width={160} height={90} />
                    ) : (
                      <span class="course-card__placeholder" aria-hidden="true">
                        {course.title.slice(0, 1)}
                      </span>
                    )}
                  </div>
                  <div class="studio-list__body">
                    <h2 class="studio-list__title">
                      <Link href={editorHref(course.id)}>{course.title}</Link>
                    </h2>
                    <p class="course-card__meta">
                      <StatusBadge status={course.status} />
                      <span>{categoryName(course.category, lang)}</span>
                      <span>{course.compulsory ? t('courses.compulsory') : t('courses.elective')}</span>
                      <span>{t('courses.lectureCount', { count: course.lectures.length })}</span>
                      {course.totalDurationSec > 0 && <span>{duration(course.totalDurationSec)}</span>}
                    </p>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Page>
  );
}

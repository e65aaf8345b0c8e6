import { useEffect, useState } from 'preact/hooks';
import { getStudioCourse } from '../api/studio.js';
import type { StudioCourse } from '../api/types.js';
import { Alert } from '../components/alert.js';
import { Breadcrumb } from '../components/breadcrumb.js';
import { LiveStatus } from '../components/live-status.js';
import { useSession } from '../auth/session.js';
import { Page } from '../components/page.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { CourseDetailsPanel } from './course-details-panel.js';
import { CoverPanel } from './cover-panel.js';
import { LecturesPanel } from './lectures-panel.js';
import { MaterialsPanel } from './materials-panel.js';
import { PublishPanel } from './publish-panel.js';
import { StatusBadge } from './status-badge.js';
import { onLectureMediaChange, restoreSavedUploads, watchAsset } from './uploads/upload-manager.js';

export function CourseEditorPage({ courseId }: { courseId: string }) {
  const { t } = useT();
  const course = useResource(() => getStudioCourse(courseId), [courseId]);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const data = course.data;

  const { user } = useSession();
  useEffect(() => restoreSavedUploads(user.id), [user.id]);

  useEffect(
    () =>
      // A lecture's media was linked, became ready or failed: fetch its new duration, poster and status.
      onLectureMediaChange(() => {
        getStudioCourse(courseId)
          .then(course.set)
          .catch(() => undefined);
      }),
    [courseId],
  );

  useEffect(() => {
    for (const lecture of data?.lectures ?? []) {
      if (lecture.assetId && lecture.media?.status === 'processing') watchAsset(lecture.id, courseId, lecture.assetId);
    }
  }, [data]);

  if (!data) {
    return (
      <Page title={course.loading ? t('app.loading') : t('studio.title')}>
        <Alert message={course.error && t(course.error)} />
        {course.error && (
          <p class="actions">
            <button type="button" class="button" onClick={course.reload}>
              {t('common.retry')}
            </button>
            <Link href="/studio" class="button">
              {t('studio.back')}
            </Link>
          </p>
        )}
      </Page>
    );
  }

  const changed = (next: StudioCourse, message?: string) => {
    course.set(next);
    if (message) setAnnouncement(message);
  };

  return (
    <>
      <Breadcrumb trail={[{ href: '/studio', label: t('studio.title') }]} current={data.title} />
      <Page title={data.title}>
        <p class="course-card__meta">
          <StatusBadge status={data.status} />
        </p>
        <LiveStatus message={announcement} visible={false} />
        <div class="editor-grid">
          <div class="editor-grid__main">
            <LecturesPanel course={data} onChange={changed} onAnnounce={setAnnouncement} />
            <MaterialsPanel course={data} />
          </div>
          <div class="editor-grid__side">
            <PublishPanel course={data} onChange={changed} />
            <CoverPanel course={data} onChange={changed} />
            <CourseDetailsPanel course={data} onChange={changed} />
          </div>
        </div>
      </Page>
    </>
  );
}

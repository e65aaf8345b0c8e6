import { useState } from 'preact/hooks';
import { changeCourseStatus, type CourseAction } from '../api/studio.js';
import type { StudioCourse } from '../api/types.js';
import { LiveStatus } from '../components/live-status.js';
import { useT } from '../i18n/use-t.js';
import { ProblemAlert, problemOf, type Problem } from './problem.js';

interface PanelProps {
  course: StudioCourse;
  onChange(course: StudioCourse, announcement?: string): void;
}

export function PublishPanel({ course, onChange }: PanelProps) {
  const { t } = useT();
  const [busy, setBusy] = useState<CourseAction | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const run = async (action: CourseAction) => {
    if (busy) return;
    setBusy(action);
    setProblem(null);
    setDone(null);
    try {
      const next = await changeCourseStatus(course.id, action);
      const message = t('editor.statusChanged', { status: t(`studio.status.${next.status}`) });
      setDone(message);
      setConfirming(false);
      onChange(next);
    } catch (failure) {
      setProblem(problemOf(failure));
    } finally {
      setBusy(null);
    }
  };

  const hint =
    course.status === 'published' ? 'editor.publishedHint' : course.status === 'archived' ? 'editor.archivedHint' : 'editor.draftHint';
  return (
    <section class="panel" aria-labelledby="publish-heading">
      <h2 id="publish-heading">{t('editor.statusHeading')}</h2>
      <p>{t(hint)}</p>
      <ProblemAlert problem={problem} />
      <LiveStatus message={done} />
      <div class="actions">
        {course.status !== 'published' && (
          <button
            type="button"
            class="button button--primary button--big"
            aria-disabled={busy !== null}
            onClick={() => void run('publish')}
          >
            {t('editor.publish')}
          </button>
        )}
        {course.status === 'published' && (
          <button type="button" class="button" aria-disabled={busy !== null} onClick={() => void run('unpublish')}>
            {t('editor.unpublish')}
          </button>
        )}
        {course.status !== 'archived' && !confirming && (
          <button type="button" class="button button--danger" onClick={() => setConfirming(true)}>
            {t('editor.archive')}
          </button>
        )}
      </div>
      {confirming && (
        <div class="confirm" role="group" aria-label={t('editor.archive')}>
          <p>{t('editor.archiveConfirm')}</p>
          <div class="actions">
            <button type="button" class="button button--danger-strong" aria-disabled={busy !== null} onClick={() => void run('archive')}>
              {t('editor.confirmArchive')}
            </button>
            <button type="button" class="button" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

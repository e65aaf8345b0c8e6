import { useState } from 'preact/hooks';
import { uploadCover } from '../api/studio.js';
import type { StudioCourse } from '../api/types.js';
import { FileButton } from '../components/file-button.js';
import { LiveStatus } from '../components/live-status.js';
import { useT } from '../i18n/use-t.js';
import { ProblemAlert, problemOf, type Problem } from './problem.js';
import { COVER_MAX_BYTES, COVER_TYPES } from './uploads/accepted-files.js';

interface PanelProps {
  course: StudioCourse;
  onChange(course: StudioCourse): void;
}

export function CoverPanel({ course, onChange }: PanelProps) {
  const { t } = useT();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const send = async (file: File) => {
    setDone(null);
    // Checked here first: a refused image should not cost a slow line two megabytes.
    if (!(COVER_TYPES as readonly string[]).includes(file.type)) return setProblem({ key: 'editor.coverWrongType', detail: null });
    if (file.size > COVER_MAX_BYTES) return setProblem({ key: 'editor.coverTooBig', detail: null });
    setBusy(true);
    setProblem(null);
    try {
      onChange(await uploadCover(course.id, file));
      setDone(t('editor.coverDone'));
    } catch (failure) {
      const found = problemOf(failure);
      setProblem(
        found.key === 'errors.tooLarge'
          ? { key: 'editor.coverTooBig', detail: null }
          : found.key === 'errors.unsupportedType'
            ? { key: 'editor.coverWrongType', detail: null }
            : found,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="cover-heading" aria-busy={busy}>
      <h2 id="cover-heading">{t('editor.cover')}</h2>
      {course.coverUrl ? (
        <img class="cover-preview" src={course.coverUrl} alt={t('editor.coverAlt')} width={320} height={180} />
      ) : (
        <p>{t('editor.coverNone')}</p>
      )}
      <ProblemAlert problem={problem} />
      <LiveStatus message={busy ? t('editor.coverUploading') : done} />
      <div class="actions">
        <FileButton
          label={t('editor.coverChoose')}
          accept={COVER_TYPES.join(',')}
          describedBy="cover-hint"
          onFile={(file) => void send(file)}
        />
      </div>
      <p id="cover-hint" class="hint">
        {t('editor.coverHint')}
      </p>
    </section>
  );
}

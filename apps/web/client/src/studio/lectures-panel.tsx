import { useEffect, useRef, useState } from 'preact/hooks';
import { addLecture, deleteLecture, reorderLectures, updateLecture } from '../api/studio.js';
import type { StudioCourse, StudioLecture } from '../api/types.js';
import { CaptionsLink } from '../captions/captions-link.js';
import { ChaptersLink } from '../chapters/chapters-link.js';
import { MoveButtons, focusMoveButton } from '../components/move-buttons.js';
import { useDuration } from '../format/use-format.js';
import { useT } from '../i18n/use-t.js';
import { LectureForm } from './lecture-form.js';
import { MediaPanel } from './media-panel.js';
import { ProblemAlert, problemOf, type Problem } from './problem.js';

interface LecturesPanelProps {
  course: StudioCourse;
  onChange(course: StudioCourse): void;
  onAnnounce(message: string): void;
}

const ordered = (lectures: StudioLecture[]) => [...lectures].sort((a, b) => a.position - b.position);

/** The ordered lectures: up/down buttons instead of dragging, so the keyboard and shaky hands can reorder too. */
export function LecturesPanel({ course, onChange, onAnnounce }: LecturesPanelProps) {
  const { t } = useT();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [adding, setAdding] = useState(false);
  const focusAfterMove = useRef<{ id: string; direction: 'up' | 'down' } | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const lectures = ordered(course.lectures);

  useEffect(() => {
    // Reordering moves the DOM node, which drops focus; put it back on the button just pressed.
    const wanted = focusAfterMove.current;
    if (!wanted) return;
    focusAfterMove.current = null;
    focusMoveButton(list.current?.querySelector(`[data-lecture="${CSS.escape(wanted.id)}"]`), wanted.direction);
  }, [course]);

  const move = async (lecture: StudioLecture, direction: 'up' | 'down') => {
    const from = lectures.findIndex((l) => l.id === lecture.id);
    const to = direction === 'up' ? from - 1 : from + 1;
    if (from < 0 || to < 0 || to >= lectures.length) return;
    const next = [...lectures];
    next.splice(to, 0, ...next.splice(from, 1));
    const previous = course;
    focusAfterMove.current = { id: lecture.id, direction };
    // Shown at once; the server's answer (or the old order, on failure) follows.
    onChange({ ...course, lectures: next.map((l, index) => ({ ...l, position: index + 1 })) });
    onAnnounce(t('editor.moved', { title: lecture.title, n: to + 1 }));
    setProblem(null);
    try {
      onChange(
        await reorderLectures(
          course.id,
          next.map((l) => l.id),
        ),
      );
    } catch (failure) {
      focusAfterMove.current = { id: lecture.id, direction };
      onChange(previous);
      setProblem(problemOf(failure));
    }
  };

  const replaceLecture = (updated: StudioLecture) =>
    onChange({ ...course, lectures: course.lectures.map((l) => (l.id === updated.id ? { ...l, ...updated } : l)) });

  const remove = async (lecture: StudioLecture) => {
    setProblem(null);
    try {
      await deleteLecture(lecture.id);
      onChange({ ...course, lectures: course.lectures.filter((l) => l.id !== lecture.id), lectureCount: course.lectureCount - 1 });
      onAnnounce(t('editor.deleted', { title: lecture.title }));
      document.getElementById('lectures-heading')?.focus();
    } catch (failure) {
      setProblem(problemOf(failure));
    }
  };

  return (
    <section class="panel" aria-labelledby="lectures-heading">
      <h2 id="lectures-heading" tabIndex={-1}>
        {t('editor.lectures', { count: lectures.length })}
      </h2>
      <ProblemAlert problem={problem} />
      {lectures.length === 0 && <p class="notice">{t('editor.noLectures')}</p>}
      <ol ref={list} class="studio-lectures" hidden={lectures.length === 0}>
        {lectures.map((lecture, index) => (
          <LectureItem
            key={lecture.id}
            lecture={lecture}
            courseId={course.id}
            course={course}
            number={index + 1}
            first={index === 0}
            last={index === lectures.length - 1}
            onMove={(direction) => void move(lecture, direction)}
            onSaved={replaceLecture}
            onDelete={() => remove(lecture)}
          />
        ))}
      </ol>
      {adding ? (
        <div class="panel panel--inner">
          <h3>{t('editor.addLecture')}</h3>
          <LectureForm
            initial={{ title: '', speaker: '', description: '' }}
            submitLabel={t('editor.addLecture')}
            onSubmit={async (input) => {
              const lecture = await addLecture(course.id, input);
              onChange({ ...course, lectures: [...course.lectures, lecture], lectureCount: course.lectureCount + 1 });
              onAnnounce(t('editor.lectureAdded', { title: lecture.title }));
              setAdding(false);
            }}
            onCancel={() => setAdding(false)}
          />
        </div>
      ) : (
        <p>
          <button type="button" class="button button--primary button--big" onClick={() => setAdding(true)}>
            {t('editor.addLecture')}
          </button>
        </p>
      )}
    </section>
  );
}

interface LectureItemProps {
  lecture: StudioLecture;
  courseId: string;
  /** What members see of a lecture still being encoded depends on these. */
  course: { publishWhenPreviewable: boolean; status: string };
  number: number;
  first: boolean;
  last: boolean;
  onMove(direction: 'up' | 'down'): void;
  onSaved(lecture: StudioLecture): void;
  onDelete(): Promise<void>;
}

function LectureItem({ lecture, courseId, course, number, first, last, onMove, onSaved, onDelete }: LectureItemProps) {
  const { t } = useT();
  const { duration } = useDuration();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const title = lecture.title;
  return (
    <li class="studio-lecture" data-lecture={lecture.id}>
      <div class="studio-lecture__head">
        <span class="studio-lecture__number" aria-hidden="true">
          {number}
        </span>
        <div class="studio-lecture__title">
          <h3>
            <span class="visually-hidden">{t('editor.position', { n: number })}: </span>
            {title}
          </h3>
          <p class="lecture-list__meta">
            {lecture.speaker && <span>{t('course.speaker', { name: lecture.speaker })}</span>}
            {lecture.durationSec ? <span>{t('course.duration', { duration: duration(lecture.durationSec) })}</span> : null}
          </p>
        </div>
      </div>
      <div class="actions actions--compact">
        <MoveButtons
          first={first}
          last={last}
          upText={t('editor.moveUp')}
          downText={t('editor.moveDown')}
          upLabel={t('editor.moveUpLabel', { title })}
          downLabel={t('editor.moveDownLabel', { title })}
          onMove={onMove}
          editText={t('common.edit')}
          editLabel={t('editor.editLabel', { title })}
          editing={editing}
          onEdit={() => setEditing(!editing)}
        />
        <ChaptersLink lectureId={lecture.id} title={title} />
        <CaptionsLink lectureId={lecture.id} title={title} />
        <button
          type="button"
          class="button button--danger"
          aria-label={t('editor.deleteLabel', { title })}
          onClick={() => setConfirming(true)}
        >
          {t('common.delete')}
        </button>
      </div>
      {confirming && (
        <div class="confirm" role="group" aria-label={t('editor.deleteLabel', { title })}>
          <p>{t('editor.deleteConfirm', { title })}</p>
          <div class="actions">
            <button type="button" class="button button--danger-strong" onClick={() => void onDelete()}>
              {t('editor.confirmDelete')}
            </button>
            <button type="button" class="button" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
      {editing && (
        <LectureForm
          initial={{ title: lecture.title, speaker: lecture.speaker, description: lecture.description }}
          submitLabel={t('common.save')}
          onSubmit={async (input) => {
            onSaved(await updateLecture(lecture.id, input));
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
        />
      )}
      <MediaPanel lecture={lecture} courseId={courseId} course={course} />
    </li>
  );
}

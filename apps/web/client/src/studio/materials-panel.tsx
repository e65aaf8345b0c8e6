import { useEffect, useId, useRef, useState } from 'preact/hooks';
import {
  MATERIAL_ACCEPT,
  archiveMaterial,
  isAcceptedMaterialName,
  listStudioMaterials,
  restoreMaterial,
  retryMaterial,
  updateMaterial,
  uploadMaterial,
  type MaterialRefusalCode,
  type MaterialView,
} from '../api/materials.js';
import type { StudioCourse } from '../api/types.js';
import { FileButton } from '../components/file-button.js';
import { LiveStatus } from '../components/live-status.js';
import { MoveButtons, focusMoveButton } from '../components/move-buttons.js';
import { ProgressBar } from '../components/progress-bar.js';
import { bytes } from '../format/format.js';
import { useT } from '../i18n/use-t.js';
import { ProblemAlert, problemOf, type Problem } from './problem.js';
import './materials-panel.css';

/** How often the list is asked again while an Office document is being converted. */
const CONVERTING_POLL_MS = 4000;

interface Sending {
  key: number;
  name: string;
  sent: number;
  total: number;
  cancel(): void;
}

/**
 * A file the upload service (or the picker) refused: its name, why in our words (the server's code, else the
 * kind of refusal its status tells), and the server's own sentence, shown only when its code is not one we know.
 */
interface Refusal {
  key: number;
  name: string;
  reason: 'type' | 'size' | 'content' | 'failed' | 'offline';
  code: MaterialRefusalCode | null;
  message: string | null;
}

type Lectures = Array<{ id: string; title: string; n: number }>;

const reasonOf = (status: number, offline: boolean): Refusal['reason'] => {
  if (status === 415) return 'type';
  if (status === 413) return 'size';
  if (status === 422) return 'content';
  return offline ? 'offline' : 'failed';
};

/** What the panel says about a refused file: our sentence for its code, or the generic one and the server's words. */
function refusalText(refusal: Refusal, t: ReturnType<typeof useT>['t']): { text: string; detail: string | null } {
  if (refusal.reason === 'failed' || refusal.reason === 'offline') {
    const key = refusal.reason === 'failed' ? 'materials.studio.uploadFailed' : 'materials.studio.uploadOffline';
    return { text: t(key, { name: refusal.name }), detail: null };
  }
  const title = t('materials.studio.refusedTitle', { name: refusal.name });
  if (refusal.code) return { text: `${title} ${t(`materials.studio.refusal.${refusal.code}`)}`, detail: null };
  const generic =
    refusal.reason === 'type'
      ? 'materials.studio.refusedType'
      : refusal.reason === 'size'
        ? 'materials.studio.refusedSize'
        : 'materials.studio.refusedContent';
  return {
    text: `${title} ${t(generic)}`,
    detail: refusal.message ? t('materials.studio.refusedServer', { message: refusal.message }) : null,
  };
}

/**
 * The studio's materials of one course: upload (the same tus endpoint as media; the server checks each file and
 * says why it refuses one), the conversion state of Office documents, and renaming, attaching, ordering, archiving
 * and, with archived materials shown, restoring.
 */
export function MaterialsPanel({ course }: { course: StudioCourse }) {
  const { t } = useT();
  const [materials, setMaterials] = useState<MaterialView[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [sending, setSending] = useState<Sending[]>([]);
  const [refusals, setRefusals] = useState<Refusal[]>([]);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const [target, setTarget] = useState('');
  const [showArchived, setShowArchived] = useState(false);
  const counter = useRef(0);
  const list = useRef<HTMLOListElement>(null);
  const focusAfterMove = useRef<{ id: string; direction: 'up' | 'down' } | null>(null);
  const targetId = useId();

  const lectures: Lectures = [...course.lectures]
    .sort((a, b) => a.position - b.position)
    .map((l, i) => ({ id: l.id, title: l.title, n: i + 1 }));
  const targetName = (lectureId: string | null) => {
    const lecture = lectures.find((l) => l.id === lectureId);
    return lecture ? t('materials.studio.forLecture', { n: lecture.n, title: lecture.title }) : t('materials.studio.forCourse');
  };

  const load = async () => {
    try {
      setMaterials((await listStudioMaterials(course.id, showArchived)).materials);
    } catch (failure) {
      setProblem(problemOf(failure));
    }
  };

  useEffect(() => {
    void load();
  }, [course.id, showArchived]);

  const converting = materials?.some((m) => m.state === 'converting') ?? false;
  useEffect(() => {
    if (!converting) return;
    const timer = setTimeout(() => void load(), CONVERTING_POLL_MS);
    return () => clearTimeout(timer);
  }, [materials, converting]);

  useEffect(() => {
    // Reordering moves the item, which drops focus; put it back on the button just pressed.
    const wanted = focusAfterMove.current;
    if (!wanted) return;
    focusAfterMove.current = null;
    focusMoveButton(list.current?.querySelector(`[data-material="${CSS.escape(wanted.id)}"]`), wanted.direction);
  }, [materials]);

  const refuse = (refusal: Omit<Refusal, 'key'>) => setRefusals((all) => [...all, { ...refusal, key: ++counter.current }]);

  const send = (file: File) => {
    setAnnouncement(null);
    if (!isAcceptedMaterialName(file.name)) return refuse({ name: file.name, reason: 'type', code: null, message: null });
    const key = ++counter.current;
    const upload = uploadMaterial(file, { courseId: course.id, lectureId: target || null }, (sent, total) =>
      setSending((all) => all.map((s) => (s.key === key ? { ...s, sent, total } : s))),
    );
    setSending((all) => [...all, { key, name: file.name, sent: 0, total: file.size, cancel: upload.cancel }]);
    void upload.done.then(async (result) => {
      setSending((all) => all.filter((s) => s.key !== key));
      if (result.ok) {
        await load();
        setAnnouncement(t('materials.studio.uploaded', { name: file.name }));
      } else {
        refuse({ name: file.name, reason: reasonOf(result.status, result.offline), code: result.code, message: result.message });
      }
    });
  };

  const cancel = (entry: Sending) => {
    entry.cancel();
    setSending((all) => all.filter((s) => s.key !== entry.key));
  };

  const replace = (updated: MaterialView) => setMaterials((all) => all?.map((m) => (m.id === updated.id ? updated : m)) ?? null);

  const act = async (action: () => Promise<void>) => {
    setProblem(null);
    try {
      await action();
    } catch (failure) {
      setProblem(problemOf(failure));
      await load();
    }
  };

  const move = (material: MaterialView, direction: 'up' | 'down') =>
    act(async () => {
      // Positions count live materials only (archived ones, when shown, come after them).
      const current = (materials ?? []).filter((m) => m.archivedAt === null);
      const from = current.findIndex((m) => m.id === material.id);
      const to = direction === 'up' ? from - 1 : from + 1;
      if (from < 0 || to < 0 || to >= current.length) return;
      const next = [...current];
      next.splice(to, 0, ...next.splice(from, 1));
      focusAfterMove.current = { id: material.id, direction };
      const archived = (materials ?? []).filter((m) => m.archivedAt !== null);
      setMaterials([...next.map((m, index) => ({ ...m, position: index })), ...archived]);
      setAnnouncement(t('materials.studio.moved', { title: material.title, n: to + 1 }));
      await updateMaterial(material.id, { position: to });
      await load();
    });

  const shown = materials ?? [];
  const live = shown.filter((m) => m.archivedAt === null);
  const archivedCount = shown.length - live.length;
  return (
    <section class="panel materials-panel" aria-labelledby="materials-heading">
      <h2 id="materials-heading" tabIndex={-1}>
        {t('materials.studio.heading')}
      </h2>
      <p>{t('materials.studio.intro')}</p>
      <ProblemAlert problem={problem} />
      <LiveStatus message={announcement} />

      <div class="materials-panel__add">
        <LectureField id={targetId} label={t('materials.studio.attachTo')} value={target} lectures={lectures} onChange={setTarget} />
        <div class="actions">
          <FileButton
            primary
            label={t('materials.studio.choose')}
            ariaLabel={t('materials.studio.chooseLabel', { target: targetName(target || null) })}
            accept={MATERIAL_ACCEPT}
            describedBy="materials-accepted"
            onFile={send}
          />
        </div>
        <p id="materials-accepted" class="hint">
          {t('materials.studio.accepted')}
        </p>
      </div>

      {sending.map((entry) => {
        const percent = entry.total > 0 ? (entry.sent / entry.total) * 100 : 0;
        const amount = t('materials.studio.bytes', { sent: bytes(entry.sent), total: bytes(entry.total) });
        return (
          <div key={entry.key} class="materials-panel__sending">
            <p class="materials-panel__name">{t('materials.studio.uploading', { name: entry.name })}</p>
            <ProgressBar label={t('materials.studio.uploadProgress')} percent={percent} valueText={`${Math.floor(percent)}%, ${amount}`} />
            <p class="materials-panel__facts">
              {Math.floor(percent)}% · {amount}
            </p>
            <button
              type="button"
              class="button"
              aria-label={t('materials.studio.cancelUploadLabel', { name: entry.name })}
              onClick={() => cancel(entry)}
            >
              {t('materials.studio.cancelUpload')}
            </button>
          </div>
        );
      })}

      <div role="alert">
        {refusals.map((refusal) => {
          const { text, detail } = refusalText(refusal, t);
          return (
            <div key={refusal.key} class="alert alert--shown materials-panel__refusal" data-code={refusal.code ?? undefined}>
              <p>{text}</p>
              {detail && <p class="alert__detail">{detail}</p>}
              <button type="button" class="button" onClick={() => setRefusals((all) => all.filter((r) => r.key !== refusal.key))}>
                {t('materials.studio.dismiss')}
              </button>
            </div>
          );
        })}
      </div>

      <label class="checkbox materials-panel__switch">
        <input type="checkbox" checked={showArchived} onChange={(event) => setShowArchived(event.currentTarget.checked)} />
        {t('materials.studio.showArchived')}
      </label>
      {materials !== null && live.length === 0 && <p class="notice">{t('materials.studio.empty')}</p>}
      {(live.length > 0 || archivedCount > 0) && (
        <p class="materials-panel__count">
          {live.length > 0 && t('materials.studio.count', { count: live.length })}
          {live.length > 0 && archivedCount > 0 && ' · '}
          {archivedCount > 0 && t('materials.studio.archivedCount', { count: archivedCount })}
        </p>
      )}
      <ol ref={list} class="materials-panel__list" hidden={shown.length === 0}>
        {shown.map((material, index) => (
          <MaterialItem
            key={material.id}
            material={material}
            number={index + 1}
            first={index === 0}
            last={index === live.length - 1}
            lectures={lectures}
            targetName={targetName}
            onMove={(direction) => void move(material, direction)}
            onSave={(input, message) =>
              act(async () => {
                replace(await updateMaterial(material.id, input));
                setAnnouncement(message);
              })
            }
            onRetry={() =>
              act(async () => {
                replace(await retryMaterial(material.id));
                setAnnouncement(t('materials.studio.retried', { title: material.title }));
              })
            }
            onArchive={() =>
              act(async () => {
                const archived = await archiveMaterial(material.id);
                // Shown with the archived ones when they are listed, else gone from the list.
                setMaterials((all) =>
                  showArchived
                    ? [...(all ?? []).filter((m) => m.id !== material.id), archived]
                    : (all?.filter((m) => m.id !== material.id) ?? null),
                );
                setAnnouncement(t('materials.studio.archived', { title: material.title }));
                document.getElementById('materials-heading')?.focus();
              })
            }
            onRestore={() =>
              act(async () => {
                await restoreMaterial(material.id);
                await load();
                setAnnouncement(t('materials.studio.restored', { title: material.title }));
                document.getElementById('materials-heading')?.focus();
              })
            }
          />
        ))}
      </ol>
    </section>
  );
}

interface MaterialItemProps {
  material: MaterialView;
  number: number;
  first: boolean;
  last: boolean;
  lectures: Lectures;
  targetName(lectureId: string | null): string;
  onMove(direction: 'up' | 'down'): void;
  onSave(input: { title?: string; lectureId?: string | null }, message: string): Promise<void>;
  onRetry(): Promise<void>;
  onArchive(): Promise<void>;
  onRestore(): Promise<void>;
}

function MaterialItem(props: MaterialItemProps) {
  const { material, number, first, last, lectures, targetName, onMove, onSave, onRetry, onArchive, onRestore } = props;
  const { t } = useT();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const title = material.title;
  const archived = material.archivedAt !== null;
  const state = archived
    ? t('materials.studio.archivedState')
    : material.state === 'ready'
      ? material.readable
        ? t('materials.studio.state.readable')
        : t('materials.studio.state.downloadOnly')
      : t(`materials.studio.state.${material.state}`);

  useEffect(() => {
    // Archived or restored: whatever was open for the other state goes.
    setEditing(false);
    setConfirming(false);
  }, [archived]);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  };

  return (
    <li
      class={`materials-panel__item${archived ? ' materials-panel__item--archived' : ''}`}
      data-material={material.id}
      data-archived={archived ? 'true' : undefined}
      aria-busy={busy}
    >
      <h3 class="materials-panel__title">
        {archived ? (
          <>
            <span class="badge materials-panel__archived">{t('materials.studio.archivedMark')}</span>{' '}
          </>
        ) : (
          <span class="visually-hidden">{t('materials.studio.position', { n: number })}: </span>
        )}
        {title}
      </h3>
      <p class="materials-panel__facts">
        <span>{t(`materials.studio.kind.${material.kind}`)}</span>
        <span>{bytes(material.sizeBytes)}</span>
        {material.pageCount ? <span>{t('materials.studio.pages', { count: material.pageCount })}</span> : null}
        <span>{targetName(material.lectureId)}</span>
      </p>
      <p class="materials-panel__file">{material.fileName}</p>
      <p class={`materials-panel__state materials-panel__state--${archived ? 'archived' : material.state}`}>{state}</p>
      {archived && (
        <div class="actions actions--compact">
          <button
            type="button"
            class="button button--primary"
            aria-label={t('materials.studio.restoreLabel', { title })}
            disabled={busy}
            onClick={() => void run(onRestore)}
          >
            {t('materials.studio.restore')}
          </button>
        </div>
      )}
      {!archived && material.state === 'failed' && (
        <div class="materials-panel__problem">
          {material.problem && <p>{material.problem.message}</p>}
          <p>{t('materials.studio.failedHelp')}</p>
          <button
            type="button"
            class="button button--primary"
            aria-label={t('materials.studio.retryLabel', { title })}
            disabled={busy}
            onClick={() => void run(onRetry)}
          >
            {t('materials.studio.retry')}
          </button>
        </div>
      )}
      {!archived && (
        <div class="actions actions--compact">
          <MoveButtons
            first={first}
            last={last}
            upText={t('materials.studio.moveUp')}
            downText={t('materials.studio.moveDown')}
            upLabel={t('materials.studio.moveUpLabel', { title })}
            downLabel={t('materials.studio.moveDownLabel', { title })}
            onMove={onMove}
            editText={t('common.edit')}
            editLabel={t('materials.studio.renameLabel', { title })}
            editing={editing}
            onEdit={() => setEditing(!editing)}
          />
          <button
            type="button"
            class="button button--danger"
            aria-label={t('materials.studio.archiveLabel', { title })}
            onClick={() => setConfirming(true)}
          >
            {t('materials.studio.archive')}
          </button>
        </div>
      )}
      {editing && !archived && (
        <EditForm
          material={material}
          lectures={lectures}
          onCancel={() => setEditing(false)}
          onSave={async (input) => {
            const message =
              input.title !== undefined
                ? t('materials.studio.renamed', { title: input.title })
                : t('materials.studio.attached', { title, target: targetName(input.lectureId ?? null) });
            await onSave(input, message);
            setEditing(false);
          }}
        />
      )}
      {confirming && !archived && (
        <div class="confirm panel panel--inner" role="group" aria-label={t('materials.studio.archiveLabel', { title })}>
          <p>{t('materials.studio.archiveConfirm', { title })}</p>
          <div class="actions">
            <button type="button" class="button button--danger" disabled={busy} onClick={() => void run(onArchive)}>
              {t('materials.studio.archiveYes')}
            </button>
            <button type="button" class="button" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
    </li>
  );
}

interface LectureFieldProps {
  id: string;
  label: string;
  /** A lecture's id, or '' for the whole course. */
  value: string;
  lectures: Lectures;
  onChange(value: string): void;
}

/** Where a material belongs: the whole course or one of its lectures. */
function LectureField({ id, label, value, lectures, onChange }: LectureFieldProps) {
  const { t } = useT();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.currentTarget.value)}>
        <option value="">{t('materials.studio.wholeCourse')}</option>
        {lectures.map((l) => (
          <option key={l.id} value={l.id}>
            {t('materials.studio.lectureOption', { n: l.n, title: l.title })}
          </option>
        ))}
      </select>
    </div>
  );
}

interface EditFormProps {
  material: MaterialView;
  lectures: Lectures;
  onSave(input: { title?: string; lectureId?: string | null }): Promise<void>;
  onCancel(): void;
}

function EditForm({ material, lectures, onSave, onCancel }: EditFormProps) {
  const { t } = useT();
  const [title, setTitle] = useState(material.title);
  const [lectureId, setLectureId] = useState(material.lectureId ?? '');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const titleId = useId();
  const lectureField = useId();
  const errorId = useId();

  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) return setError(t('materials.studio.titleRequired'));
    setError(null);
    const input: { title?: string; lectureId?: string | null } = {};
    if (trimmed !== material.title) input.title = trimmed;
    if ((lectureId || null) !== material.lectureId) input.lectureId = lectureId || null;
    if (Object.keys(input).length === 0) return onCancel();
    setSaving(true);
    try {
      await onSave(input);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="form form--compact panel panel--inner" onSubmit={(event) => void submit(event)} noValidate>
      <div class="field">
        <label for={titleId}>{t('materials.studio.titleField')}</label>
        <input
          id={titleId}
          type="text"
          value={title}
          maxLength={200}
          required
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? errorId : undefined}
          onInput={(event) => setTitle(event.currentTarget.value)}
        />
        {error && (
          <p id={errorId} class="field__error">
            {error}
          </p>
        )}
      </div>
      <LectureField
        id={lectureField}
        label={t('materials.studio.attachField')}
        value={lectureId}
        lectures={lectures}
        onChange={setLectureId}
      />
      <div class="actions">
        <button type="submit" class="button button--primary" disabled={saving}>
          {saving ? t('common.saving') : t('common.save')}
        </button>
        <button type="button" class="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api.js';
import {
  getChapterVersion,
  getChapterVersions,
  getChapters,
  importChapters,
  restoreChapterVersion,
  saveChapters,
  type ChapterRowProblem,
  type LectureChaptersView,
} from '../api/chapters.js';
import { EarlierVersions, type VersionRow } from '../captions/earlier-versions.js';
import { Alert } from '../components/alert.js';
import { Breadcrumb } from '../components/breadcrumb.js';
import { Page } from '../components/page.js';
import { clock } from '../format/format.js';
import { useResource } from '../hooks/use-resource.js';
import { errorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { formatChapterTime } from '../../../../../libs/media/src/chapters.js';
import { chaptersOf, checkRows, moveRow, newRow, problemText, rowsOf, type ChapterRow } from './chapter-rows.js';
import './chapters.css';

type Problem = Pick<ChapterRowProblem, 'row' | 'field' | 'code'>;

/**
 * An editor's chapters of one lecture: rows of a start time (typed as 12:30 or 1:02:03) and a title, added, removed
 * and moved with buttons; or the uploaded file's own chapters read in for review. Saving checks every row (here and
 * again on the server) and names each bad row beside it; the list saved before is kept on record by the server.
 */
export function ChaptersEditorPage({ lectureId }: { lectureId: string }) {
  const { t, lang } = useT();
  const loaded = useResource(() => getChapters(lectureId), [lectureId]);
  const [rows, setRows] = useState<ChapterRow[] | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState<'save' | 'import' | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const summaryId = useId();

  const view = loaded.data;
  useEffect(() => {
    if (view && rows === null) setRows(rowsOf(view.chapters));
  }, [view]);
  // After adding, removing or moving a row, focus goes where the editor expects it (the new row's time, the button).
  useEffect(() => {
    if (!focusKey) return;
    list.current?.ownerDocument.querySelector<HTMLElement>(`[data-focus="${focusKey}"]`)?.focus();
    setFocusKey(null);
  }, [focusKey, rows]);

  const duration = view?.durationSec ?? null;
  const current = rows ?? [];
  const edit = (next: ChapterRow[]) => {
    setRows(next);
    setMessage(null);
    // Once problems are shown, they follow the edits until none are left.
    if (problems.length > 0) setProblems(checkRows(next, duration));
  };
  const change = (key: number, field: 'time' | 'title', value: string) =>
    edit(current.map((row) => (row.key === key ? { ...row, [field]: value } : row)));

  const accept = (answer: LectureChaptersView, note: string) => {
    loaded.set(answer);
    setRows(rowsOf(answer.chapters));
    setProblems([]);
    setFailure(null);
    setMessage(note);
  };

  const save = async (event: Event) => {
    event.preventDefault();
    setMessage(null);
    setFailure(null);
    const found = checkRows(current, duration);
    setProblems(found);
    if (found.length > 0) return;
    setBusy('save');
    try {
      const answer = await saveChapters(lectureId, { chapters: chaptersOf(current) as never, revision: view?.revision });
      accept(answer, answer.chapters.length ? t('chapters.saved', { count: answer.chapters.length }) : t('chapters.savedNone'));
    } catch (error) {
      const body = error instanceof ApiError ? (error.body as { problems?: ChapterRowProblem[] } | null) : null;
      if (body?.problems?.length) setProblems(body.problems);
      else if (error instanceof ApiError && error.status === 409) setFailure(t('chapters.conflict'));
      else setFailure(t(errorKey(error)));
    } finally {
      setBusy(null);
    }
  };

  const importFromFile = async () => {
    setBusy('import');
    setMessage(null);
    setFailure(null);
    try {
      const answer = await importChapters(lectureId, lang === 'en' ? 'en' : 'zh-CN');
      if (answer.chapters.length === 0) {
        setFailure(answer.foundInFile > 0 ? t('chapters.importNoneInside', { count: answer.foundInFile }) : t('chapters.importNone'));
      } else {
        const next = rowsOf(answer.chapters);
        setRows(next);
        setProblems([]);
        setMessage(t('chapters.imported', { count: answer.chapters.length }));
      }
    } catch (error) {
      setFailure(error instanceof ApiError && error.status === 409 ? error.message : t(errorKey(error)));
    } finally {
      setBusy(null);
    }
  };

  const listVersions = async (): Promise<VersionRow[]> =>
    (await getChapterVersions(lectureId)).versions.map((v) => ({
      key: String(v.revision),
      savedAt: v.savedAt,
      savedByName: v.savedByName,
      detail: v.chapterCount > 0 ? t('versions.chapterCount', { count: v.chapterCount }) : t('versions.noChapters'),
    }));

  const restoreVersion = async (key: string) => {
    const answer = await restoreChapterVersion(lectureId, Number(key), view?.revision ?? 0);
    accept(answer, '');
    setMessage(null);
  };

  const words = (problem: Problem) => {
    const text = problemText(problem, current, duration);
    return t(text.key, text.params);
  };
  const rowProblems = (index: number) => problems.filter((p) => p.row === index);
  const listProblems = problems.filter((p) => p.row === null);

  const title = view ? t('chapters.editorTitle', { title: view.lectureTitle }) : t('chapters.title');
  return (
    <Page title={title}>
      {view && (
        <Breadcrumb
          trail={[
            { href: '/studio', label: t('nav.studio') },
            { href: `/studio/courses/${encodeURIComponent(view.courseId)}`, label: view.courseTitle },
          ]}
          current={t('chapters.title')}
        />
      )}
      <Alert message={loaded.error && t(loaded.error)} />
      {!view && loaded.loading && (
        <p class="status" role="status">
          {t('chapters.loading')}
        </p>
      )}
      {view && (
        <>
          <form class="chapters-editor" onSubmit={save} noValidate>
            <p>{t('chapters.intro')}</p>
            <p class="chapters-editor__facts">
              {duration !== null ? (
                <span>{t('chapters.lectureLength', { time: clock(duration) })}</span>
              ) : (
                <span>{t('chapters.noMedia')}</span>
              )}
              {view.savedAt && view.savedBy && (
                <span>
                  {t('chapters.savedInfo', {
                    name: view.savedBy,
                    time: new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(view.savedAt)),
                  })}
                </span>
              )}
              {view.previousLists > 0 && <span>{t('chapters.previousKept', { count: view.previousLists })}</span>}
            </p>

            <div class="chapters-editor__import">
              <button type="button" class="button" disabled={busy !== null} onClick={() => void importFromFile()}>
                {busy === 'import' ? t('chapters.importing') : t('chapters.importButton')}
              </button>
            </div>

            <div id={summaryId} class={problems.length ? 'alert alert--shown' : 'alert'} role="alert">
              {problems.length > 0 && (
                <>
                  <p>{t('chapters.fixFirst', { count: problems.length })}</p>
                  <ul>
                    {problems.map((problem, i) => (
                      <li key={i}>{words(problem)}</li>
                    ))}
                  </ul>
                </>
              )}
            </div>
            {listProblems.length > 0 && <p class="field__error">{listProblems.map(words).join(' ')}</p>}

            {current.length === 0 && <p class="notice">{t('chapters.none')}</p>}
            <ol ref={list} class="chapters-editor__rows">
              {current.map((row, index) => {
                const own = rowProblems(index);
                const timeProblem = own.find((p) => p.field === 'startSec');
                const titleProblem = own.find((p) => p.field === 'title');
                const number = index + 1;
                const errorId = `chapter-row-${row.key}-error`;
                return (
                  <li key={row.key} class={own.length ? 'chapters-editor__row chapters-editor__row--bad' : 'chapters-editor__row'}>
                    <fieldset>
                      <legend>{t('chapters.rowLabel', { number })}</legend>
                      <div class="chapters-editor__fields">
                        <label class="chapters-editor__time">
                          <span>{t('chapters.time')}</span>
                          <input
                            type="text"
                            inputMode="text"
                            autoComplete="off"
                            placeholder={t('chapters.timeHint')}
                            value={row.time}
                            data-focus={`time-${row.key}`}
                            aria-invalid={timeProblem ? true : undefined}
                            aria-describedby={timeProblem ? errorId : undefined}
                            onInput={(event) => change(row.key, 'time', event.currentTarget.value)}
                          />
                        </label>
                        <label class="chapters-editor__title">
                          <span>{t('chapters.chapterTitle')}</span>
                          <input
                            type="text"
                            maxLength={100}
                            value={row.title}
                            aria-invalid={titleProblem ? true : undefined}
                            aria-describedby={titleProblem ? errorId : undefined}
                            onInput={(event) => change(row.key, 'title', event.currentTarget.value)}
                          />
                        </label>
                      </div>
                      {own.length > 0 && (
                        <p id={errorId} class="field__error">
                          {own.map(words).join(' ')}
                        </p>
                      )}
                      <div class="actions actions--compact">
                        <button
                          type="button"
                          class="button"
                          disabled={index === 0}
                          data-focus={`up-${row.key}`}
                          aria-label={t('chapters.moveUp', { number })}
                          onClick={() => {
                            edit(moveRow(current, index, 'up'));
                            setFocusKey(index - 1 === 0 ? `down-${row.key}` : `up-${row.key}`);
                          }}
                        >
                          ↑
                        </button>
                        <button
                          type="button"
                          class="button"
                          disabled={index === current.length - 1}
                          data-focus={`down-${row.key}`}
                          aria-label={t('chapters.moveDown', { number })}
                          onClick={() => {
                            edit(moveRow(current, index, 'down'));
                            setFocusKey(index + 1 === current.length - 1 ? `up-${row.key}` : `down-${row.key}`);
                          }}
                        >
                          ↓
                        </button>
                        <button
                          type="button"
                          class="button button--danger"
                          onClick={() => {
                            const next = current.filter((r) => r.key !== row.key);
                            edit(next);
                            const after = next[index] ?? next[index - 1];
                            setFocusKey(after ? `time-${after.key}` : 'add');
                          }}
                        >
                          {t('common.delete')}
                          <span class="visually-hidden">{t('chapters.remove', { number })}</span>
                        </button>
                      </div>
                    </fieldset>
                  </li>
                );
              })}
            </ol>
            <div class="actions">
              <button
                type="button"
                class="button"
                data-focus="add"
                onClick={() => {
                  const row = newRow();
                  edit([...current, row]);
                  setFocusKey(`time-${row.key}`);
                }}
              >
                + {t('chapters.add')}
              </button>
              <button type="submit" class="button button--primary button--big" disabled={busy !== null}>
                {busy === 'save' ? t('chapters.saving') : t('chapters.save')}
              </button>
            </div>
            <Alert message={failure} />
            <p class="status" role="status">
              {message}
            </p>
            <p>
              <Link href={`/studio/courses/${encodeURIComponent(view.courseId)}`}>{t('chapters.backToCourse')}</Link>
            </p>
          </form>
          <EarlierVersions
            reloadKey={String(view.revision)}
            load={listVersions}
            read={(key) => getChapterVersion(lectureId, Number(key))}
            show={(version) =>
              version.chapters.length === 0 ? (
                <p>{t('versions.noChapters')}</p>
              ) : (
                <ol class="earlier-versions__chapters">
                  {version.chapters.map((chapter, i) => (
                    <li key={i}>
                      <div class="earlier-versions__chapter">
                        <time>{formatChapterTime(chapter.startSec)}</time>
                        <span>{chapter.title}</span>
                      </div>
                    </li>
                  ))}
                </ol>
              )
            }
            restore={restoreVersion}
          />
        </>
      )}
    </Page>
  );
}

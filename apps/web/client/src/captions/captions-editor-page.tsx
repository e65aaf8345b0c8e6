import { useId, useMemo, useState } from 'preact/hooks';
import {
  archiveCaptions,
  captionRejection,
  getCaptionVersion,
  getCaptionVersions,
  getStudioCaptions,
  restoreCaptionVersion,
  saveCaptionText,
  uploadCaptionFile,
  type CaptionLang,
  type StudioCaptions,
} from '../api/captions.js';
import type { CaptionProblemView } from '../../../../../libs/contracts/src/captions.js';
import { decodeCaptionBytes, parseCaptions } from '../../../../../libs/media/src/captions.js';
import { Alert } from '../components/alert.js';
import { FileButton } from '../components/file-button.js';
import { Page } from '../components/page.js';
import { clock } from '../format/format.js';
import { useResource } from '../hooks/use-resource.js';
import { errorKey } from '../i18n/error-key.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { problemsOf } from './captions-problems.js';
import { EarlierVersions, type VersionRow } from './earlier-versions.js';
import './captions-editor.css';

const LANGS: CaptionLang[] = ['zh-CN', 'en'];
const PREVIEW_CUES = 50;

/**
 * An editor's captions of one lecture: per language, upload a .vtt or .srt file (UTF-8 or GBK) or edit the text
 * in the page. A file or text the server cannot use comes back with each problem's line; the text stays in the
 * box to be fixed there, and the list of problems follows the edits until it is empty. Saving never loses the
 * previous text: the server keeps it as an earlier version.
 */
export function CaptionsEditorPage({ lectureId }: { lectureId: string }) {
  const { t, lang: pageLang } = useT();
  const captions = useResource(() => getStudioCaptions(lectureId), [lectureId]);
  const [lang, setLang] = useState<CaptionLang>('zh-CN');
  const [drafts, setDrafts] = useState<Partial<Record<CaptionLang, string>>>({});
  const [problems, setProblems] = useState<CaptionProblemView[] | null>(null);
  const [busy, setBusy] = useState<'upload' | 'save' | 'archive' | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const textId = useId();
  const problemsId = useId();
  const hintId = useId();

  const data = captions.data;
  const track = data?.tracks.find((tr) => tr.lang === lang) ?? null;
  const text = drafts[lang] ?? track?.vtt ?? '';
  const parsed = useMemo(() => (text.trim() ? parseCaptions(text) : null), [text]);

  const chooseLang = (next: CaptionLang) => {
    setLang(next);
    setProblems(null);
    setMessage(null);
    setFailure(null);
  };

  const accepted = (answer: StudioCaptions, note: string) => {
    captions.set(answer);
    setDrafts((d) => ({ ...d, [lang]: undefined }));
    setProblems(null);
    setFailure(null);
    setMessage(note);
  };

  const rejected = (error: unknown, draft: string | null) => {
    const rejection = captionRejection(error);
    if (rejection) {
      if (draft !== null) setDrafts((d) => ({ ...d, [lang]: draft }));
      setProblems(rejection.problems);
    } else {
      setFailure(t(errorKey(error)));
    }
  };

  const upload = async (file: File) => {
    setBusy('upload');
    setMessage(null);
    setFailure(null);
    try {
      const answer = await uploadCaptionFile(lectureId, lang, file, file.name);
      accepted(answer, t('captions.uploaded', { count: answer.tracks.find((tr) => tr.lang === lang)?.cueCount ?? 0 }));
    } catch (error) {
      // The file's text goes into the box, so the problems can be fixed right here.
      let draft: string | null = null;
      try {
        draft = decodeCaptionBytes(new Uint8Array(await file.arrayBuffer())).text;
      } catch {
        draft = null;
      }
      rejected(error, draft);
    } finally {
      setBusy(null);
    }
  };

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy('save');
    setMessage(null);
    setFailure(null);
    try {
      const answer = await saveCaptionText(lectureId, lang, text);
      accepted(answer, t('captions.saved', { count: answer.tracks.find((tr) => tr.lang === lang)?.cueCount ?? 0 }));
    } catch (error) {
      rejected(error, null);
    } finally {
      setBusy(null);
    }
  };

  const archive = async () => {
    if (!confirm(t('captions.archiveConfirm'))) return;
    setBusy('archive');
    try {
      accepted(await archiveCaptions(lectureId, lang), t('captions.archived'));
    } catch (error) {
      setFailure(t(errorKey(error)));
    } finally {
      setBusy(null);
    }
  };

  const listVersions = async (): Promise<VersionRow[]> =>
    (await getCaptionVersions(lectureId, lang)).versions.map((v) => ({
      key: v.id,
      savedAt: v.savedAt,
      savedByName: v.savedByName,
      detail: [
        t('versions.captionSize', { count: v.cueCount, size: Math.max(0.1, v.bytes / 1024).toFixed(1) }),
        v.sourceName,
        v.archiveReason === 'archived' ? t('versions.languageOff') : null,
      ]
        .filter(Boolean)
        .join(' · '),
    }));

  const restoreVersion = async (versionId: string) => {
    const answer = await restoreCaptionVersion(lectureId, lang, versionId, track?.versionId ?? null);
    accepted(answer, '');
    setMessage(null);
  };

  const edit = (value: string) => {
    setDrafts((d) => ({ ...d, [lang]: value }));
    setMessage(null);
    // Once problems are listed, they follow the edits (same parser as the server) until none are left.
    if (problems) {
      const check = value.trim() ? parseCaptions(value) : null;
      setProblems(check && !check.ok ? check.errors : check ? null : problems);
    }
  };

  const title = data ? t('captions.editorTitle', { title: data.lectureTitle }) : t('captions.title');
  const translate = (key: string, options?: Record<string, unknown>) => String(t(key as never, options as never));
  const shownProblems = problems ? problemsOf(problems, translate, pageLang) : [];
  const warnings = track?.warnings.length ? problemsOf(track.warnings, translate, pageLang) : [];
  return (
    <Page title={title}>
      {data && (
        <p>
          <Link href={`/studio/courses/${encodeURIComponent(data.courseId)}`}>{t('captions.backToCourse')}</Link>
        </p>
      )}
      <Alert message={captions.error && t(captions.error)} />
      {captions.loading && !data && (
        <p class="status" role="status">
          {t('captions.loading')}
        </p>
      )}
      {data && (
        <div class="captions-editor">
          <div class="segmented" role="group" aria-label={t('captions.language')}>
            {LANGS.map((l) => (
              <button key={l} type="button" class="button" lang={l} aria-pressed={lang === l} onClick={() => chooseLang(l)}>
                {t(`captions.langName.${l}`)}
              </button>
            ))}
          </div>

          <div class="notice captions-editor__current">
            {track ? (
              <p>
                {t('captions.current', {
                  count: track.cueCount,
                  name: track.updatedByName,
                  time: new Date(track.updatedAt).toLocaleString(pageLang),
                })}
                {track.sourceName && <> · {t('captions.currentFile', { file: track.sourceName })}</>}
                {track.earlierVersions > 0 && <> · {t('captions.earlierVersions', { count: track.earlierVersions })}</>}
              </p>
            ) : (
              <p>{t('captions.none')}</p>
            )}
          </div>

          <p class="status captions-editor__message" role="status">
            {message}
          </p>
          <Alert message={failure} />
          <div role="alert" class="captions-editor__problems-live">
            {problems && shownProblems.length > 0 && (
              <div class="alert alert--shown captions-editor__problems" id={problemsId}>
                <p class="captions-editor__problems-title">{t('captions.problemsHeading', { count: problems.length })}</p>
                <ul>
                  {shownProblems.map((p, i) => (
                    <li key={i}>
                      {p.text}
                      {p.detail && <span class="alert__detail">{p.detail}</span>}
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </div>
          {warnings.length > 0 && !problems && (
            <div class="notice">
              <p>{t('captions.warningsHeading', { count: warnings.length })}</p>
              <ul>
                {warnings.map((w, i) => (
                  <li key={i}>{w.text}</li>
                ))}
              </ul>
            </div>
          )}

          <section aria-labelledby={`${hintId}-upload`}>
            <h2 id={`${hintId}-upload`}>{t('captions.uploadHeading')}</h2>
            <p class="hint" id={`${hintId}-upload-hint`}>
              {t('captions.uploadHint')}
            </p>
            <p class="actions">
              <FileButton
                label={busy === 'upload' ? t('captions.uploading') : t('captions.chooseFile')}
                accept=".vtt,.srt,text/vtt"
                describedBy={`${hintId}-upload-hint`}
                onFile={(file) => void upload(file)}
              />
            </p>
          </section>

          <form class="form" noValidate aria-busy={busy !== null} onSubmit={save}>
            <h2>{t('captions.editHeading')}</h2>
            <div class="field">
              <label for={textId}>{t('captions.textLabel')}</label>
              <p class="hint" id={hintId}>
                {t('captions.editHint')}
              </p>
              <textarea
                id={textId}
                class="captions-editor__text"
                rows={16}
                lang={lang}
                spellcheck={false}
                aria-invalid={!!problems}
                aria-describedby={problems ? `${hintId} ${problemsId}` : hintId}
                value={text}
                onInput={(e) => edit(e.currentTarget.value)}
              />
            </div>
            <p class="actions">
              <button type="submit" class="button button--primary button--big" disabled={busy !== null}>
                {busy === 'save' ? t('captions.saving') : t('captions.save')}
              </button>
              {track && (
                <button type="button" class="button" disabled={busy !== null} onClick={() => void archive()}>
                  {t('captions.archive')}
                </button>
              )}
            </p>
          </form>

          <section aria-labelledby={`${hintId}-preview`}>
            <h2 id={`${hintId}-preview`}>{t('captions.previewHeading', { count: parsed?.ok ? parsed.cues.length : 0 })}</h2>
            {parsed?.ok ? (
              <ol class="captions-editor__preview" lang={lang}>
                {parsed.cues.slice(0, PREVIEW_CUES).map((cue, i) => (
                  <li key={i}>
                    <span class="captions-editor__time">
                      {clock(cue.startSec)} – {clock(cue.endSec)}
                    </span>
                    <span class="captions-editor__cue">{cue.text}</span>
                  </li>
                ))}
              </ol>
            ) : (
              <p class="hint">{t('captions.previewEmpty')}</p>
            )}
            {parsed?.ok && parsed.cues.length > PREVIEW_CUES && (
              <p class="hint">{t('captions.previewMore', { count: parsed.cues.length - PREVIEW_CUES })}</p>
            )}
          </section>

          <EarlierVersions
            reloadKey={`${lang}/${track?.versionId ?? 'none'}`}
            load={listVersions}
            read={(versionId) => getCaptionVersion(lectureId, lang, versionId)}
            show={(version) => (
              <pre class="earlier-versions__text" lang={lang} tabIndex={0}>
                {version.vtt}
              </pre>
            )}
            restore={restoreVersion}
          />
        </div>
      )}
    </Page>
  );
}

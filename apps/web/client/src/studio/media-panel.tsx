import type { ComponentChildren, VNode } from 'preact';
import { useId, useState } from 'preact/hooks';
import type { StudioLecture } from '../api/types.js';
import { FileButton } from '../components/file-button.js';
import { ProgressBar } from '../components/progress-bar.js';
import { bytes } from '../format/format.js';
import { useDuration } from '../format/use-format.js';
import { useT } from '../i18n/use-t.js';
import type { PreviewAsset } from '../preview/preview-api.js';
import { PreviewableStatus } from '../preview/previewable-status.js';
import { useFailureText } from './failure-text.js';
import { LecturePreview } from './lecture-preview.js';
import { MEDIA_ACCEPT } from './uploads/accepted-files.js';
import {
  cancelUpload,
  chooseFile,
  discardInterrupted,
  keepInterrupted,
  pauseUpload,
  replaceInterrupted,
  resumeUpload,
  type UploadState,
} from './uploads/upload-manager.js';
import { useUpload } from './uploads/use-upload.js';

interface MediaPanelProps {
  lecture: StudioLecture;
  courseId: string;
  /** Whether members may watch while encoding goes on, and whether the course is published. */
  course?: { publishWhenPreviewable: boolean; status: string } | null;
}

const SENDING: readonly string[] = ['uploading', 'retrying', 'offline', 'paused', 'stopped'];

/** Upload, resume, processing progress and preview of one lecture's video or audio. */
export function MediaPanel({ lecture, courseId, course = null }: MediaPanelProps) {
  const { t } = useT();
  const { duration } = useDuration();
  const upload = useUpload(lecture.id);
  const hintId = useId();
  const [previewing, setPreviewing] = useState(false);

  const pick = (label: string, primary = false) => (
    <FileButton
      label={label}
      ariaLabel={t('media.chooseLabel', { action: label, title: lecture.title })}
      accept={MEDIA_ACCEPT}
      primary={primary}
      describedBy={hintId}
      onFile={(file) => chooseFile(lecture.id, courseId, file)}
    />
  );
  const hint = (
    <p id={hintId} class="hint">
      {t('media.accepted')}
    </p>
  );

  const serverStatus = lecture.media?.status ?? null;
  const ready = upload ? upload.phase === 'ready' : serverStatus === 'ready';
  const preview = ready && (
    <button
      type="button"
      class="button"
      aria-expanded={previewing}
      aria-label={t('editor.previewLabel', { title: lecture.title })}
      onClick={() => setPreviewing(!previewing)}
    >
      {t('editor.preview')}
    </button>
  );

  let body;
  if (!upload) {
    if (!lecture.assetId || !serverStatus) {
      body = (
        <>
          <p>{t('media.none')}</p>
          <div class="actions">{pick(t('media.choose'), true)}</div>
          {hint}
        </>
      );
    } else if (serverStatus === 'ready') {
      body = (
        <>
          <p class="media-state media-state--ready">
            {lecture.durationSec ? t('media.readyDuration', { duration: duration(lecture.durationSec) }) : t('media.ready')}
          </p>
          <div class="actions">
            {preview}
            {pick(t('media.replace'))}
          </div>
          {hint}
        </>
      );
    } else if (serverStatus === 'failed') {
      body = (
        <>
          <p class="media-state media-state--problem">
            {lecture.media?.failureReason ? t('media.failed', { reason: lecture.media.failureReason }) : t('media.failedRetry')}
          </p>
          <div class="actions">{pick(t('media.choose'), true)}</div>
          {hint}
        </>
      );
    } else {
      body = (
        <>
          <ProgressBar label={t('media.processingProgress')} percent={lecture.media?.percent ?? null} tone="process" />
          <div class="actions">{pick(t('media.replace'))}</div>
        </>
      );
    }
  } else body = <UploadView upload={upload} pick={pick} hint={hint} preview={preview} title={lecture.title} course={course} />;

  return (
    <section class="media-panel" aria-label={`${t('media.heading')}: ${lecture.title}`}>
      {body}
      {previewing && ready && <LecturePreview lectureId={lecture.id} title={lecture.title} />}
    </section>
  );
}

interface UploadViewProps {
  upload: UploadState;
  pick(label: string, primary?: boolean): VNode;
  hint: VNode;
  preview: ComponentChildren;
  title: string;
  course: MediaPanelProps['course'];
}

function UploadView({ upload, pick, hint, preview, title, course }: UploadViewProps) {
  const { t } = useT();
  const { duration: eta } = useDuration();
  const failureText = useFailureText();
  const { phase, lectureId } = upload;
  const percent = upload.bytesTotal > 0 ? (upload.bytesSent / upload.bytesTotal) * 100 : 0;
  const amount = t('media.bytes', { sent: bytes(upload.bytesSent), total: bytes(upload.bytesTotal) });

  if (SENDING.includes(phase)) {
    const speed = upload.bytesPerSecond;
    const remaining = speed && speed > 0 ? (upload.bytesTotal - upload.bytesSent) / speed : null;
    const facts = [`${Math.floor(percent)}%`, amount];
    if (phase === 'uploading' && speed) facts.push(t('media.speed', { speed: bytes(speed) }));
    if (phase === 'uploading' && remaining !== null) facts.push(t('media.eta', { time: eta(remaining) }));
    const note =
      phase === 'paused'
        ? t('media.paused')
        : phase === 'retrying'
          ? t('media.retrying')
          : phase === 'offline'
            ? t('media.offline')
            : phase === 'stopped' && upload.message
              ? t(upload.message)
              : null;
    return (
      <div class="upload">
        <p class="upload__name">{t('media.uploading', { name: upload.fileName })}</p>
        <ProgressBar
          label={t('media.uploadProgress')}
          percent={percent}
          valueText={`${Math.floor(percent)}%, ${amount}`}
          tone={phase === 'stopped' || phase === 'offline' ? 'problem' : 'upload'}
        />
        <p class="upload__facts">
          {facts.map((fact) => (
            <span key={fact}>{fact}</span>
          ))}
        </p>
        <p class={phase === 'stopped' ? 'media-state media-state--problem' : 'media-state'} role={phase === 'stopped' ? 'alert' : 'status'}>
          {note}
        </p>
        <div class="actions">
          {phase === 'uploading' || phase === 'retrying' ? (
            <button type="button" class="button" onClick={() => pauseUpload(lectureId)}>
              {t('media.pause')}
            </button>
          ) : (
            phase !== 'offline' && (
              <button type="button" class="button button--primary" onClick={() => resumeUpload(lectureId)}>
                {/* Once every byte is there, only the linking is retried. */}
                {upload.bytesTotal > 0 && upload.bytesSent >= upload.bytesTotal ? t('common.retry') : t('media.resume')}
              </button>
            )
          )}
          <button type="button" class="button" onClick={() => cancelUpload(lectureId)}>
            {t('media.cancel')}
          </button>
        </div>
      </div>
    );
  }

  if (phase === 'interrupted' || phase === 'mismatch') {
    return (
      <div class="upload upload--interrupted">
        <p class="media-state media-state--problem">
          {t('media.interrupted', { name: upload.fileName, size: bytes(upload.bytesTotal), percent: Math.floor(percent) })}
        </p>
        <ProgressBar label={t('media.uploadProgress')} percent={percent} valueText={`${Math.floor(percent)}%, ${amount}`} tone="problem" />
        {phase === 'mismatch' && (
          <div role="alert" class="alert alert--shown">
            {t('media.notSameFile', { name: upload.fileName, size: bytes(upload.bytesTotal) })}
            <div class="actions">
              <button type="button" class="button button--primary" onClick={() => replaceInterrupted(lectureId)}>
                {t('media.useNewFile')}
              </button>
              <button type="button" class="button" onClick={() => keepInterrupted(lectureId)}>
                {t('common.cancel')}
              </button>
            </div>
          </div>
        )}
        <div class="actions">
          {pick(t('media.chooseSame'), true)}
          <button type="button" class="button" onClick={() => discardInterrupted(lectureId)}>
            {t('media.discard')}
          </button>
        </div>
      </div>
    );
  }

  if (phase === 'finishing') {
    return (
      <div class="upload">
        <ProgressBar label={t('media.uploadProgress')} percent={100} valueText="100%" tone="done" />
        <p class="media-state" role="status">
          {t('media.finishing')}
        </p>
      </div>
    );
  }

  const previewAsset = upload.asset as PreviewAsset | null;
  if (phase === 'processing' && previewAsset?.status === 'transcoding' && previewAsset.previewable) {
    return (
      <PreviewableStatus lectureId={lectureId} lectureTitle={title} asset={previewAsset} course={course}>
        {pick(t('media.replace'))}
      </PreviewableStatus>
    );
  }

  if (phase === 'processing') {
    const asset = upload.asset;
    const transcoding = asset?.status === 'transcoding';
    const label = transcoding
      ? t('media.transcoding', { percent: Math.floor(asset.progress.percent) })
      : asset?.status === 'queued'
        ? t('media.queued')
        : t('media.checking');
    const left = transcoding && asset.progress.etaSeconds !== null ? t('media.eta', { time: eta(asset.progress.etaSeconds) }) : null;
    return (
      <div class="upload">
        <ProgressBar
          label={t('media.processingProgress')}
          percent={transcoding ? asset.progress.percent : null}
          valueText={left ? `${label} ${left}` : label}
          tone="process"
        />
        <p class="media-state" role="status">
          {label}
          {left && <span class="upload__eta"> · {left}</span>}
        </p>
        {upload.pollTrouble && <p class="hint">{t('media.pollTrouble')}</p>}
        {/* A wrong file need not be waited for. */}
        <div class="actions">{pick(t('media.replace'))}</div>
      </div>
    );
  }

  if (phase === 'ready') {
    return (
      <>
        <p class="media-state media-state--ready" role="status">
          {upload.asset?.durationSec ? t('media.readyDuration', { duration: eta(upload.asset.durationSec) }) : t('media.ready')}
        </p>
        <div class="actions">
          {preview}
          {pick(t('media.replace'))}
        </div>
        {hint}
      </>
    );
  }

  // failed: refused by the upload service, or processing failed with the transcoder's reason.
  const failure = upload.asset?.failure;
  return (
    <>
      <p class="media-state media-state--problem" role="alert">
        {upload.message ? t(upload.message) : t('media.failed', { reason: failure ? failureText(failure) : '' })}{' '}
        {!upload.message && !failure && t('media.failedRetry')}
      </p>
      <div class="actions">{pick(t('media.choose'), true)}</div>
      {hint}
    </>
  );
}

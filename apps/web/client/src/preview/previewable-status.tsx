import type { ComponentChildren } from 'preact';
import { ProgressBar } from '../components/progress-bar.js';
import { useT } from '../i18n/use-t.js';
import { Link } from '../router/link.js';
import { encodingStatusText, membersNoteKey } from './encoding-status.js';
import type { PreviewAsset } from './preview-api.js';

export const previewHref = (lectureId: string) => `/studio/lectures/${encodeURIComponent(lectureId)}/preview`;

interface PreviewableStatusProps {
  lectureId: string;
  lectureTitle: string;
  asset: PreviewAsset;
  /** The course's setting and state decide what members see meanwhile; unknown, nothing is said about them. */
  course?: { publishWhenPreviewable: boolean; status: string } | null;
  /** Further actions (e.g. replacing the file). */
  children?: ComponentChildren;
}

/**
 * A lecture whose media is still being encoded but already previewable:
 * "Previewable now · 34 % encoded · about 12 min left", a progress bar, what members see meanwhile,
 * and the way to the preview. Refreshed by the studio's transcoding poll.
 */
export function PreviewableStatus({ lectureId, lectureTitle, asset, course, children }: PreviewableStatusProps) {
  const { t } = useT();
  const facts = {
    previewable: asset.previewable === true,
    encodedPercent: asset.encodedPercent ?? asset.progress.percent,
    etaSeconds: asset.etaSeconds !== undefined ? asset.etaSeconds : asset.progress.etaSeconds,
  };
  const text = encodingStatusText((key, values) => t(key, values), facts);
  return (
    <div class="upload upload--previewable">
      <ProgressBar label={t('preview.progressLabel')} percent={facts.encodedPercent} valueText={text} tone="process" />
      <p class="media-state media-state--previewable" data-previewable-status>
        {text}
      </p>
      {course && <p class="hint">{t(membersNoteKey(course))}</p>}
      <div class="actions">
        <Link href={previewHref(lectureId)} class="button button--primary">
          <span aria-hidden="true">{t('preview.previewButton')}</span>
          <span class="visually-hidden">{t('preview.previewLabel', { title: lectureTitle })}</span>
        </Link>
        {children}
      </div>
    </div>
  );
}

import type { PlaybackSession } from '../api/types.js';
import { bytes } from '../format/format.js';
import { useT } from '../i18n/use-t.js';
import { Icon } from '../player/icons.js';
import { downloadChoices, type DownloadChoice } from './download-choices.js';
import './lecture-downloads.css';

/**
 * Files to keep for offline study, signed like the stream: the smallest video first (recommended on
 * mobile data), the larger one, then sound only, each with its size.
 */
export function LectureDownloads({ session }: { session: PlaybackSession }) {
  const { t } = useT();
  const choices = downloadChoices(session);
  if (choices.length === 0) return null;
  const soundOnly = choices.every((c) => c.quality === 'audio');
  const label = (choice: DownloadChoice) => {
    const name = t(`memberDownloads.${choice.label}`, { resolution: choice.resolution }).trim();
    return choice.bytes === null ? name : t('memberDownloads.withSize', { label: name, size: bytes(choice.bytes) });
  };
  const note = (choice: DownloadChoice) =>
    choice.recommended
      ? t('memberDownloads.recommended')
      : choice.quality === 'audio' && !soundOnly
        ? t('memberDownloads.audioNote')
        : null;
  return (
    <section class="lecture-downloads" aria-labelledby="lecture-downloads-title">
      <h2 id="lecture-downloads-title" class="lecture-downloads__title">
        {t('memberDownloads.title')}
      </h2>
      <p class="lecture-downloads__hint">{t(soundOnly ? 'memberDownloads.hintAudio' : 'memberDownloads.hintVideo')}</p>
      <ul class="lecture-downloads__list">
        {choices.map((choice) => (
          <li key={choice.url}>
            <a
              class={`button lecture-downloads__choice${choice.recommended ? ' lecture-downloads__choice--recommended' : ''}`}
              href={choice.url}
              download={choice.fileName}
              data-quality={choice.quality}
            >
              <Icon name="download" />
              <span class="lecture-downloads__text">
                <span class="lecture-downloads__label">{label(choice)}</span>
                {note(choice) && <span class="lecture-downloads__note">{note(choice)}</span>}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

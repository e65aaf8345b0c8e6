import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { getChapters, type LectureChapter } from '../api/chapters.js';
import { clock } from '../format/format.js';
import { useDuration } from '../format/use-format.js';
import { useT } from '../i18n/use-t.js';
import { chapterAt, chapterMarkers, chapterSpans } from '../../../../../libs/media/src/chapters.js';
import { stoppedInChapter } from '../../../../../libs/contracts/src/chapters.js';
import './chapters-player.css';

/**
 * The lecture's chapters, loaded once per lecture. A lecture without chapters (or a failed load) simply has none:
 * playback never waits for them.
 */
export function useChapters(lectureId: string): LectureChapter[] {
  const [chapters, setChapters] = useState<LectureChapter[]>([]);
  useEffect(() => {
    let stale = false;
    setChapters([]);
    getChapters(lectureId)
      .then((answer) => !stale && setChapters(answer.chapters))
      .catch(() => undefined);
    return () => {
      stale = true;
    };
  }, [lectureId]);
  return chapters;
}

/** Ticks on the progress bar where chapters start; decorative (the chapter list is the keyboard's way in). */
export function ChapterMarks({ chapters, duration }: { chapters: readonly LectureChapter[]; duration: number }) {
  const marks = chapterMarkers(chapters, duration).filter((m) => m.fraction > 0);
  if (marks.length === 0) return null;
  return (
    <span class="chapter-marks" aria-hidden="true">
      {marks.map((mark) => (
        <span key={mark.index} class="chapter-marks__tick" style={{ '--at': String(mark.fraction) }} />
      ))}
    </span>
  );
}

/** "Stopped in chapter 3, «…»" under the resume prompt, when the lecture has chapters. */
export function ChapterStopped({ chapters, at }: { chapters: readonly LectureChapter[]; at: number }) {
  const { t } = useT();
  const stopped = stoppedInChapter(chapters, at);
  if (!stopped) return null;
  return <p class="chapter-stopped">{t('chapters.stoppedIn', { number: stopped.number, title: stopped.title })}</p>;
}

interface ChaptersRowProps {
  chapters: readonly LectureChapter[];
  time: number;
  duration: number;
  onSeek(sec: number): void;
  onAnnounce(text: string): void;
}

/**
 * Under the progress bar: the chapter playing now, and a button opening the chapter list. Each chapter in the list
 * is a button (Enter or a tap seeks there); the one playing is marked. Escape closes the list and returns focus.
 */
export function ChaptersRow({ chapters, time, duration, onSeek, onAnnounce }: ChaptersRowProps) {
  const { t } = useT();
  const { duration: length } = useDuration();
  const [open, setOpen] = useState(false);
  const id = useId();
  const toggle = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (open) panel.current?.querySelector<HTMLButtonElement>('[aria-current="true"], button')?.focus();
  }, [open]);

  if (chapters.length === 0) return null;
  const now = chapterAt(chapters, time);
  const spans = chapterSpans(chapters, duration > 0 ? duration : (chapters[chapters.length - 1]?.startSec ?? 0));
  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };
  const choose = (index: number) => {
    const chapter = chapters[index]!;
    onSeek(chapter.startSec);
    onAnnounce(t('chapters.jumped', { number: index + 1, title: chapter.title, time: clock(chapter.startSec) }));
    close();
  };

  return (
    <div
      class="chapters-row"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.stopPropagation();
          close();
        }
      }}
    >
      <div class="chapters-row__bar">
        <button
          ref={toggle}
          type="button"
          class="player__button chapters-row__toggle"
          aria-expanded={open}
          aria-controls={id}
          onClick={() => setOpen(!open)}
        >
          <span aria-hidden="true">☰</span>
          <span>{t('chapters.listButton')}</span>
        </button>
        <p class="chapters-row__now" aria-live="off">
          {now ? t('chapters.current', { number: now.index + 1, title: now.chapter.title }) : t('chapters.beforeFirst')}
        </p>
      </div>
      <div id={id} ref={panel} class="chapters-list" role="group" aria-label={t('chapters.listLabel')} hidden={!open}>
        <ol>
          {spans.map((span) => {
            const current = now?.index === span.index;
            return (
              <li key={span.index}>
                <button
                  type="button"
                  class="chapters-list__item"
                  aria-current={current ? 'true' : undefined}
                  onClick={() => choose(span.index)}
                >
                  <span class="chapters-list__time">{clock(span.startSec)}</span>
                  <span class="chapters-list__text">
                    <span class="chapters-list__number">{t('chapters.item', { number: span.index + 1 })}</span>
                    <span class="chapters-list__title">{span.title}</span>
                    <span class="chapters-list__meta">
                      {span.endSec > span.startSec && t('chapters.itemLength', { length: length(span.endSec - span.startSec) })}
                      {current && <strong class="chapters-list__playing"> · {t('chapters.nowPlaying')}</strong>}
                    </span>
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
}

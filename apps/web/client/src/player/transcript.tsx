import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { clock } from '../format/format.js';
import { useT } from '../i18n/use-t.js';
import { currentLine, followScrollTop, transcriptTrack } from './captions-logic.js';
import type { CaptionsState } from './captions-overlay.js';

/**
 * Everything said, line by line with its time, beside the picture (under it on a phone). The line being said is
 * marked and kept in view by scrolling the list itself, never the page; once the member scrolls the list to
 * read, it stays where they put it until they choose "back to what is playing" or a line. Choosing a line (click,
 * Enter or Space) plays from there.
 */
export function Transcript({ captions, time, onSeek }: { captions: CaptionsState; time: number; onSeek(sec: number): void }) {
  const { t, lang: pageLang } = useT();
  const headingId = useId();
  const list = useRef<HTMLOListElement>(null);
  const [follow, setFollow] = useState(true);
  const lang = transcriptTrack(captions.available, captions.showing, pageLang);
  const lines = lang ? captions.linesOf(lang) : [];
  const current = currentLine(lines, time);

  useEffect(() => {
    const view = list.current;
    if (!follow || !view || current === null) return;
    const item = view.children[current] as HTMLElement | undefined;
    if (!item) return;
    const top = followScrollTop(
      { scrollTop: view.scrollTop, height: view.clientHeight },
      { top: item.offsetTop, height: item.offsetHeight },
    );
    if (top !== null) view.scrollTop = top;
  }, [current, follow, lang]);

  if (!lang || lines.length === 0) return null;
  const stopFollowing = () => setFollow(false);
  return (
    <section class="transcript" aria-labelledby={headingId} lang={lang}>
      <div class="transcript__head">
        <h2 id={headingId} class="transcript__title" lang={pageLang}>
          {t('captions.transcript')}
        </h2>
        {!follow && (
          <button type="button" class="button transcript__back" lang={pageLang} onClick={() => setFollow(true)}>
            {t('captions.backToNow')}
          </button>
        )}
      </div>
      <ol
        ref={list}
        class="transcript__list"
        aria-label={t('captions.transcriptLabel')}
        onWheel={stopFollowing}
        onTouchMove={stopFollowing}
        onKeyDown={(event) => {
          if (['PageUp', 'PageDown', 'Home', 'End', 'ArrowUp', 'ArrowDown'].includes(event.key)) stopFollowing();
        }}
      >
        {lines.map((line, index) => (
          <li key={`${line.startSec}-${index}`}>
            <button
              type="button"
              class="transcript__line"
              aria-current={index === current ? 'true' : undefined}
              onClick={() => {
                setFollow(true);
                onSeek(line.startSec);
              }}
            >
              <span class="transcript__time">{clock(line.startSec)}</span>
              <span class="transcript__text">{line.text}</span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

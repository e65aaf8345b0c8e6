// Pure decisions of the caption overlay and the transcript: which track, which line is current, where to scroll.
import { transcriptLineAt, type TranscriptLine } from '../../../../../libs/media/src/captions.js';
import type { CaptionLang } from '../../../../../libs/contracts/src/captions.js';

/** The track to show over the picture: the member's last choice when this lecture has it, else none. */
export function chosenTrack(available: readonly CaptionLang[], preferred: string | null): CaptionLang | null {
  return available.find((lang) => lang === preferred) ?? null;
}

/** The transcript's language: the captions showing, else the page's language, else whichever there is. */
export function transcriptTrack(available: readonly CaptionLang[], showing: CaptionLang | null, pageLang: string): CaptionLang | null {
  if (showing && available.includes(showing)) return showing;
  return available.find((lang) => lang === pageLang) ?? available[0] ?? null;
}

/**
 * The line to highlight at `positionSec`: the one being said, or between two lines the one said last (so the
 * highlight does not flicker off in pauses); null before the first line.
 */
export function currentLine(lines: readonly TranscriptLine[], positionSec: number): number | null {
  const active = transcriptLineAt(lines, positionSec);
  if (active !== null) return active;
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lines[mid].startSec <= positionSec) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? lo - 1 : null;
}

/**
 * Where the transcript list should scroll so the current line is in view: null when it already is whole
 * (nothing moves while the member reads), else the line a third of the way down the list.
 */
export function followScrollTop(view: { scrollTop: number; height: number }, line: { top: number; height: number }): number | null {
  const visible = line.top >= view.scrollTop && line.top + line.height <= view.scrollTop + view.height;
  if (visible) return null;
  return Math.max(0, Math.round(line.top - view.height / 3));
}

/**
 * The moment a link asks the lecture to start at (`?t=192`, from a search hit on words said there), in whole
 * seconds within the lecture; null when the address names none or an impossible one.
 */
export function linkedStartSec(search: string, durationSec: number): number | null {
  const raw = new URLSearchParams(search).get('t');
  if (raw === null || !/^\d{1,6}$/.test(raw)) return null;
  const sec = Number(raw);
  return durationSec > 0 && sec >= durationSec ? null : sec;
}

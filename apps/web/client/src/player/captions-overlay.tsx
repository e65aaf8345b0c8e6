import { useEffect, useMemo, useState } from 'preact/hooks';
import { getLectureCaptions, type CaptionLang } from '../api/captions.js';
import {
  cuesAt,
  parseCaptions,
  transcriptLines,
  type CaptionRun,
  type Cue,
  type TranscriptLine,
} from '../../../../../libs/media/src/captions.js';
import { chosenTrack } from './captions-logic.js';
import { preferences } from './preferences.js';
import './captions.css';

export interface CaptionsState {
  /** Languages this lecture has captions in, Chinese first. */
  available: CaptionLang[];
  cuesOf(lang: CaptionLang): Cue[];
  linesOf(lang: CaptionLang): TranscriptLine[];
  /** The captions shown over the picture, or null for none. */
  showing: CaptionLang | null;
  large: boolean;
  show(lang: CaptionLang | null): void;
  setLarge(on: boolean): void;
}

interface Track {
  cues: Cue[];
  lines: TranscriptLine[];
}

/**
 * The lecture's captions, loaded once per lecture, with the member's choice of language and size remembered on
 * this device. A lecture without captions (or a failed load) simply has none: playback never waits for them.
 */
export function useCaptions(lectureId: string): CaptionsState {
  const [tracks, setTracks] = useState<Map<CaptionLang, Track>>(new Map());
  const [preferred, setPreferred] = useState(preferences.captions);
  const [large, setLargeState] = useState(preferences.largeCaptions);

  useEffect(() => {
    let stale = false;
    setTracks(new Map());
    getLectureCaptions(lectureId)
      .then((answer) => {
        if (stale) return;
        const loaded = new Map<CaptionLang, Track>();
        for (const track of answer.tracks) {
          const parsed = parseCaptions(track.vtt, 'vtt');
          if (parsed.ok) loaded.set(track.lang, { cues: parsed.cues, lines: transcriptLines(parsed.cues) });
        }
        setTracks(loaded);
      })
      .catch(() => undefined);
    return () => {
      stale = true;
    };
  }, [lectureId]);

  const available = useMemo(() => (['zh-CN', 'en'] as const).filter((lang) => tracks.has(lang)), [tracks]);
  return {
    available,
    cuesOf: (lang) => tracks.get(lang)?.cues ?? [],
    linesOf: (lang) => tracks.get(lang)?.lines ?? [],
    showing: chosenTrack(available, preferred),
    large,
    show: (lang) => {
      setPreferred(lang);
      preferences.setCaptions(lang);
    },
    setLarge: (on) => {
      setLargeState(on);
      preferences.setLargeCaptions(on);
    },
  };
}

function Run({ run }: { run: CaptionRun }) {
  let node = <>{run.text}</>;
  if (run.bold) node = <b>{node}</b>;
  if (run.italic) node = <i>{node}</i>;
  if (run.underline) node = <u>{node}</u>;
  return node;
}

/**
 * The captions showing at `time`, over the bottom of the picture: our own text (not the browser's cue box), so
 * the size can be large enough for older members and the text stays clear of the controls. The transcript
 * carries the same words for screen readers, so this is hidden from them.
 */
export function CaptionsOverlay({ captions, time }: { captions: CaptionsState; time: number }) {
  const lang = captions.showing;
  if (!lang) return null;
  const showing = cuesAt(captions.cuesOf(lang), time);
  if (showing.length === 0) return null;
  return (
    <div class={`captions-overlay${captions.large ? ' captions-overlay--large' : ''}`} lang={lang} aria-hidden="true">
      {showing.map((cue) => (
        <p class="captions-overlay__cue" key={`${cue.startSec}-${cue.text}`}>
          {cue.lines.map((line, i) => (
            <span class="captions-overlay__line" key={i}>
              {line.map((run, j) => (
                <Run run={run} key={j} />
              ))}
            </span>
          ))}
        </p>
      ))}
    </div>
  );
}

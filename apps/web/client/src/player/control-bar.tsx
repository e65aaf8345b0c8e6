import type { ComponentChildren, RefObject } from 'preact';
import { clock } from '../format/format.js';
import { useT } from '../i18n/use-t.js';
import { ChoiceMenu } from './choice-menu.js';
import { Icon } from './icons.js';
import { seekTargetForKey } from './keys.js';
import { PLAYBACK_RATES } from './preferences.js';
import type { QualityLevel } from './stream.js';

interface ControlBarProps {
  playButton: RefObject<HTMLButtonElement | null>;
  playing: boolean;
  time: number;
  duration: number;
  buffered: number;
  volume: number;
  muted: boolean;
  rate: number;
  levels: QualityLevel[];
  /** Chosen level index, -1 for automatic. */
  level: number;
  playingHeight: number | null;
  audioOnlyAvailable: boolean;
  audioOnly: boolean;
  fullscreen: boolean;
  canFullscreen: boolean;
  onTogglePlay(): void;
  onSeek(seconds: number, announce?: boolean): void;
  onVolume(volume: number): void;
  onToggleMute(): void;
  onRate(rate: number): void;
  onLevel(index: number): void;
  onToggleAudioOnly(): void;
  onToggleFullscreen(): void;
  /** Ticks over the progress bar where chapters start, and under it the chapter playing and the chapter list. */
  chapterMarks?: ComponentChildren;
  chapters?: ComponentChildren;
  /** The caption menu, when the lecture has captions. */
  captionsMenu?: ComponentChildren;
}

const rateLabel = (rate: number) => `${rate}×`;

export function ControlBar(props: ControlBarProps) {
  const { t } = useT();
  const { time, duration, level, levels, playingHeight } = props;
  const span = duration > 0 ? duration : 0;
  const played = span ? (time / span) * 100 : 0;
  const loaded = span ? (Math.max(props.buffered, time) / span) * 100 : 0;
  const silent = props.muted || props.volume === 0;

  const autoLabel = playingHeight && level === -1 ? t('player.qualityAutoNow', { height: playingHeight }) : t('player.qualityAuto');
  const chosen = levels.find((l) => l.index === level);
  const qualityChoices = [{ value: -1, label: t('player.qualityAuto') }, ...levels.map((l) => ({ value: l.index, label: `${l.height}p` }))];

  return (
    <div class="player__controls" role="group" aria-label={t('player.controls')}>
      <div class="player__timeline">
        <span class="player__seek-area">
          <input
            class="player__seek"
            type="range"
            min={0}
            max={Math.max(1, Math.floor(span))}
            step={1}
            value={Math.floor(time)}
            aria-label={t('player.seek')}
            aria-valuetext={t('player.seekValue', { current: clock(time), total: clock(span) })}
            style={{ '--played': `${played}%`, '--loaded': `${loaded}%` }}
            onInput={(event) => props.onSeek(Number(event.currentTarget.value))}
            onKeyDown={(event) => {
              const target = seekTargetForKey(event.key, time, span);
              if (target === null) return;
              event.preventDefault();
              props.onSeek(target, true);
            }}
          />
          {props.chapterMarks}
        </span>
        <span class="player__time" aria-hidden="true">
          {clock(time)} / {clock(span)}
        </span>
      </div>
      {props.chapters}
      <div class="player__buttons">
        <button ref={props.playButton} type="button" class="player__button player__button--play" onClick={props.onTogglePlay}>
          <Icon name={props.playing ? 'pause' : 'play'} />
          <span>{props.playing ? t('player.pause') : t('player.play')}</span>
        </button>
        <button type="button" class="player__button" aria-label={t('player.back10')} onClick={() => props.onSeek(time - 10, true)}>
          <Icon name="back" />
          <span aria-hidden="true">10</span>
        </button>
        <button type="button" class="player__button" aria-label={t('player.forward10')} onClick={() => props.onSeek(time + 10, true)}>
          <Icon name="forward" />
          <span aria-hidden="true">10</span>
        </button>
        <div class="player__volume">
          <button
            type="button"
            class="player__button"
            aria-label={silent ? t('player.unmute') : t('player.mute')}
            onClick={props.onToggleMute}
          >
            <Icon name={silent ? 'muted' : 'volume'} />
          </button>
          <input
            class="player__volume-slider"
            type="range"
            min={0}
            max={100}
            step={5}
            value={silent ? 0 : Math.round(props.volume * 100)}
            aria-label={t('player.volume')}
            aria-valuetext={`${silent ? 0 : Math.round(props.volume * 100)}%`}
            onInput={(event) => props.onVolume(Number(event.currentTarget.value) / 100)}
          />
        </div>
        <span class="player__spacer" />
        {props.captionsMenu}
        <ChoiceMenu
          label={t('player.speed')}
          current={rateLabel(props.rate)}
          choices={PLAYBACK_RATES.map((rate) => ({ value: rate as number, label: rateLabel(rate) }))}
          selected={props.rate}
          onChoose={props.onRate}
        />
        {levels.length > 1 && (
          <ChoiceMenu
            label={t('player.quality')}
            current={chosen ? `${chosen.height}p` : autoLabel}
            choices={qualityChoices}
            selected={level}
            onChoose={props.onLevel}
          />
        )}
        {props.audioOnlyAvailable && (
          <button type="button" class="player__button player__audio-only" aria-pressed={props.audioOnly} onClick={props.onToggleAudioOnly}>
            <Icon name="headphones" />
            <span>{t('player.audioOnly')}</span>
          </button>
        )}
        {props.canFullscreen && (
          <button
            type="button"
            class="player__button"
            aria-label={props.fullscreen ? t('player.exitFullscreen') : t('player.fullscreen')}
            onClick={props.onToggleFullscreen}
          >
            <Icon name={props.fullscreen ? 'exitFullscreen' : 'fullscreen'} />
          </button>
        )}
      </div>
    </div>
  );
}

export type PlayerAction =
  | { type: 'toggle' }
  | { type: 'seekBy'; seconds: number }
  | { type: 'volumeBy'; delta: number }
  | { type: 'fullscreen' }
  | { type: 'mute' };

export const SEEK_STEP_SEC = 10;
export const VOLUME_STEP = 0.1;

/** The shortcut behind a key press, or null for keys the player leaves alone. */
export function actionForKey(key: string): PlayerAction | null {
  switch (key) {
    case ' ':
    case 'Spacebar':
    case 'k':
    case 'K':
      return { type: 'toggle' };
    case 'ArrowLeft':
      return { type: 'seekBy', seconds: -SEEK_STEP_SEC };
    case 'ArrowRight':
      return { type: 'seekBy', seconds: SEEK_STEP_SEC };
    case 'ArrowUp':
      return { type: 'volumeBy', delta: VOLUME_STEP };
    case 'ArrowDown':
      return { type: 'volumeBy', delta: -VOLUME_STEP };
    case 'f':
    case 'F':
      return { type: 'fullscreen' };
    case 'm':
    case 'M':
      return { type: 'mute' };
    default:
      return null;
  }
}

/** The seek slider's own keys: arrows step 10 s like the shortcuts, Page keys a minute, Home/End the ends. */
export function seekTargetForKey(key: string, current: number, duration: number): number | null {
  const clamp = (value: number) => Math.max(0, Math.min(duration, value));
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      return clamp(current - SEEK_STEP_SEC);
    case 'ArrowRight':
    case 'ArrowUp':
      return clamp(current + SEEK_STEP_SEC);
    case 'PageDown':
      return clamp(current - 60);
    case 'PageUp':
      return clamp(current + 60);
    case 'Home':
      return 0;
    case 'End':
      return duration;
    default:
      return null;
  }
}

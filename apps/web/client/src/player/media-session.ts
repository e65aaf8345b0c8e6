/**
 * The lock screen and the notification shade (Media Session API): what plays, with play, pause and
 * 10-second jumps, and where playback is. A pending "still listening?" check-in shows there as the
 * title, since a lock screen offers no button of our own. Browsers without the API simply skip it.
 */

/** What the lock screen names: the lecture, its course, and a picture. */
export interface LockScreenInfo {
  title: string;
  /** Shown under the title (the course). */
  artist: string;
  artworkUrl: string | null;
}

/** The app's own icons, for lectures without a poster (most audio lectures). */
export const APP_ARTWORK: MediaImage[] = [
  { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
  { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
];

/** The lock screen's metadata; `checkinTitle` replaces the title while a check-in waits for its answer. */
export function lockScreenMetadata(info: LockScreenInfo, checkinTitle: string | null): MediaMetadataInit {
  return {
    title: checkinTitle ?? info.title,
    // While asking, the lecture's title moves to the second line so the member still knows what plays.
    artist: checkinTitle ? info.title : info.artist,
    album: checkinTitle ? info.artist : '',
    artwork: info.artworkUrl ? [{ src: info.artworkUrl }] : APP_ARTWORK,
  };
}

/**
 * The position state, or null when it cannot be told yet: browsers throw unless the duration is
 * known and positive, the rate positive, and the position within the duration.
 */
export function positionState(duration: number, playbackRate: number, position: number): MediaPositionState | null {
  if (!Number.isFinite(duration) || duration <= 0) return null;
  if (!Number.isFinite(playbackRate) || playbackRate <= 0) return null;
  const at = Number.isFinite(position) ? Math.min(Math.max(position, 0), duration) : 0;
  return { duration, playbackRate, position: at };
}

/** Seconds the lock screen's jump buttons move when the system does not say. */
export const DEFAULT_JUMP_SEC = 10;

export interface LockScreenHandlers {
  play(): void;
  pause(): void;
  /** A jump by `seconds` (negative: back). */
  seekBy(seconds: number): void;
  seekTo(position: number): void;
}

type ActionHandlers = Partial<Record<MediaSessionAction, MediaSessionActionHandler>>;

/** The handlers for each lock-screen action the player supports. */
export function actionHandlers(handlers: LockScreenHandlers): ActionHandlers {
  return {
    play: () => handlers.play(),
    pause: () => handlers.pause(),
    seekbackward: (details) => handlers.seekBy(-(details.seekOffset ?? DEFAULT_JUMP_SEC)),
    seekforward: (details) => handlers.seekBy(details.seekOffset ?? DEFAULT_JUMP_SEC),
    seekto: (details) => {
      if (typeof details.seekTime === 'number' && Number.isFinite(details.seekTime)) handlers.seekTo(details.seekTime);
    },
  };
}

/** The page's media session, or null where the browser has none. */
export function mediaSessionOf(nav: Navigator | undefined = typeof navigator === 'undefined' ? undefined : navigator): MediaSession | null {
  return nav && 'mediaSession' in nav && nav.mediaSession ? nav.mediaSession : null;
}

/**
 * Sets the lock screen's action handlers; answers the function that removes them. An action this
 * browser does not know is skipped (setActionHandler throws for it).
 */
export function bindLockScreen(session: MediaSession | null, handlers: LockScreenHandlers): () => void {
  if (!session) return () => undefined;
  const bound: MediaSessionAction[] = [];
  for (const [action, handler] of Object.entries(actionHandlers(handlers)) as Array<[MediaSessionAction, MediaSessionActionHandler]>) {
    try {
      session.setActionHandler(action, handler);
      bound.push(action);
    } catch {
      // Not supported here.
    }
  }
  return () => {
    for (const action of bound) {
      try {
        session.setActionHandler(action, null);
      } catch {
        // Gone with the page.
      }
    }
  };
}

/** Tells the lock screen where playback is; a state the browser refuses is left out. */
export function showPosition(session: MediaSession | null, state: MediaPositionState | null): void {
  if (!session || !state || typeof session.setPositionState !== 'function') return;
  try {
    session.setPositionState(state);
  } catch {
    // A transient value (the duration changing under a stream switch): the next update carries on.
  }
}

// Collective viewing: what the room's screen is given to play. Times are ISO 8601 strings; durations are seconds.

/** One rung of the lecture's ladder, for a screen that picks its own (a slow study-site link starts low). */
export interface GroupScreenRendition {
  name: string;
  kind: 'video' | 'audio';
  height: number | null;
  bandwidth: number;
  url: string;
}

/** `POST /api/group-sessions/:id/stream`: signed links for the screen, valid while the session is live. */
export interface GroupScreenStream {
  sessionId: string;
  lectureId: string;
  lectureTitle: string;
  durationSec: number;
  kind: 'video' | 'audio';
  /** The master playlist: every rung, the audio-only one included; hls.js picks by bandwidth. */
  masterUrl: string;
  /** Sound only, for a room with a poor link or no projector. */
  audioOnlyUrl: string | null;
  /** The lowest video rung's own playlist (null for an audio lecture). */
  lowestUrl: string | null;
  renditions: GroupScreenRendition[];
  posterUrl: string | null;
  /** Where the screen was when it last reported: resume there after a reload. */
  positionSec: number;
  playedSec: number;
  expiresAt: string;
}

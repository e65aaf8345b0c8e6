/** A heartbeat body for a playback session as the player sends it: a visible tick at normal speed, with `fields` on top. */
export const heartbeatBody = (
  session: { sessionId: string; heartbeatToken: string },
  seq: number,
  fields: Record<string, unknown> = {},
) => ({
  sessionId: session.sessionId,
  token: session.heartbeatToken,
  seq,
  intervals: [],
  position: 0,
  playbackRate: 1,
  visible: true,
  muted: false,
  event: 'tick',
  ...fields,
});

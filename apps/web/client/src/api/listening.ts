import type { AttentionCheckinAnswer, AttentionCheckinView } from '#contracts';
import { request } from './api.js';

export type { AttentionCheckinView };

/**
 * Answers "still listening?". Authenticated by the playback session's heartbeat token, as heartbeats are
 * (so it works from a page whose sign-in has lapsed); answering again is harmless.
 */
export function answerCheckin(sessionId: string, checkinId: string, token: string): Promise<AttentionCheckinView> {
  const body: AttentionCheckinAnswer = { token };
  return request<AttentionCheckinView>(
    'POST',
    `/api/playback/sessions/${encodeURIComponent(sessionId)}/checkins/${encodeURIComponent(checkinId)}/answer`,
    body,
  );
}

/** A member's check-ins, newest first, for an admin or inspector of their unit. */
export function memberCheckins(userId: string, range: { from?: string; to?: string } = {}): Promise<AttentionCheckinView[]> {
  const query = new URLSearchParams();
  if (range.from) query.set('from', range.from);
  if (range.to) query.set('to', range.to);
  const search = query.toString();
  const suffix = search ? `?${search}` : '';
  return request<AttentionCheckinView[]>('GET', `/api/reports/members/${encodeURIComponent(userId)}/checkins${suffix}`);
}

import type { EntityManager } from 'typeorm';

/** Why a live playback session stops counting: the member opened a newer one, or was deactivated. */
export type SessionEndReason = 'superseded' | 'deactivated';

/**
 * Ends the member's live playback session, if any, inside the caller's transaction. Its heartbeats
 * then find it ended (the write path's compare-and-set requires a live session) and are refused.
 */
export async function endLiveSession(tx: EntityManager, userId: string, reason: SessionEndReason): Promise<void> {
  await tx.query(`UPDATE playback_sessions SET superseded_at = now(), end_reason = $2 WHERE user_id = $1 AND superseded_at IS NULL`, [
    userId,
    reason,
  ]);
}

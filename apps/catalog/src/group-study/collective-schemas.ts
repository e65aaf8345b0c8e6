import { z } from 'zod';
import { HEARTBEAT_LIMITS } from '#watch';

const MediaSec = z
  .number('must be a number of seconds')
  .finite('must be a finite number of seconds')
  .min(0, 'must be ≥ 0')
  .max(HEARTBEAT_LIMITS.maxMediaSec, `must be ≤ ${HEARTBEAT_LIMITS.maxMediaSec} (no lecture is longer than a day)`);

/** `POST /api/group-sessions/:id/heartbeats`: what the screen played since its last heartbeat. */
export const ScreenHeartbeatSchema = z.object({
  seq: z
    .number('must be a number')
    .int('must be a whole number')
    .min(0, 'must be ≥ 0')
    .max(HEARTBEAT_LIMITS.maxSeq, `must be ≤ ${HEARTBEAT_LIMITS.maxSeq}; reload the screen to start counting again`),
  intervals: z
    .array(
      z.tuple([MediaSec, MediaSec], 'each interval must be a [start, end] pair of seconds').refine(([start, end]) => end >= start, {
        message: 'end must be ≥ start',
      }),
      'must be an array of [start, end] pairs (send [] while paused)',
    )
    .max(HEARTBEAT_LIMITS.maxIntervals, `at most ${HEARTBEAT_LIMITS.maxIntervals} intervals per heartbeat; send heartbeats more often`),
  position: MediaSec,
});
export type ScreenHeartbeatInput = z.infer<typeof ScreenHeartbeatSchema>;

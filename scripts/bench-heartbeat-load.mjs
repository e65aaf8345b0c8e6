// Heartbeat load the benchmarks share: playback sessions opened for given members, a stream of valid
// heartbeats cycling through them (each viewer's seq and media position moving on), and an autocannon
// run posting them. `bench:heartbeats` measures the ingest with it; `bench:reports` keeps it flowing while
// it times the reports. Needs `npm run build:server` (the token functions come from dist/).
import autocannon from 'autocannon';
import { join } from 'node:path';
import { ROOT } from './setup-steps.mjs';

const { playbackKey } = await import(join(ROOT, 'dist/apps/catalog/src/playback/playback-token.js'));
const { heartbeatToken } = await import(join(ROOT, 'dist/apps/catalog/src/study/heartbeat-token.js'));

/**
 * Opens one playback session per member on `lectureId` (its media `assetId`), five minutes ago: inside
 * the inactivity limit, and with wall time to spare for every claim. Returns the session ids.
 */
export async function openSessions(db, { userIds, lectureId, assetId }) {
  // A member has one live session: opening another ends the one a previous run left, as the player would.
  await db.query(
    `UPDATE playback_sessions SET superseded_at = now(), end_reason = 'superseded' WHERE user_id = ANY($1::uuid[]) AND superseded_at IS NULL`,
    [userIds],
  );
  const { rows } = await db.query(
    `INSERT INTO playback_sessions (user_id, lecture_id, asset_id, opened_at)
     SELECT u, $2, $3, now() - interval '5 minutes' FROM unnest($1::uuid[]) u RETURNING id`,
    [userIds, lectureId, assetId],
  );
  return rows.map((r) => r.id);
}

/** A function giving the next heartbeat's body: viewer after viewer, each claiming the next `claimSec` of media. */
export function heartbeatStream(secret, sessions, claimSec) {
  const key = playbackKey(secret);
  const tokens = sessions.map((id) => heartbeatToken(key, id));
  const seqs = new Array(sessions.length).fill(0);
  let cursor = 0;
  return () => {
    const i = cursor++ % sessions.length;
    const seq = ++seqs[i];
    const start = (seq - 1) * claimSec;
    return JSON.stringify({
      sessionId: sessions[i],
      token: tokens[i],
      seq,
      intervals: [[start, start + claimSec]],
      position: start + claimSec,
      playbackRate: 1,
      visible: true,
      event: 'tick',
    });
  };
}

/**
 * Posts `nextBody()` to `url` over `connections` connections for `seconds` (or exactly `amount` requests),
 * calling `onAnswer(status, body)` for each answer. Resolves with autocannon's result.
 */
export function load(url, nextBody, onAnswer, { connections, seconds, amount }) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        connections,
        ...(amount ? { amount } : { duration: seconds }),
        headers: { 'content-type': 'application/json' },
        requests: [{ setupRequest: (request) => ({ ...request, body: nextBody() }), onResponse: onAnswer }],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('error', reject);
  });
}

import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AssetOutputs, PlaybackSessionView } from '#contracts';

export type { PlaybackSessionView };
import type { Principal } from '#auth';
import { VISIBLE_TO_MEMBER } from '../courses/courses.repository.js';
import { heartbeatToken } from '../study/heartbeat-token.js';
import { endLiveSession } from './playback-sessions.js';
import { signPlaybackToken, type PlaybackGrant } from './playback-token.js';

export const PLAYBACK_OPTIONS = Symbol('PLAYBACK_OPTIONS');
export interface PlaybackOptions {
  key: Buffer;
  ttlSeconds: number;
}

/** Where to resume: a lecture watched to its last few seconds starts again from the beginning. */
export function resumeFrom(positionSec: number, durationSec: number): number {
  return durationSec > 0 && positionSec >= durationSec - 10 ? 0 : Math.max(0, Math.floor(positionSec));
}

/** Opens playback: one live session per person, and short-lived signed URLs for the lecture's media. */
@Injectable()
export class PlaybackService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PLAYBACK_OPTIONS) private readonly options: PlaybackOptions,
  ) {}

  async open(principal: Principal, lectureId: string): Promise<PlaybackSessionView> {
    const [lecture] = await this.db.query(
      `SELECT l.id, l.title, l.course_id, c.title AS course_title, l.asset_id, c.status AS course_status, m.status AS media_status, m.duration_sec, m.outputs
         FROM lectures l JOIN courses c ON c.id = l.course_id LEFT JOIN lecture_media m ON m.asset_id = l.asset_id
        WHERE l.id = $1`,
      [lectureId],
    );
    if (!lecture) throw new NotFoundException('No such lecture.');
    // Editors and admins preview anything; members only published lectures meant for their unit.
    if (principal.role === 'member') {
      const [unit] = await this.db.query(`SELECT path FROM org_units WHERE id = $1`, [principal.orgUnitId]);
      const [visible] = await this.db.query(`SELECT 1 FROM courses c WHERE c.id = $2 AND c.status = 'published' AND ${VISIBLE_TO_MEMBER}`, [
        unit?.path ?? '',
        lecture.course_id,
      ]);
      if (!visible || lecture.media_status !== 'ready') throw new NotFoundException('No such lecture, or it is not open to you.');
    }
    if (lecture.media_status !== 'ready' || !lecture.asset_id) {
      throw new ConflictException('This lecture has no playable media yet. Try again when transcoding has finished.');
    }
    const session = await this.db.transaction(async (tx) => {
      await endLiveSession(tx, principal.userId, 'superseded');
      const [row] = await tx.query(`INSERT INTO playback_sessions (user_id, lecture_id, asset_id) VALUES ($1, $2, $3) RETURNING id`, [
        principal.userId,
        lectureId,
        lecture.asset_id,
      ]);
      await tx.query(`UPDATE courses SET play_count = play_count + 1 WHERE id = $1`, [lecture.course_id]);
      return row as { id: string };
    });
    const [progress] = await this.db.query(
      `SELECT last_position_sec, credited_sec FROM lecture_progress WHERE user_id = $1 AND lecture_id = $2`,
      [principal.userId, lectureId],
    );
    const expiresAt = Math.floor(Date.now() / 1000) + this.options.ttlSeconds;
    const grant: PlaybackGrant = { assetId: lecture.asset_id, sessionId: session.id, userId: principal.userId, expiresAt };
    const base = `/hls/${signPlaybackToken(this.options.key, grant)}/${lecture.asset_id}`;
    const outputs = lecture.outputs as AssetOutputs;
    const url = (path: string | null) => (path ? `${base}/${path}` : null);
    return {
      sessionId: session.id,
      lectureId,
      lectureTitle: lecture.title,
      courseId: lecture.course_id,
      courseTitle: lecture.course_title,
      resumePositionSec: resumeFrom(progress?.last_position_sec ?? 0, Number(lecture.duration_sec ?? 0)),
      durationSec: Number(lecture.duration_sec ?? 0),
      masterUrl: `${base}/${outputs.master}`,
      audioOnlyUrl: url(outputs.audioOnly),
      downloadUrl: url(outputs.download),
      posterUrl: url(outputs.poster),
      expiresAt: new Date(expiresAt * 1000).toISOString(),
      creditedSec: progress?.credited_sec ?? 0,
      heartbeatToken: heartbeatToken(this.options.key, session.id),
    };
  }

  /** Storage key of a lecture's poster; posters carry no secrets, so they are served without a token. */
  async posterKey(lectureId: string): Promise<string> {
    const [row] = await this.db.query(
      `SELECT m.outputs FROM lectures l JOIN lecture_media m ON m.asset_id = l.asset_id AND m.status = 'ready' WHERE l.id = $1`,
      [lectureId],
    );
    const outputs = row?.outputs as AssetOutputs | undefined;
    if (!outputs?.poster) throw new NotFoundException('This lecture has no poster.');
    return `${outputs.prefix}/${outputs.poster}`;
  }
}

import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AssetOutputs, PlaybackDownload, PlaybackSessionView, PreviewPlayback } from '#contracts';

export type { PlaybackSessionView };
import type { Principal } from '#auth';
import { playbackAccess } from '../courses/access-rules.js';
import { VISIBLE_TO_MEMBER } from '../courses/courses.repository.js';
import { heartbeatToken } from '../study/heartbeat-token.js';
import type { Storage } from '#storage';
import { PREVIEW_OF } from '../media/preview.events.js';
import { STORAGE } from '../media/storage.provider.js';
import { downloadFileName, offeredDownloads } from './download-offer.js';
import { endLiveSession } from './playback-sessions.js';
import { playbackKey, signPlaybackToken, type PlaybackGrant } from './playback-token.js';

export const PLAYBACK_OPTIONS = Symbol('PLAYBACK_OPTIONS');
export interface PlaybackOptions {
  /** Signs playback, heartbeat and record-link tokens. */
  key: Buffer;
  /** Keys a token may be signed with: `key`, then, while JWT_SECRET is rotated, the one from JWT_SECRET_PREVIOUS. */
  verifyKeys: readonly Buffer[];
  ttlSeconds: number;
}

/** The playback options of a service secret and, during a rotation, the secret being retired. */
export function playbackOptions(secret: string, previousSecret: string | undefined, ttlSeconds: number): PlaybackOptions {
  const key = playbackKey(secret);
  return { key, verifyKeys: previousSecret ? [key, playbackKey(previousSecret)] : [key], ttlSeconds };
}

// Two int4 keys for pg_advisory_xact_lock: "PLAY" and the person's id hashed, so one person's opens take turns.
const OPEN_LOCK = 0x504c4159;

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
    @Inject(STORAGE) private readonly storage: Storage,
  ) {}

  async open(principal: Principal, lectureId: string): Promise<PlaybackSessionView & PreviewPlayback> {
    const { lecture, session } = await this.db.transaction(async (tx) => {
      // One person's opens take turns, so each ends the one before it instead of colliding on the
      // one-live-session index: two screens opening at once both get a session, the later one live.
      await tx.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [OPEN_LOCK, principal.userId]);
      // The course row stays locked until the session exists, so unpublishing the course or changing
      // its audience either comes first (and is seen below) or waits and then ends this session too.
      await tx.query(`SELECT 1 FROM courses c JOIN lectures l ON l.course_id = c.id WHERE l.id = $1 FOR NO KEY UPDATE OF c`, [lectureId]);
      // The caller's unit as it is now: a renamed or moved unit never widens what a token opens.
      const [unit] = await tx.query(`SELECT path FROM org_units WHERE id = $1`, [principal.orgUnitId]);
      // A removed lecture kept for its study records (archived) is no longer opened by anyone.
      const [lecture] = await tx.query(
        `SELECT l.id, l.title, l.course_id, c.title AS course_title, l.asset_id, c.status AS course_status, m.status AS media_status, m.kind AS media_kind, m.duration_sec, m.outputs,
                o.path AS owner_path, ${VISIBLE_TO_MEMBER} AS visible, c.publish_when_previewable,
                p.outputs AS preview_outputs, p.kind AS preview_kind, p.duration_sec AS preview_duration_sec
           FROM lectures l JOIN courses c ON c.id = l.course_id JOIN org_units o ON o.id = c.owner_unit_id
           LEFT JOIN lecture_media m ON m.asset_id = l.asset_id
           LEFT JOIN LATERAL (${PREVIEW_OF('l.asset_id')}) p ON true
          WHERE l.id = $2 AND l.archived_at IS NULL`,
        [unit?.path ?? '', lectureId],
      );
      // Everyone opens published lectures of courses shown to their unit; editors also preview the courses
      // they may edit, in any state. Admins are no exception: no drafts, no other branch's courses.
      const access = lecture
        ? playbackAccess(
            { role: principal.role, unitPath: unit?.path ?? '' },
            { status: lecture.course_status, ownerPath: lecture.owner_path, visibleToCaller: lecture.visible },
          )
        : 'none';
      // Media still being encoded plays as it grows for editors, and for members when the course publishes before ready.
      const growing = lecture && lecture.media_status !== 'ready' && lecture.preview_outputs !== null;
      const mayPlayGrowing = growing && (access === 'preview' || lecture.publish_when_previewable === true);
      if (access === 'none' || (access === 'learner' && lecture.media_status !== 'ready' && !mayPlayGrowing)) {
        throw new NotFoundException('No such lecture, or it is not open to you.');
      }
      if ((lecture.media_status !== 'ready' && !mayPlayGrowing) || !lecture.asset_id) {
        throw new ConflictException('This lecture has no playable media yet. Try again when transcoding has finished.');
      }
      if (mayPlayGrowing) {
        Object.assign(lecture, {
          outputs: lecture.preview_outputs,
          media_kind: lecture.preview_kind,
          duration_sec: lecture.preview_duration_sec,
          still_encoding: true,
        });
      }
      await endLiveSession(tx, principal.userId, 'superseded');
      const [row] = await tx.query(`INSERT INTO playback_sessions (user_id, lecture_id, asset_id) VALUES ($1, $2, $3) RETURNING id`, [
        principal.userId,
        lectureId,
        lecture.asset_id,
      ]);
      await tx.query(`UPDATE courses SET play_count = play_count + 1 WHERE id = $1`, [lecture.course_id]);
      return { lecture, session: row as { id: string } };
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
    const downloads = await this.downloadsOf(outputs, lecture.title, base);
    return {
      sessionId: session.id,
      lectureId,
      lectureTitle: lecture.title,
      courseId: lecture.course_id,
      courseTitle: lecture.course_title,
      resumePositionSec: resumeFrom(progress?.last_position_sec ?? 0, Number(lecture.duration_sec ?? 0)),
      durationSec: Number(lecture.duration_sec ?? 0),
      kind: lecture.media_kind === 'audio' ? 'audio' : 'video',
      masterUrl: `${base}/${outputs.master}`,
      audioOnlyUrl: url(outputs.audioOnly),
      downloadUrl: url(outputs.download),
      downloads,
      posterUrl: url(outputs.poster),
      expiresAt: new Date(expiresAt * 1000).toISOString(),
      creditedSec: progress?.credited_sec ?? 0,
      heartbeatToken: heartbeatToken(this.options.key, session.id),
      stillEncoding: lecture.still_encoding === true,
    };
  }

  /** Signed links to the offline files, named for saving; a set published before sizes were recorded is sized from storage. */
  private async downloadsOf(outputs: AssetOutputs, title: string, base: string): Promise<PlaybackDownload[]> {
    return Promise.all(
      offeredDownloads(outputs).map(async (download) => ({
        quality: download.quality,
        url: `${base}/${download.file}`,
        bytes: download.bytes ?? (await this.storage.stat(`${outputs.prefix}/${download.file}`).catch(() => null))?.size ?? null,
        fileName: downloadFileName(title, download),
        ...(download.width && download.height ? { width: download.width, height: download.height } : {}),
      })),
    );
  }

  /**
   * Storage key of a lecture's poster: the ready media's, else (still being encoded) the growing set's. Posters
   * carry no secrets, so they are served without a token.
   */
  async posterKey(lectureId: string): Promise<string> {
    const [row] = await this.db.query(
      `SELECT COALESCE(m.outputs, p.outputs) AS outputs
         FROM lectures l LEFT JOIN lecture_media m ON m.asset_id = l.asset_id AND m.status = 'ready'
         LEFT JOIN LATERAL (${PREVIEW_OF('l.asset_id')}) p ON true
        WHERE l.id = $1`,
      [lectureId],
    );
    const outputs = row?.outputs as AssetOutputs | undefined;
    if (!outputs?.poster) throw new NotFoundException('This lecture has no poster.');
    return `${outputs.prefix}/${outputs.poster}`;
  }
}

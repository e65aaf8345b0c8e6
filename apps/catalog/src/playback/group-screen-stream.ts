import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AssetOutputs } from '#contracts';
import type { GroupScreenStream } from '../../../../libs/contracts/src/collective.js';
import { liveGroupScreens } from './group-screen-access.js';
import { signPlaybackToken } from './playback-token.js';
import { PLAYBACK_OPTIONS, type PlaybackOptions } from './playback.service.js';

/**
 * Signed media links for a collective viewing's screen. No playback session is opened: the screen is not a
 * member watching (the leader's own study is untouched, and the leader's own playback goes on elsewhere); its
 * links name the group session, and the media checks admit them while the session is live (LIVE_GROUP_SCREENS).
 */
@Injectable()
export class GroupScreenStreamService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PLAYBACK_OPTIONS) private readonly options: PlaybackOptions,
  ) {}

  /** The caller has been admitted as the session's manager; the session is live. */
  async links(sessionId: string, userId: string): Promise<GroupScreenStream> {
    const [row] = (await this.db.query(liveGroupScreens('= $1::uuid'), [sessionId])) as Array<{ id: string }>;
    const [lecture] = (await this.db.query(
      `SELECT l.id, l.title, l.asset_id, m.kind, m.duration_sec, m.outputs, g.position_sec, g.played_sec
         FROM group_sessions g JOIN lectures l ON l.id = g.lecture_id
         LEFT JOIN lecture_media m ON m.asset_id = l.asset_id AND m.status = 'ready'
        WHERE g.id = $1`,
      [sessionId],
    )) as Array<{
      id: string;
      title: string;
      asset_id: string | null;
      kind: string | null;
      duration_sec: number | null;
      outputs: AssetOutputs | null;
      position_sec: number;
      played_sec: number;
    }>;
    if (!row || !lecture) {
      throw new ConflictException(
        'This lecture is no longer open to the session’s unit (unpublished, archived or shown elsewhere). End the session, or choose another lecture.',
      );
    }
    if (!lecture.asset_id || !lecture.outputs) {
      throw new ConflictException('This lecture has no playable media yet. Try again when transcoding has finished.');
    }
    const expiresAt = Math.floor(Date.now() / 1000) + this.options.ttlSeconds;
    const token = signPlaybackToken(this.options.key, { assetId: lecture.asset_id, sessionId, userId, expiresAt });
    const base = `/hls/${token}/${lecture.asset_id}`;
    const outputs = lecture.outputs;
    const url = (path: string | null) => (path ? `${base}/${path}` : null);
    const videos = outputs.renditions.filter((r) => r.kind === 'video').sort((a, b) => a.bandwidth - b.bandwidth);
    return {
      sessionId,
      lectureId: lecture.id,
      lectureTitle: lecture.title,
      durationSec: Number(lecture.duration_sec ?? 0),
      kind: lecture.kind === 'audio' ? 'audio' : 'video',
      masterUrl: `${base}/${outputs.master}`,
      audioOnlyUrl: url(outputs.audioOnly),
      lowestUrl: videos[0] ? `${base}/${videos[0].playlist}` : null,
      renditions: outputs.renditions.map((r) => ({
        name: r.name,
        kind: r.kind,
        height: r.height ?? null,
        bandwidth: r.bandwidth,
        url: `${base}/${r.playlist}`,
      })),
      posterUrl: url(outputs.poster),
      positionSec: lecture.position_sec,
      playedSec: lecture.played_sec,
      expiresAt: new Date(expiresAt * 1000).toISOString(),
    };
  }
}

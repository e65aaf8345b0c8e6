import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { LecturePreviewView } from '#contracts';
import type { Principal } from '#auth';
import { mayEditCourse } from '../courses/access-rules.js';
import { PREVIEW_OF } from './preview.events.js';

/** Where a lecture's media stands for its editors: nothing playable yet, playable while encoding, ready or failed. */
@Injectable()
export class PreviewService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async lecturePreview(principal: Principal, lectureId: string): Promise<LecturePreviewView> {
    const [unit] = await this.db.query(`SELECT path FROM org_units WHERE id = $1`, [principal.orgUnitId]);
    const [row] = await this.db.query(
      `SELECT l.id, l.asset_id, c.status AS course_status, c.publish_when_previewable, o.path AS owner_path,
              m.status AS media_status, p.previewable_at
         FROM lectures l JOIN courses c ON c.id = l.course_id JOIN org_units o ON o.id = c.owner_unit_id
         LEFT JOIN lecture_media m ON m.asset_id = l.asset_id
         LEFT JOIN LATERAL (${PREVIEW_OF('l.asset_id')}) p ON true
        WHERE l.id = $1 AND l.archived_at IS NULL`,
      [lectureId],
    );
    if (!row || !mayEditCourse({ role: principal.role, unitPath: unit?.path ?? '' }, row.owner_path)) {
      throw new NotFoundException('No such lecture among the courses you edit.');
    }
    const state: LecturePreviewView['state'] =
      row.media_status === 'ready' ? 'ready' : row.media_status === 'failed' ? 'failed' : row.previewable_at ? 'previewable' : 'none';
    const published = row.course_status === 'published';
    return {
      lectureId,
      assetId: row.asset_id ?? null,
      state,
      previewableAt: state === 'previewable' ? new Date(row.previewable_at).toISOString() : null,
      membersMayPlay: published && (state === 'ready' || (state === 'previewable' && row.publish_when_previewable === true)),
    };
  }
}

import { ConflictException, GoneException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { Principal } from '#auth';
import type { MaterialLinks, MaterialListView, MaterialView, MaterialWithLinks } from '#contracts';
import { playbackAccess, type PlaybackAccess } from '../courses/access-rules.js';
import { PLAYBACK_OPTIONS, type PlaybackOptions } from '../playback/playback.service.js';
import { CatalogDocumentsQueue } from './documents-queue.js';
import { materialLinkKey, signMaterialLink, verifyMaterialLink, type MaterialLinkVariant } from './material-link.js';
import type { UpdateMaterialBody } from './materials.schemas.js';
import { MaterialsRepository, type CourseAccessRow, type MaterialAccessRow, type MaterialRow } from './materials.repository.js';

const NO_COURSE = 'No such course.';
const NO_LECTURE = 'No such lecture.';
const NO_MATERIAL = 'No such material.';

/** Where signed material files are served (routed to the catalog like the rest of /api). */
export const MATERIAL_FILES_PATH = '/api/material-files';

/** What the caller may do with a course's materials: edit them (and see every state), read them as a member, or nothing. */
export function courseAccess(row: CourseAccessRow | null): PlaybackAccess {
  if (!row || !row.active) return 'none';
  return playbackAccess(
    { role: row.role as Principal['role'], unitPath: row.unit_path },
    { status: row.course_status, ownerPath: row.owner_path, visibleToCaller: row.visible },
  );
}

/** Members see live materials of the course itself or of a lecture they can open. */
export const memberSees = (row: Pick<MaterialRow, 'archived_at' | 'lecture_open'>): boolean =>
  row.archived_at === null && row.lecture_open !== false;

export function materialView(row: MaterialRow, editor: boolean): MaterialView {
  return {
    id: row.id,
    courseId: row.course_id,
    lectureId: row.lecture_id,
    title: row.title,
    fileName: row.file_name,
    kind: row.kind,
    sizeBytes: Number(row.size_bytes),
    state: row.state,
    readable: row.state === 'ready' && row.pdf_key !== null,
    pageCount: row.page_count,
    position: row.position,
    problem:
      editor && row.state === 'failed'
        ? { code: row.failure_code ?? 'conversion_failed', message: row.failure_message ?? 'The conversion to PDF failed.' }
        : null,
    createdAt: row.created_at.toISOString(),
    archivedAt: row.archived_at?.toISOString() ?? null,
  };
}

export type MaterialFile = { ok: true; key: string; downloadName?: string } | { ok: false; status: 403 | 404 | 410; message: string };

/**
 * Course and lecture materials: who may list and open them (the playback rule: editors of the course, and
 * members the published course is open to), signed expiring links to their PDF and original, and the
 * editor's changes. Materials are archived, never deleted.
 */
@Injectable()
export class MaterialsService {
  private readonly logger = new Logger(MaterialsService.name);
  private readonly signKey: Buffer;
  private readonly verifyKeys: Buffer[];

  constructor(
    private readonly materials: MaterialsRepository,
    private readonly queue: CatalogDocumentsQueue,
    @Inject(PLAYBACK_OPTIONS) private readonly options: PlaybackOptions,
  ) {
    this.signKey = materialLinkKey(options.key);
    this.verifyKeys = options.verifyKeys.map(materialLinkKey);
  }

  async listForCourse(principal: Principal, courseId: string, includeArchived = false): Promise<MaterialListView> {
    const access = courseAccess(await this.materials.course(principal.userId, courseId));
    if (access === 'none') throw new NotFoundException(NO_COURSE);
    return this.render(await this.materials.list({ courseId }, includeArchived && access === 'preview'), access);
  }

  async listForLecture(principal: Principal, lectureId: string): Promise<MaterialListView> {
    const row = await this.materials.lecture(principal.userId, lectureId);
    const access = courseAccess(row);
    if (access === 'none' || (access === 'learner' && (row!.lecture_archived || !row!.members_may_play))) {
      throw new NotFoundException(NO_LECTURE);
    }
    return this.render(await this.materials.list({ lectureId }, false), access);
  }

  /** The editor's list: every state and problem, archived ones too when asked. */
  async studioList(principal: Principal, courseId: string, includeArchived: boolean): Promise<MaterialListView> {
    const access = courseAccess(await this.materials.course(principal.userId, courseId));
    if (access !== 'preview') throw new NotFoundException(NO_COURSE);
    return this.render(await this.materials.list({ courseId }, includeArchived), access);
  }

  /** One material with fresh signed links to read its PDF and download its original. */
  async open(principal: Principal, materialId: string): Promise<MaterialWithLinks> {
    const row = await this.materials.material(principal.userId, materialId);
    const access = this.accessTo(row);
    if (access === 'none') throw new NotFoundException(NO_MATERIAL);
    if (row!.archived_at !== null) throw new GoneException('This material was archived, so it can no longer be opened.');
    return { ...materialView(row!, access === 'preview'), links: this.links(row!, principal.userId) };
  }

  async update(principal: Principal, materialId: string, body: UpdateMaterialBody): Promise<MaterialView> {
    const row = await this.editable(principal, materialId);
    if (row.archived_at !== null) throw new ConflictException('This material is archived, so it cannot be changed.');
    if (body.lectureId && !(await this.materials.lectureOfCourse(body.lectureId, row.course_id))) {
      throw new NotFoundException('lectureId: no such lecture in this course. Choose one of its lectures, or null for the whole course.');
    }
    if (!(await this.materials.update(materialId, row.course_id, body))) {
      throw new ConflictException('This material is archived, so it cannot be changed.');
    }
    return materialView((await this.materials.byId(materialId))!, true);
  }

  async archive(principal: Principal, materialId: string): Promise<MaterialView> {
    await this.editable(principal, materialId);
    // Archiving twice leaves it as it is.
    await this.materials.archive(materialId, principal.userId);
    return materialView((await this.materials.byId(materialId))!, true);
  }

  /**
   * Takes an archived material back: members see it again (if its lecture is open to them), last in the course's
   * list. Fenced like archiving (editors of the course); a course that is archived keeps its materials as they are.
   */
  async restore(principal: Principal, materialId: string): Promise<MaterialView> {
    const row = await this.editable(principal, materialId);
    if (row.archived_at !== null && row.course_status === 'archived') {
      throw new ConflictException('This course is archived, so its materials cannot be restored. Restore the course first.');
    }
    // Restoring a live material (or twice) leaves it as it is.
    await this.materials.restore(materialId, row.course_id);
    return materialView((await this.materials.byId(materialId))!, true);
  }

  /** Converts a failed Office document again (after the editor fixed nothing: e.g. the converter was away). */
  async retry(principal: Principal, materialId: string): Promise<MaterialView> {
    const row = await this.editable(principal, materialId);
    if (!(await this.materials.retry(materialId))) {
      const why =
        row.archived_at !== null
          ? 'This material is archived.'
          : !['docx', 'pptx', 'xlsx'].includes(row.kind)
            ? 'Only Word, PowerPoint and Excel files are converted.'
            : `Its conversion has not failed (it is ${row.state}).`;
      throw new ConflictException(`${why} There is nothing to try again.`);
    }
    try {
      await this.queue.requeue(materialId);
    } catch (error) {
      // The row says converting: the upload service's reconciler queues it once Redis is back.
      this.logger.warn(`material ${materialId} waits for its conversion job: ${(error as Error).message}`);
    }
    return materialView((await this.materials.byId(materialId))!, true);
  }

  /** Whether a signed link may be served now, and which stored file it names. */
  async file(token: string, materialId: string, variant: MaterialLinkVariant): Promise<MaterialFile> {
    const verdict = verifyMaterialLink(this.verifyKeys, token, materialId, variant, Math.floor(Date.now() / 1000));
    if (!verdict.ok) {
      return verdict.problem === 'expired'
        ? { ok: false, status: 410, message: 'This link has expired. Open the material again to get a new one.' }
        : { ok: false, status: 403, message: 'This link is not valid.' };
    }
    // Asked on every request: a deactivated account, an archived material or a withdrawn course stop it at once.
    const row = await this.materials.material(verdict.grant.userId, materialId);
    if (this.accessTo(row) === 'none' || row!.archived_at !== null) {
      return { ok: false, status: 403, message: 'This material is no longer open to you, so its link was closed.' };
    }
    if (variant === 'read') {
      return row!.pdf_key && row!.state === 'ready'
        ? { ok: true, key: row!.pdf_key }
        : { ok: false, status: 404, message: 'This material has no PDF to read. Download it instead.' };
    }
    return { ok: true, key: row!.source_key, downloadName: row!.file_name };
  }

  private accessTo(row: MaterialAccessRow | null): PlaybackAccess {
    const access = courseAccess(row);
    if (access === 'learner' && !memberSees(row!)) return 'none';
    return access;
  }

  private async editable(principal: Principal, materialId: string): Promise<MaterialAccessRow> {
    const row = await this.materials.material(principal.userId, materialId);
    if (courseAccess(row) !== 'preview') throw new NotFoundException(NO_MATERIAL);
    return row!;
  }

  private render(rows: MaterialRow[], access: PlaybackAccess): MaterialListView {
    const editor = access === 'preview';
    return { materials: rows.filter((row) => editor || memberSees(row)).map((row) => materialView(row, editor)) };
  }

  private links(row: MaterialRow, userId: string): MaterialLinks {
    const expiresAt = Math.floor(Date.now() / 1000) + this.options.ttlSeconds;
    const url = (variant: MaterialLinkVariant) =>
      `${MATERIAL_FILES_PATH}/${signMaterialLink(this.signKey, { materialId: row.id, userId, variant, expiresAt })}/${row.id}/${variant}`;
    return {
      readUrl: row.state === 'ready' && row.pdf_key ? url('read') : null,
      downloadUrl: url('download'),
      expiresAt: new Date(expiresAt * 1000).toISOString(),
    };
  }
}

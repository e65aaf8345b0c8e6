import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Principal } from '#auth';
import type { Storage } from '#storage';
import { STORAGE } from '../media/storage.provider.js';
import type { OrgUnit } from '../org/org-unit.entity.js';
import { ScopeService } from '../org/scope.service.js';
import { isCommittee, mayAddSharedCategory, mayEditCourse, mayNameAudience, type Caller } from './access-rules.js';
import { Course, CourseCategory, CourseVisibility, Lecture, type CourseStatus } from './course.entities.js';
import type {
  CreateCourseCategoryInput,
  CreateCourseInput,
  CreateLectureInput,
  UpdateCourseInput,
  UpdateLectureInput,
} from './course.schemas.js';
import type { CategoryView, StudioCourse, StudioLecture } from './course.views.js';
import { CoursesRepository } from './courses.repository.js';
import { earlyPublishRefusal, type LectureForPublishing } from './early-publish.js';
import { endSessionsExcludedFromCourse, endSessionsOfArchivedLecture } from '../playback/playback-sessions.js';

const MAX_COVER_BYTES = 2 * 1024 * 1024;

/** Image types we keep as covers, recognised by their first bytes rather than the declared type. */
export function imageTypeOf(data: Buffer): 'jpg' | 'png' | 'webp' | null {
  if (data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpg';
  if (data.length > 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (data.length > 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

const PAST_TENSE = { publish: 'published', unpublish: 'unpublished', archive: 'archived' } as const;

const ALLOWED_TRANSITIONS: Record<string, CourseStatus[]> = {
  publish: ['draft', 'archived'],
  unpublish: ['published'],
  archive: ['draft', 'published'],
};

/** Editors' side of the catalog: courses in every state, their lectures, order, media and covers. */
@Injectable()
export class StudioService {
  constructor(
    private readonly courses: CoursesRepository,
    @Inject(STORAGE) private readonly storage: Storage,
    private readonly scope: ScopeService,
  ) {}

  private get db() {
    return this.courses.db;
  }

  async categories(): Promise<CategoryView[]> {
    const rows = await this.db.getRepository(CourseCategory).find({ order: { builtin: 'DESC', createdAt: 'ASC' } });
    return rows.map(({ id, code, nameZh, nameEn }) => ({ id, code, nameZh, nameEn }));
  }

  async createCategory(principal: Principal, input: CreateCourseCategoryInput): Promise<CategoryView> {
    const { caller } = await this.callerOf(principal);
    if (!mayAddSharedCategory(caller, 'course')) {
      throw new ForbiddenException(
        'Course categories are shared by the whole organisation, so only its committee editors and administrators add them. Ask them to add this one.',
      );
    }
    const repo = this.db.getRepository(CourseCategory);
    if (await repo.existsBy({ code: input.code })) throw new ConflictException(`The category "${input.code}" already exists.`);
    const { id, code, nameZh, nameEn } = await repo.save(repo.create({ ...input, builtin: false }));
    return { id, code, nameZh, nameEn };
  }

  /** The units an editor may name in an audience or make a course's owner: their own unit's subtree. */
  async units(principal: Principal): Promise<Array<{ id: string; name: string; path: string }>> {
    const { unit } = await this.callerOf(principal);
    return this.db.query(`SELECT id, name, path FROM org_units WHERE path = $1 OR path LIKE $1 || '/%' ORDER BY path`, [unit.path]);
  }

  /** The courses the editor may edit: those owned by their unit's subtree. */
  async list(principal: Principal): Promise<StudioCourse[]> {
    const { unit } = await this.callerOf(principal);
    const courses: Array<{ id: string }> = await this.db.query(
      `SELECT c.id FROM courses c JOIN org_units o ON o.id = c.owner_unit_id
        WHERE o.path = $1 OR o.path LIKE $1 || '/%'
        ORDER BY c.updated_at DESC`,
      [unit.path],
    );
    return Promise.all(courses.map((course) => this.render(course.id)));
  }

  async view(principal: Principal, courseId: string): Promise<StudioCourse> {
    await this.editableCourse(principal, courseId);
    return this.render(courseId);
  }

  private async render(courseId: string): Promise<StudioCourse> {
    const course = await this.db.getRepository(Course).findOneBy({ id: courseId });
    if (!course) throw new NotFoundException('No such course.');
    const [ownerUnit]: Array<{ id: string; name: string; path: string }> = await this.db.query(
      `SELECT id, name, path FROM org_units WHERE id = $1`,
      [course.ownerUnitId],
    );
    const [card] = await this.courses.cards('c.id = $1', [courseId]);
    const lectures = await this.courses.lectures(courseId, false);
    const visibility = await this.db.getRepository(CourseVisibility).findBy({ courseId });
    return {
      ...card,
      status: course.status,
      ownerUnit,
      visibleUnitIds: visibility.map((v) => v.orgUnitId),
      publishWhenPreviewable: course.publishWhenPreviewable,
      lectures,
    };
  }

  async create(principal: Principal, input: CreateCourseInput): Promise<StudioCourse> {
    const { caller, unit } = await this.callerOf(principal);
    const owner = input.ownerUnitId ? await this.scope.unitInScope(principal, input.ownerUnitId) : unit;
    await this.assertCategory(input.categoryId);
    // Left out, the audience is everyone for a committee editor and the owning unit for anyone else.
    const visibleUnitIds = input.visibleUnitIds ?? (isCommittee(caller) ? [] : [owner.id]);
    await this.assertAudience(caller, visibleUnitIds);
    const id = await this.db.transaction(async (tx) => {
      const course = await tx.save(
        tx.create(Course, {
          title: input.title,
          description: input.description,
          categoryId: input.categoryId,
          compulsory: input.compulsory,
          publishWhenPreviewable: input.publishWhenPreviewable,
          status: 'draft',
          createdBy: principal.userId,
          ownerUnitId: owner.id,
          playCount: 0,
        }),
      );
      await this.replaceVisibility(tx, course.id, visibleUnitIds);
      await this.courses.refreshSearch(course.id, tx);
      return course.id;
    });
    return this.render(id);
  }

  async update(principal: Principal, courseId: string, input: UpdateCourseInput): Promise<StudioCourse> {
    const { caller } = await this.editableCourse(principal, courseId);
    if (input.ownerUnitId) await this.scope.unitInScope(principal, input.ownerUnitId);
    if (input.categoryId) await this.assertCategory(input.categoryId);
    if (input.visibleUnitIds) {
      const current = await this.db.getRepository(CourseVisibility).findBy({ courseId });
      await this.assertAudience(
        caller,
        input.visibleUnitIds,
        current.map((v) => v.orgUnitId),
      );
    }
    await this.db.transaction(async (tx) => {
      const { visibleUnitIds, ...fields } = input;
      if (Object.keys(fields).length > 0) await tx.update(Course, { id: courseId }, fields);
      if (visibleUnitIds) await this.replaceVisibility(tx, courseId, visibleUnitIds);
      await this.courses.refreshSearch(courseId, tx);
      if (visibleUnitIds) await endSessionsExcludedFromCourse(tx, courseId);
    });
    return this.render(courseId);
  }

  async transition(principal: Principal, courseId: string, action: 'publish' | 'unpublish' | 'archive'): Promise<StudioCourse> {
    const { course } = await this.editableCourse(principal, courseId);
    if (!ALLOWED_TRANSITIONS[action].includes(course.status)) {
      throw new ConflictException(`A ${course.status} course cannot be ${PAST_TENSE[action]}.`);
    }
    if (action === 'publish') {
      const refusal = earlyPublishRefusal(await this.lecturesForPublishing(courseId), course.publishWhenPreviewable);
      if (refusal) throw new ConflictException(refusal);
    }
    const status: CourseStatus = action === 'publish' ? 'published' : action === 'unpublish' ? 'draft' : 'archived';
    await this.db.transaction(async (tx) => {
      await tx
        .getRepository(Course)
        .update({ id: courseId }, { status, ...(action === 'publish' && !course.publishedAt ? { publishedAt: new Date() } : {}) });
      if (status !== 'published') await endSessionsExcludedFromCourse(tx, courseId);
    });
    return this.render(courseId);
  }

  /** Each lecture's stage: ready, previewable (a growing set the catalog was told of, not yet ready or failed), or other. */
  private async lecturesForPublishing(courseId: string): Promise<LectureForPublishing[]> {
    return this.db.query(
      `SELECT l.title,
              CASE WHEN m.status = 'ready' THEN 'ready'
                   WHEN m.status IS NULL AND p.asset_id IS NOT NULL THEN 'previewable'
                   ELSE 'other' END AS stage
         FROM lectures l
         LEFT JOIN lecture_media m ON m.asset_id = l.asset_id
         LEFT JOIN lecture_media_previews p ON p.asset_id = l.asset_id
        WHERE l.course_id = $1 AND l.archived_at IS NULL
        ORDER BY l.position, l.created_at`,
      [courseId],
    );
  }

  async coverKey(courseId: string): Promise<string | null> {
    return (await this.db.getRepository(Course).findOneBy({ id: courseId }))?.coverKey ?? null;
  }

  async setCover(principal: Principal, courseId: string, data: Buffer): Promise<StudioCourse> {
    const { course } = await this.editableCourse(principal, courseId);
    if (data.length > MAX_COVER_BYTES) throw new BadRequestException('The cover image is larger than 2 MB. Please use a smaller image.');
    const type = imageTypeOf(data);
    if (!type) throw new BadRequestException('The cover must be a JPEG, PNG or WebP image.');
    const key = `covers/${courseId}/${randomBytes(8).toString('hex')}.${type}`;
    const dir = await mkdtemp(join(tmpdir(), 'lectern-cover-'));
    try {
      await writeFile(join(dir, 'cover'), data);
      await this.storage.putFile(join(dir, 'cover'), key);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await this.db.getRepository(Course).update({ id: courseId }, { coverKey: key });
    if (course.coverKey) await this.storage.removePrefix(course.coverKey).catch(() => undefined);
    return this.render(courseId);
  }

  async addLecture(principal: Principal, courseId: string, input: CreateLectureInput): Promise<StudioLecture> {
    await this.editableCourse(principal, courseId);
    const id = await this.db.transaction(async (tx) => {
      const [{ next }] = await tx.query(`SELECT coalesce(max(position) + 1, 0)::int AS next FROM lectures WHERE course_id = $1`, [
        courseId,
      ]);
      const lecture = await tx.save(
        tx.create(Lecture, {
          courseId,
          position: next,
          title: input.title,
          speaker: input.speaker,
          description: input.description,
          assetId: input.assetId ?? null,
        }),
      );
      await this.courses.refreshSearch(courseId, tx);
      return lecture.id;
    });
    return this.lectureView(id);
  }

  /** Replacing the media keeps the lecture id, so everyone's watch history stays with it. */
  async updateLecture(principal: Principal, lectureId: string, input: UpdateLectureInput): Promise<StudioLecture> {
    const lecture = await this.editableLecture(principal, lectureId);
    await this.db.transaction(async (tx) => {
      await tx.update(Lecture, { id: lectureId }, input);
      await this.courses.refreshSearch(lecture.courseId, tx);
    });
    return this.lectureView(lectureId);
  }

  async removeLecture(principal: Principal, lectureId: string): Promise<void> {
    const lecture = await this.editableLecture(principal, lectureId);
    // Study records are kept: a lecture anyone has studied, or a plan names as compulsory, is archived instead
    // of deleted. Their foreign keys are RESTRICT, so the delete itself tells (23503), even against a heartbeat
    // committing meanwhile. It leaves the outline, search and counts; its credit stays in every total.
    const [plan]: Array<{ name: string }> = await this.db.query(
      `SELECT p.name FROM study_plan_compulsory pc JOIN study_plans p ON p.id = pc.plan_id
        WHERE pc.lecture_id = $1 AND p.closed_at IS NULL ORDER BY p.name LIMIT 1`,
      [lectureId],
    );
    if (plan) {
      throw new ConflictException(
        `This lecture is compulsory in the open study plan "${plan.name}", so members still need it. Remove it after the plan is closed.`,
      );
    }
    await this.db.transaction(async (tx) => {
      await tx.query(`SAVEPOINT remove_lecture`);
      try {
        await tx.query(`DELETE FROM lectures WHERE id = $1`, [lectureId]);
      } catch (error) {
        if ((error as { code?: string }).code !== '23503') throw error;
        await tx.query(`ROLLBACK TO SAVEPOINT remove_lecture`);
        await tx.query(`UPDATE lectures SET archived_at = now(), updated_at = now() WHERE id = $1 AND archived_at IS NULL`, [lectureId]);
        // Whoever is watching it stops earning on it now, as when a course is withdrawn.
        await endSessionsOfArchivedLecture(tx, lectureId);
      }
      await tx.query(
        `UPDATE lectures SET position = ranked.rn - 1
           FROM (SELECT id, row_number() OVER (ORDER BY position, created_at) AS rn
                   FROM lectures WHERE course_id = $1 AND archived_at IS NULL) ranked
          WHERE lectures.id = ranked.id`,
        [lecture.courseId],
      );
      await this.courses.refreshSearch(lecture.courseId, tx);
    });
  }

  async reorder(principal: Principal, courseId: string, lectureIds: string[]): Promise<StudioCourse> {
    await this.editableCourse(principal, courseId);
    const current: Array<{ id: string }> = await this.db.query(`SELECT id FROM lectures WHERE course_id = $1 AND archived_at IS NULL`, [
      courseId,
    ]);
    const expected = new Set(current.map((l) => l.id));
    if (
      lectureIds.length !== expected.size ||
      new Set(lectureIds).size !== lectureIds.length ||
      !lectureIds.every((id) => expected.has(id))
    ) {
      throw new BadRequestException('lectureIds must list every lecture of this course exactly once.');
    }
    await this.db.query(
      `UPDATE lectures SET position = ordered.position - 1
         FROM unnest($1::uuid[]) WITH ORDINALITY AS ordered(id, position)
        WHERE lectures.id = ordered.id`,
      [lectureIds],
    );
    return this.render(courseId);
  }

  private async lectureView(lectureId: string): Promise<StudioLecture> {
    const lecture = await this.requireLecture(lectureId);
    const found = (await this.courses.lectures(lecture.courseId, false)).find((l) => l.id === lectureId);
    if (!found) throw new NotFoundException('No such lecture.');
    return found;
  }

  /** The caller's unit as it is now in the database, and what the access rules need of them. */
  private async callerOf(principal: Principal): Promise<{ caller: Caller; unit: OrgUnit }> {
    const unit = await this.scope.rootOf(principal);
    return { caller: { role: principal.role, unitPath: unit.path }, unit };
  }

  /** The course if the caller may edit it; otherwise 404, so courses of other units are not even confirmed. */
  private async editableCourse(principal: Principal, courseId: string, notFound = 'No such course.') {
    const { caller, unit } = await this.callerOf(principal);
    const [row]: Array<{ owner_path: string }> = await this.db.query(
      `SELECT o.path AS owner_path FROM courses c JOIN org_units o ON o.id = c.owner_unit_id WHERE c.id = $1`,
      [courseId],
    );
    if (!row || !mayEditCourse(caller, row.owner_path)) throw new NotFoundException(notFound);
    return { caller, unit, course: await this.requireCourse(courseId) };
  }

  private async editableLecture(principal: Principal, lectureId: string): Promise<Lecture> {
    const lecture = await this.requireLecture(lectureId);
    await this.editableCourse(principal, lecture.courseId, 'No such lecture.');
    return lecture;
  }

  private async requireCourse(id: string): Promise<Course> {
    const course = await this.db.getRepository(Course).findOneBy({ id });
    if (!course) throw new NotFoundException('No such course.');
    return course;
  }

  private async requireLecture(id: string): Promise<Lecture> {
    const lecture = await this.db.getRepository(Lecture).findOneBy({ id });
    if (!lecture) throw new NotFoundException('No such lecture.');
    return lecture;
  }

  private async assertCategory(id: string): Promise<void> {
    if (!(await this.db.getRepository(CourseCategory).existsBy({ id })))
      throw new BadRequestException('categoryId: no such course category.');
  }

  /**
   * An audience names units of the editor's own subtree, or nobody (everyone), which only a committee
   * editor may choose. Units elsewhere answer as units that do not exist. On a change, only what the
   * editor adds is checked: keeping or removing units a committee editor named is theirs to do.
   */
  private async assertAudience(caller: Caller, ids: string[], current: string[] | null = null): Promise<void> {
    if (ids.length === 0) {
      if (mayNameAudience(caller, []) || current?.length === 0) return;
      throw new BadRequestException(
        `visibleUnitIds: name at least one unit of ${caller.unitPath}. Only a committee editor may open a course to everyone.`,
      );
    }
    const added = [...new Set(ids)].filter((id) => !current?.includes(id));
    if (added.length === 0) return;
    const found: Array<{ path: string }> = await this.db.query(`SELECT path FROM org_units WHERE id = ANY($1::uuid[])`, [added]);
    const paths = found.map((u) => u.path);
    if (found.length !== added.length || !mayNameAudience(caller, paths)) {
      throw new NotFoundException('visibleUnitIds: no such unit in your part of the organisation.');
    }
  }

  private async replaceVisibility(tx: import('typeorm').EntityManager, courseId: string, unitIds: string[]): Promise<void> {
    await tx.delete(CourseVisibility, { courseId });
    if (unitIds.length)
      await tx.insert(
        CourseVisibility,
        [...new Set(unitIds)].map((orgUnitId) => ({ courseId, orgUnitId })),
      );
  }
}

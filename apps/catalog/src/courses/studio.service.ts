import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Principal } from '#auth';
import type { Storage } from '#storage';
import { STORAGE } from '../media/storage.provider.js';
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
  ) {}

  private get db() {
    return this.courses.db;
  }

  async categories(): Promise<CategoryView[]> {
    const rows = await this.db.getRepository(CourseCategory).find({ order: { builtin: 'DESC', createdAt: 'ASC' } });
    return rows.map(({ id, code, nameZh, nameEn }) => ({ id, code, nameZh, nameEn }));
  }

  async createCategory(input: CreateCourseCategoryInput): Promise<CategoryView> {
    const repo = this.db.getRepository(CourseCategory);
    if (await repo.existsBy({ code: input.code })) throw new ConflictException(`The category "${input.code}" already exists.`);
    const { id, code, nameZh, nameEn } = await repo.save(repo.create({ ...input, builtin: false }));
    return { id, code, nameZh, nameEn };
  }

  units(): Promise<Array<{ id: string; name: string; path: string }>> {
    return this.db.query(`SELECT id, name, path FROM org_units ORDER BY path`);
  }

  async list(): Promise<StudioCourse[]> {
    const courses = await this.db.getRepository(Course).find({ order: { updatedAt: 'DESC' } });
    return Promise.all(courses.map((course) => this.view(course.id)));
  }

  async view(courseId: string): Promise<StudioCourse> {
    const course = await this.db.getRepository(Course).findOneBy({ id: courseId });
    if (!course) throw new NotFoundException('No such course.');
    const [card] = await this.courses.cards('c.id = $1', [courseId]);
    const lectures = await this.courses.lectures(courseId, false);
    const visibility = await this.db.getRepository(CourseVisibility).findBy({ courseId });
    return { ...card, status: course.status, visibleUnitIds: visibility.map((v) => v.orgUnitId), lectures };
  }

  async create(principal: Principal, input: CreateCourseInput): Promise<StudioCourse> {
    await this.assertCategory(input.categoryId);
    await this.assertUnits(input.visibleUnitIds);
    const id = await this.db.transaction(async (tx) => {
      const course = await tx.save(
        tx.create(Course, {
          title: input.title,
          description: input.description,
          categoryId: input.categoryId,
          compulsory: input.compulsory,
          status: 'draft',
          createdBy: principal.userId,
          playCount: 0,
        }),
      );
      await this.replaceVisibility(tx, course.id, input.visibleUnitIds);
      await this.courses.refreshSearch(course.id, tx);
      return course.id;
    });
    return this.view(id);
  }

  async update(courseId: string, input: UpdateCourseInput): Promise<StudioCourse> {
    await this.requireCourse(courseId);
    if (input.categoryId) await this.assertCategory(input.categoryId);
    if (input.visibleUnitIds) await this.assertUnits(input.visibleUnitIds);
    await this.db.transaction(async (tx) => {
      const { visibleUnitIds, ...fields } = input;
      if (Object.keys(fields).length > 0) await tx.update(Course, { id: courseId }, fields);
      if (visibleUnitIds) await this.replaceVisibility(tx, courseId, visibleUnitIds);
      await this.courses.refreshSearch(courseId, tx);
    });
    return this.view(courseId);
  }

  async transition(courseId: string, action: 'publish' | 'unpublish' | 'archive'): Promise<StudioCourse> {
    const course = await this.requireCourse(courseId);
    if (!ALLOWED_TRANSITIONS[action].includes(course.status)) {
      throw new ConflictException(`A ${course.status} course cannot be ${PAST_TENSE[action]}.`);
    }
    const status: CourseStatus = action === 'publish' ? 'published' : action === 'unpublish' ? 'draft' : 'archived';
    await this.db
      .getRepository(Course)
      .update({ id: courseId }, { status, ...(action === 'publish' && !course.publishedAt ? { publishedAt: new Date() } : {}) });
    return this.view(courseId);
  }

  async coverKey(courseId: string): Promise<string | null> {
    return (await this.db.getRepository(Course).findOneBy({ id: courseId }))?.coverKey ?? null;
  }

  async setCover(courseId: string, data: Buffer): Promise<StudioCourse> {
    const course = await this.requireCourse(courseId);
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
    return this.view(courseId);
  }

  async addLecture(courseId: string, input: CreateLectureInput): Promise<StudioLecture> {
    await this.requireCourse(courseId);
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
  async updateLecture(lectureId: string, input: UpdateLectureInput): Promise<StudioLecture> {
    const lecture = await this.requireLecture(lectureId);
    await this.db.transaction(async (tx) => {
      await tx.update(Lecture, { id: lectureId }, input);
      await this.courses.refreshSearch(lecture.courseId, tx);
    });
    return this.lectureView(lectureId);
  }

  async removeLecture(lectureId: string): Promise<void> {
    const lecture = await this.requireLecture(lectureId);
    await this.db.transaction(async (tx) => {
      await tx.delete(Lecture, { id: lectureId });
      await tx.query(
        `UPDATE lectures SET position = ranked.rn - 1
           FROM (SELECT id, row_number() OVER (ORDER BY position, created_at) AS rn FROM lectures WHERE course_id = $1) ranked
          WHERE lectures.id = ranked.id`,
        [lecture.courseId],
      );
      await this.courses.refreshSearch(lecture.courseId, tx);
    });
  }

  async reorder(courseId: string, lectureIds: string[]): Promise<StudioCourse> {
    await this.requireCourse(courseId);
    const current: Array<{ id: string }> = await this.db.query(`SELECT id FROM lectures WHERE course_id = $1`, [courseId]);
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
    return this.view(courseId);
  }

  private async lectureView(lectureId: string): Promise<StudioLecture> {
    const lecture = await this.requireLecture(lectureId);
    const found = (await this.courses.lectures(lecture.courseId, false)).find((l) => l.id === lectureId);
    if (!found) throw new NotFoundException('No such lecture.');
    return found;
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

  private async assertUnits(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM org_units WHERE id = ANY($1::uuid[])`, [ids]);
    if (count !== new Set(ids).size) throw new BadRequestException('visibleUnitIds: some units do not exist.');
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

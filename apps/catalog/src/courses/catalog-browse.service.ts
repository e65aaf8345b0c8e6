import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '#auth';
import { ScopeService } from '../org/scope.service.js';
import type { BrowseCoursesQuery } from './course.schemas.js';
import type { CourseCard, CourseDetail } from './course.views.js';
import { CoursesRepository, MEMBERS_MAY_PLAY, VISIBLE_TO_MEMBER, toSummary } from './courses.repository.js';
import { queryTerms } from './search-terms.js';
import { saidInLecture, spokenMatches } from '../captions/spoken-search.js';

// A course with nothing to play yet is not shown to members at all.
const HAS_PLAYABLE_LECTURE = `EXISTS (SELECT 1 FROM lectures l WHERE l.course_id = c.id AND l.archived_at IS NULL AND ${MEMBERS_MAY_PLAY})`;

/** What members find: published courses meant for their unit, with lectures members may play. */
@Injectable()
export class CatalogBrowseService {
  constructor(
    private readonly courses: CoursesRepository,
    private readonly scope: ScopeService,
  ) {}

  async browse(principal: Principal, query: BrowseCoursesQuery): Promise<{ items: CourseCard[]; total: number }> {
    const unit = await this.scope.rootOf(principal);
    const params: unknown[] = [unit.path];
    const conditions = [`c.status = 'published'`, VISIBLE_TO_MEMBER, HAS_PLAYABLE_LECTURE];
    if (query.categoryId) {
      params.push(query.categoryId);
      conditions.push(`c.category_id = $${params.length}`);
    }
    const tsquery = query.q ? queryTerms(query.q) : null;
    if (query.q && !tsquery) return { items: [], total: 0 };
    if (tsquery) {
      params.push(tsquery);
      conditions.push(`(c.search_vector @@ to_tsquery('simple', $${params.length}) OR ${saidInLecture(params.length)})`);
    }
    const where = conditions.join(' AND ');
    const [{ total }] = await this.courses.db.query(`SELECT count(*)::int AS total FROM courses c WHERE ${where}`, params);
    const order = query.sort === 'popular' ? 'c.play_count DESC, c.published_at DESC' : 'c.published_at DESC';
    params.push(query.limit, query.offset);
    const items = await this.courses.cards(where, params, `ORDER BY ${order}, c.id LIMIT $${params.length - 1} OFFSET $${params.length}`);
    if (tsquery && query.q) {
      const spoken = await spokenMatches(
        this.courses.db,
        items.map((i) => i.id),
        tsquery,
        query.q,
      );
      for (const item of items) if (spoken.has(item.id)) item.spoken = spoken.get(item.id);
    }
    return { items, total };
  }

  async detail(principal: Principal, courseId: string): Promise<CourseDetail> {
    const unit = await this.scope.rootOf(principal);
    const [card] = await this.courses.cards(`c.id = $2 AND c.status = 'published' AND ${VISIBLE_TO_MEMBER} AND ${HAS_PLAYABLE_LECTURE}`, [
      unit.path,
      courseId,
    ]);
    if (!card) throw new NotFoundException('No such course, or it is not open to you.');
    return { ...card, lectures: (await this.courses.lectures(courseId, true)).map(toSummary) };
  }
}

import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '#auth';
import type {
  CourseChoice,
  DemandDetail,
  DemandFilterChoices,
  DemandItem,
  MyProgramRequests,
  ProgramRequestView,
  SimilarRequest,
} from '#contracts';
import { visibleToMember } from '../courses/courses.repository.js';
import { documentTerms, queryTerms } from '../courses/search-terms.js';
import { NoticesService } from '../notices/notices.service.js';
import { ScopeService } from '../org/scope.service.js';
import type { AnswerInput, CreateRequestInput, DemandQuery } from './program-requests.schemas.js';
import { anyTermsQuery, rankDemand, rankSimilar } from './request-logic.js';

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const CATEGORY_JSON = `CASE WHEN cat.id IS NULL THEN NULL ELSE json_build_object('id', cat.id, 'nameZh', cat.name_zh, 'nameEn', cat.name_en) END`;
const ACTIVE_VOTES = `(SELECT count(*)::int FROM program_request_votes v WHERE v.request_id = r.id AND v.withdrawn_at IS NULL)`;

/** A request as members read it; `$1` is the caller's user id. */
const VIEW_SELECT = `
  SELECT r.id, r.title, r.detail, r.status, ${CATEGORY_JSON} AS category, ${ACTIVE_VOTES} AS votes,
         r.requested_by = $1 AS mine,
         EXISTS (SELECT 1 FROM program_request_votes v WHERE v.request_id = r.id AND v.user_id = $1 AND v.withdrawn_at IS NULL) AS voted,
         r.answer_note AS "answerNote",
         CASE WHEN c.id IS NULL THEN NULL ELSE json_build_object('id', c.id, 'title', c.title) END AS course,
         r.decline_reason AS "declineReason", r.merged_into AS "mergedInto",
         ${iso('r.answered_at')} AS "answeredAt", ${iso('r.created_at')} AS "createdAt"
    FROM program_requests r
    LEFT JOIN course_categories cat ON cat.id = r.category_id
    LEFT JOIN courses c ON c.id = r.course_id`;

/** `path` (an SQL expression) lies in the subtree whose root path is the parameter `$n`. */
const within = (path: string, n: number) => `(${path} = $${n} OR ${path} LIKE $${n} || '/%')`;

/** The request's unit at request time, or any vote on it, lies in the subtree `$2`. */
const REQUEST_IN_SCOPE = `(
  EXISTS (SELECT 1 FROM org_units ro WHERE ro.id = r.org_unit_id AND ${within('ro.path', 2)})
  OR EXISTS (SELECT 1 FROM program_request_votes sv JOIN org_units so ON so.id = sv.org_unit_id
              WHERE sv.request_id = r.id AND ${within('so.path', 2)}))`;

interface LockedRequest {
  id: string;
  title: string;
  status: string;
  requested_by: string;
  unit_path: string;
}

/**
 * Programs on demand. Members ask for a program, find similar requests while typing and add their vote
 * instead of a duplicate; editors and admins read the demand of their subtree and answer it.
 *
 * Scope: every staff list counts only the votes of members in the caller's subtree (at the time they
 * voted), and a request is the caller's to answer when its requester's unit or one of its votes lies
 * there. Editors are scoped like admins, as in the studio and the grading queue: a committee editor, the
 * usual one, sees the whole organisation.
 */
@Injectable()
export class ProgramRequestsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
    private readonly notices: NoticesService,
  ) {}

  // ----- members -----

  async create(principal: Principal, input: CreateRequestInput): Promise<ProgramRequestView> {
    const id = await this.db.transaction(async (tx) => {
      const [member] = await tx.query(`SELECT org_unit_id, category FROM users WHERE id = $1 AND active`, [principal.userId]);
      if (!member) throw new ForbiddenException('Your account is not active. Ask your administrator.');
      if (input.categoryId) {
        const [category] = await tx.query(`SELECT 1 FROM course_categories WHERE id = $1`, [input.categoryId]);
        if (!category) throw new BadRequestException('categoryId: no such course category; pick one from the list or leave it out.');
      }
      const [row] = await tx.query(
        `INSERT INTO program_requests (title, detail, category_id, requested_by, org_unit_id, member_category, search_vector)
         VALUES ($1, $2, $3, $4, $5, $6, to_tsvector('simple', $7)) RETURNING id`,
        [
          input.title,
          input.detail,
          input.categoryId ?? null,
          principal.userId,
          member.org_unit_id,
          member.category,
          documentTerms(input.title, input.detail),
        ],
      );
      // Asking is the requester's own vote.
      await tx.query(`INSERT INTO program_request_votes (request_id, user_id, org_unit_id, member_category) VALUES ($1, $2, $3, $4)`, [
        row.id,
        principal.userId,
        member.org_unit_id,
        member.category,
      ]);
      return row.id as string;
    });
    return this.read(principal, id);
  }

  /** Requests like what is being typed, still open to a vote or already answered, best match first. */
  async similar(principal: Principal, q: string): Promise<SimilarRequest[]> {
    const tsquery = anyTermsQuery(q);
    if (!tsquery) return [];
    const rows: Array<SimilarRequest & { detail: string; createdAt: string }> = await this.db.query(
      `SELECT r.id, r.title, r.detail, r.status, ${ACTIVE_VOTES} AS votes, r.requested_by = $1 AS mine,
              EXISTS (SELECT 1 FROM program_request_votes v WHERE v.request_id = r.id AND v.user_id = $1 AND v.withdrawn_at IS NULL) AS voted,
              ${iso('r.created_at')} AS "createdAt"
         FROM program_requests r
        WHERE r.search_vector @@ to_tsquery('simple', $2) AND r.status IN ('open', 'planned', 'answered')
        ORDER BY ts_rank(r.search_vector, to_tsquery('simple', $2)) DESC, r.created_at
        LIMIT 100`,
      [principal.userId, tsquery],
    );
    return rankSimilar(q, rows).map(({ id, title, status, votes, mine, voted, score }) => ({
      id,
      title,
      status,
      votes,
      mine,
      voted,
      score,
    }));
  }

  async read(principal: Principal, id: string): Promise<ProgramRequestView> {
    const [view] = await this.db.query(`${VIEW_SELECT} WHERE r.id = $2`, [principal.userId, id]);
    if (!view) throw new NotFoundException('No such request.');
    return view;
  }

  async mine(principal: Principal): Promise<MyProgramRequests> {
    const [requested, voted] = await Promise.all([
      this.db.query(`${VIEW_SELECT} WHERE r.requested_by = $1 ORDER BY r.created_at DESC, r.id LIMIT 200`, [principal.userId]),
      this.db.query(
        `${VIEW_SELECT}
          WHERE r.requested_by <> $1
            AND EXISTS (SELECT 1 FROM program_request_votes v WHERE v.request_id = r.id AND v.user_id = $1 AND v.withdrawn_at IS NULL)
          ORDER BY r.created_at DESC, r.id LIMIT 200`,
        [principal.userId],
      ),
    ]);
    return { requested, voted };
  }

  /** Adds the caller's vote; voting again changes nothing. */
  async vote(principal: Principal, id: string): Promise<ProgramRequestView> {
    await this.db.transaction(async (tx) => {
      const [request] = await tx.query(`SELECT status FROM program_requests WHERE id = $1 FOR UPDATE`, [id]);
      if (!request) throw new NotFoundException('No such request.');
      if (request.status !== 'open' && request.status !== 'planned') {
        throw new ConflictException('This request is no longer open to votes: it has been answered, declined or withdrawn.');
      }
      await tx.query(
        `INSERT INTO program_request_votes (request_id, user_id, org_unit_id, member_category)
         SELECT $1, u.id, u.org_unit_id, u.category FROM users u WHERE u.id = $2
         ON CONFLICT (request_id, user_id) DO UPDATE
           SET org_unit_id = EXCLUDED.org_unit_id, member_category = EXCLUDED.member_category, voted_at = now(), withdrawn_at = NULL
         WHERE program_request_votes.withdrawn_at IS NOT NULL`,
        [id, principal.userId],
      );
    });
    return this.read(principal, id);
  }

  /** Takes the caller's vote back; the row stays, marked withdrawn. */
  async unvote(principal: Principal, id: string): Promise<ProgramRequestView> {
    const [request] = await this.db.query(`SELECT requested_by FROM program_requests WHERE id = $1`, [id]);
    if (!request) throw new NotFoundException('No such request.');
    if (request.requested_by === principal.userId) {
      throw new ConflictException('This is your own request, so it keeps your vote. Withdraw the request instead.');
    }
    await this.db.query(
      `UPDATE program_request_votes SET withdrawn_at = now() WHERE request_id = $1 AND user_id = $2 AND withdrawn_at IS NULL`,
      [id, principal.userId],
    );
    return this.read(principal, id);
  }

  /** The requester withdraws their own request while it waits for an answer or is planned. */
  async withdraw(principal: Principal, id: string): Promise<ProgramRequestView> {
    await this.db.transaction(async (tx) => {
      const [request] = await tx.query(`SELECT requested_by, status FROM program_requests WHERE id = $1 FOR UPDATE`, [id]);
      if (!request || request.requested_by !== principal.userId) throw new NotFoundException('No such request of yours.');
      if (request.status !== 'open' && request.status !== 'planned') {
        throw new ConflictException('Only a request still waiting for an answer, or planned, can be withdrawn.');
      }
      await tx.query(`UPDATE program_requests SET status = 'withdrawn', withdrawn_at = now(), updated_at = now() WHERE id = $1`, [id]);
    });
    return this.read(principal, id);
  }

  // ----- editors and admins -----

  private async scopePath(principal: Principal, unitId?: string): Promise<string> {
    return unitId ? (await this.scope.unitInScope(principal, unitId)).path : (await this.scope.rootOf(principal)).path;
  }

  /** The units of the caller's subtree in tree order, and the member and course categories. */
  async filterChoices(principal: Principal): Promise<DemandFilterChoices> {
    const root = (await this.scope.rootOf(principal)).path;
    const [units, memberCategories, courseCategories] = await Promise.all([
      this.db.query(`SELECT id, name, path, depth FROM org_units o WHERE ${within('o.path', 1)} ORDER BY path LIMIT 2000`, [root]),
      this.db.query(`SELECT code, name_zh AS "nameZh", name_en AS "nameEn" FROM member_categories ORDER BY builtin DESC, created_at, code`),
      this.db.query(`SELECT id, name_zh AS "nameZh", name_en AS "nameEn" FROM course_categories ORDER BY builtin DESC, created_at, code`),
    ]);
    return { units, memberCategories, courseCategories };
  }

  /** Requests with votes from the chosen part of the caller's subtree, ranked by those votes. */
  async demand(principal: Principal, query: DemandQuery): Promise<DemandItem[]> {
    const path = await this.scopePath(principal, query.unitId);
    const root = (await this.scope.rootOf(principal)).path;
    const params: unknown[] = [path, root];
    const conditions = [within('vo.path', 1)];
    if (query.category) {
      params.push(query.category);
      conditions.push(`v.member_category = $${params.length}`);
    }
    if (query.status) {
      params.push(query.status);
      conditions.push(`r.status = $${params.length}`);
    } else {
      conditions.push(`r.status <> 'withdrawn'`);
    }
    const rows: Array<DemandItem & { requesterInScope: boolean }> = await this.db.query(
      `SELECT r.id, r.title, r.status, ${CATEGORY_JSON} AS category, count(*)::int AS votes,
              ${iso('r.created_at')} AS "createdAt", ${iso('max(v.voted_at)')} AS "lastVoteAt",
              json_build_object('name', u.name, 'unitName', ru.name, 'unitPath', ru.path) AS requester,
              ${within('ru.path', 2)} AS "requesterInScope"
         FROM program_requests r
         JOIN program_request_votes v ON v.request_id = r.id AND v.withdrawn_at IS NULL
         JOIN org_units vo ON vo.id = v.org_unit_id
         JOIN users u ON u.id = r.requested_by
         JOIN org_units ru ON ru.id = r.org_unit_id
         LEFT JOIN course_categories cat ON cat.id = r.category_id
        WHERE ${conditions.join(' AND ')}
        GROUP BY r.id, cat.id, u.name, ru.name, ru.path`,
      params,
    );
    // A requester outside the caller's subtree is not named to them.
    return rankDemand(rows)
      .slice(0, query.limit)
      .map(({ requesterInScope, ...item }) => ({ ...item, requester: requesterInScope ? item.requester : null }));
  }

  private async locked(manager: EntityManager, principal: Principal, id: string): Promise<LockedRequest> {
    const root = (await this.scope.rootOf(principal)).path;
    const [request] = await manager.query(
      `SELECT r.id, r.title, r.status, r.requested_by, ro.path AS unit_path
         FROM program_requests r JOIN org_units ro ON ro.id = r.org_unit_id
        WHERE r.id = $1 AND ${REQUEST_IN_SCOPE}
        FOR UPDATE OF r`,
      [id, root],
    );
    if (!request) throw new NotFoundException('No such request from members of your organisation.');
    return request;
  }

  async demandDetail(principal: Principal, id: string): Promise<DemandDetail> {
    const root = (await this.scope.rootOf(principal)).path;
    const [row] = await this.db.query(
      `SELECT json_build_object('name', u.name, 'unitName', ro.name, 'unitPath', ro.path, 'memberCategory', r.member_category) AS requester,
              ${within('ro.path', 2)} AS "requesterInScope",
              coalesce((SELECT json_agg(json_build_object('category', g.category, 'votes', g.votes) ORDER BY g.votes DESC, g.category)
                          FROM (SELECT v.member_category AS category, count(*)::int AS votes
                                  FROM program_request_votes v JOIN org_units vo ON vo.id = v.org_unit_id
                                 WHERE v.request_id = r.id AND v.withdrawn_at IS NULL AND ${within('vo.path', 2)}
                                 GROUP BY v.member_category) g), '[]'::json) AS "votesByCategory"
         FROM program_requests r JOIN users u ON u.id = r.requested_by JOIN org_units ro ON ro.id = r.org_unit_id
        WHERE r.id = $1 AND ${REQUEST_IN_SCOPE}`,
      [id, root],
    );
    if (!row) throw new NotFoundException('No such request from members of your organisation.');
    const view = await this.read(principal, id);
    return { ...view, requester: row.requesterInScope ? row.requester : null, votesByCategory: row.votesByCategory };
  }

  /** Published courses open to the requester's unit, for linking the request to one. */
  async courseChoices(principal: Principal, id: string, q: string): Promise<CourseChoice[]> {
    const request = await this.locked(this.db.manager, principal, id);
    const params: unknown[] = [request.unit_path];
    let match = '';
    if (q) {
      const tsquery = queryTerms(q);
      if (!tsquery) return [];
      params.push(tsquery);
      match = `AND c.search_vector @@ to_tsquery('simple', $2)`;
    }
    return this.db.query(
      `SELECT c.id, c.title FROM courses c
        WHERE c.status = 'published' AND ${visibleToMember('$1::text')} ${match}
        ORDER BY c.published_at DESC, c.id LIMIT 20`,
      params,
    );
  }

  /**
   * Publishes an answer and tells the requester and every member whose vote stands, in the same
   * transaction: a notice exists exactly when the answer does. A later answer replaces an earlier one
   * (planned, then a course); `first_answered_at` keeps when the first was published.
   */
  async answer(principal: Principal, id: string, input: AnswerInput): Promise<DemandDetail> {
    await this.db.transaction(async (tx) => {
      const request = await this.locked(tx, principal, id);
      if (request.status === 'withdrawn')
        throw new ConflictException('This request was withdrawn or merged into another; answer that one.');
      let courseTitle = '';
      if (input.kind === 'course') {
        const [course] = await tx.query(
          `SELECT c.title FROM courses c WHERE c.id = $2 AND c.status = 'published' AND ${visibleToMember('$1::text')}`,
          [request.unit_path, input.courseId],
        );
        if (!course) {
          throw new BadRequestException(
            'courseId: no published course open to the requesting member has this id; pick one from the list (publish the course first).',
          );
        }
        courseTitle = course.title;
      }
      const status = input.kind === 'course' ? 'answered' : input.kind;
      const note = input.kind === 'declined' ? null : input.note || null;
      await tx.query(
        `UPDATE program_requests
            SET status = $2, answer_note = $3, course_id = $4, decline_reason = $5, answered_by = $6,
                answered_at = now(), first_answered_at = coalesce(first_answered_at, now()), updated_at = now()
          WHERE id = $1`,
        [
          id,
          status,
          note,
          input.kind === 'course' ? input.courseId : null,
          input.kind === 'declined' ? input.reason : null,
          principal.userId,
        ],
      );
      const voters: Array<{ user_id: string }> = await tx.query(
        `SELECT user_id FROM program_request_votes WHERE request_id = $1 AND withdrawn_at IS NULL`,
        [id],
      );
      await this.notices.notify(tx, [request.requested_by, ...voters.map((v) => v.user_id)], {
        kind: 'request.answered',
        params: { title: request.title, status, ...(courseTitle ? { courseTitle } : {}) },
        link: `/requests/${id}`,
      });
    });
    return this.demandDetail(principal, id);
  }

  /**
   * Merges a duplicate into the request to keep: its standing votes move (a member who voted for both
   * keeps one vote, the earlier), its own rows stay behind marked withdrawn, and it points to the kept one.
   */
  async merge(principal: Principal, id: string, intoId: string): Promise<DemandDetail> {
    if (id === intoId) throw new BadRequestException('intoId: a request cannot be merged into itself; pick the other request.');
    await this.db.transaction(async (tx) => {
      // Lock both in id order, so two merges of the same pair cannot wait on each other.
      const [first, second] = [id, intoId].sort();
      const locked = new Map<string, LockedRequest>();
      for (const each of [first!, second!]) locked.set(each, await this.locked(tx, principal, each));
      const duplicate = locked.get(id)!;
      const kept = locked.get(intoId)!;
      if (duplicate.status !== 'open' && duplicate.status !== 'planned') {
        throw new ConflictException(
          'Only a request still open or planned can be merged; this one is already answered, declined or withdrawn.',
        );
      }
      if (kept.status === 'withdrawn') throw new ConflictException('The request to keep was withdrawn or merged itself; pick another.');
      await tx.query(
        `INSERT INTO program_request_votes AS pv (request_id, user_id, org_unit_id, member_category, voted_at)
         SELECT $2, user_id, org_unit_id, member_category, voted_at FROM program_request_votes WHERE request_id = $1 AND withdrawn_at IS NULL
         ON CONFLICT (request_id, user_id) DO UPDATE
           SET voted_at = CASE WHEN pv.withdrawn_at IS NULL THEN least(pv.voted_at, EXCLUDED.voted_at) ELSE EXCLUDED.voted_at END,
               withdrawn_at = NULL`,
        [id, intoId],
      );
      await tx.query(`UPDATE program_request_votes SET withdrawn_at = now() WHERE request_id = $1 AND withdrawn_at IS NULL`, [id]);
      await tx.query(
        `UPDATE program_requests SET status = 'withdrawn', withdrawn_at = now(), merged_into = $2, updated_at = now() WHERE id = $1`,
        [id, intoId],
      );
      await tx.query(`UPDATE program_requests SET merged_into = $2, updated_at = now() WHERE merged_into = $1`, [id, intoId]);
    });
    return this.demandDetail(principal, intoId);
  }
}

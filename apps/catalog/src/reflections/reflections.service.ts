import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { isWithinScope, type Principal } from '#auth';
import type {
  MyReflectionsView,
  ReflectionListItem,
  ReflectionStatus,
  ReflectionSubject,
  ReflectionVerdict,
  ReflectionVersionView,
  ReflectionView,
  ReviewQueueView,
  WallItem,
} from '#contracts';
import { NoticesService } from '../notices/notices.service.js';
import {
  REVIEWING_POSITIONS,
  authorMayConsent,
  authorMayEdit,
  authorMaySubmit,
  authorMayWithdraw,
  checkAction,
  mayBeReviewed,
  mayReview,
  reviewScopes,
  type ReflectionAction,
  type Reviewer,
} from './reflection-rules.js';
import type {
  ConsentInput,
  CreateReflectionInput,
  ReviewInput,
  SaveReflectionInput,
  SubmitReflectionInput,
} from './reflections.schemas.js';

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** What a reflection (alias r) is about, as a JSON object or null. */
const SUBJECT = `CASE
    WHEN r.lecture_id IS NOT NULL THEN json_build_object('kind', 'lecture', 'id', r.lecture_id, 'title', (SELECT l.title FROM lectures l WHERE l.id = r.lecture_id))
    WHEN r.course_id IS NOT NULL THEN json_build_object('kind', 'course', 'id', r.course_id, 'title', (SELECT c.title FROM courses c WHERE c.id = r.course_id))
    WHEN r.plan_id IS NOT NULL THEN json_build_object('kind', 'plan', 'id', r.plan_id, 'title', (SELECT p.name FROM study_plans p WHERE p.id = r.plan_id))
  END`;

const LIST_COLUMNS = `r.id, r.title, r.status, ${SUBJECT} AS subject, r.version,
  ${iso('r.created_at')} AS "createdAt", ${iso('r.updated_at')} AS "updatedAt",
  ${iso('r.submitted_at')} AS "submittedAt", ${iso('r.accepted_at')} AS "acceptedAt"`;

interface ReflectionRow {
  id: string;
  user_id: string;
  author_name: string;
  org_unit_id: string;
  unit_name: string;
  unit_path: string;
  title: string;
  body: string;
  status: ReflectionStatus;
  version: number;
  submitted_at: Date | null;
  consent_at: Date | null;
}

/** A notice names a reflection by its title, or by the start of its text when it has none. */
const shortTitle = (row: { title: string; body: string }) => row.title || (row.body.length > 30 ? `${row.body.slice(0, 30)}…` : row.body);

/**
 * Members' learning reflections: the author writes, saves drafts, sends for review, revises what comes back
 * and may take back what is not yet accepted; group leaders and secretaries of a unit (by their position) and
 * admins of it or a unit above review them; admins put excellent ones, with the author's consent, on their
 * unit's wall. Nothing is deleted: every submitted version and every review stays.
 */
@Injectable()
export class ReflectionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly notices: NoticesService,
  ) {}

  // ----- who reviews -----

  async reviewerOf(principal: Principal, manager: EntityManager | DataSource = this.db): Promise<Reviewer> {
    const positions: Array<{ unitPath: string; positionCode: string }> = await manager.query(
      `SELECT o.path AS "unitPath", p.position_code AS "positionCode"
         FROM member_positions p JOIN org_units o ON o.id = p.org_unit_id
        WHERE p.user_id = $1 AND p.ended_on IS NULL AND p.position_code = ANY($2::text[])`,
      [principal.userId, [...REVIEWING_POSITIONS]],
    );
    return { userId: principal.userId, role: principal.role, orgPath: principal.orgPath, positions };
  }

  // ----- the author's side -----

  async mine(principal: Principal): Promise<MyReflectionsView> {
    const [items, reviewer] = await Promise.all([
      this.db.query(`SELECT ${LIST_COLUMNS} FROM reflections r WHERE r.user_id = $1 ORDER BY r.updated_at DESC, r.id`, [
        principal.userId,
      ]) as Promise<ReflectionListItem[]>,
      this.reviewerOf(principal),
    ]);
    return { items, isReviewer: reviewScopes(reviewer).length > 0 };
  }

  async create(principal: Principal, input: CreateReflectionInput): Promise<ReflectionView> {
    await this.checkSubject(input);
    if (input.submit && !input.body.trim()) throw new BadRequestException('Write your reflection before sending it for review.');
    const id = await this.db.transaction(async (tx) => {
      const [{ id }] = await tx.query(
        `INSERT INTO reflections (user_id, org_unit_id, lecture_id, course_id, plan_id, title, body)
         SELECT u.id, u.org_unit_id, $2, $3, $4, $5, $6 FROM users u WHERE u.id = $1
         RETURNING id`,
        [principal.userId, input.lectureId ?? null, input.courseId ?? null, input.planId ?? null, input.title, input.body],
      );
      if (input.submit) await this.submitIn(tx, principal, id as string, {});
      return id as string;
    });
    return this.view(principal, id);
  }

  /** Saves the text of a draft or of a returned reflection (the page saves as the member types). */
  async save(principal: Principal, id: string, input: SaveReflectionInput): Promise<ReflectionView> {
    await this.db.transaction(async (tx) => {
      const row = await this.ownForUpdate(tx, principal, id);
      this.require('save', row.status);
      await tx.query(`UPDATE reflections SET title = $2, body = $3, updated_at = now() WHERE id = $1`, [id, input.title, input.body]);
    });
    return this.view(principal, id);
  }

  async submit(principal: Principal, id: string, input: SubmitReflectionInput): Promise<ReflectionView> {
    await this.db.transaction((tx) => this.submitIn(tx, principal, id, input));
    return this.view(principal, id);
  }

  private async submitIn(tx: EntityManager, principal: Principal, id: string, input: SubmitReflectionInput): Promise<void> {
    const row = await this.ownForUpdate(tx, principal, id);
    this.require('submit', row.status);
    const title = input.title ?? row.title;
    const body = input.body ?? row.body;
    if (!body.trim()) throw new BadRequestException('Write your reflection before sending it for review.');
    const version = row.version + 1;
    // The unit that reviews and counts it is the author's unit when it is sent.
    await tx.query(
      `UPDATE reflections r SET title = $2, body = $3, version = $4, status = 'submitted', submitted_at = now(), updated_at = now(),
              org_unit_id = (SELECT u.org_unit_id FROM users u WHERE u.id = r.user_id)
        WHERE r.id = $1`,
      [id, title, body, version],
    );
    await tx.query(`INSERT INTO reflection_versions (reflection_id, version, title, body, submitted_at) VALUES ($1, $2, $3, $4, now())`, [
      id,
      version,
      title,
      body,
    ]);
  }

  async withdraw(principal: Principal, id: string): Promise<ReflectionView> {
    await this.db.transaction(async (tx) => {
      const row = await this.ownForUpdate(tx, principal, id);
      this.require('withdraw', row.status);
      await tx.query(`UPDATE reflections SET status = 'withdrawn', withdrawn_at = now(), updated_at = now() WHERE id = $1`, [id]);
    });
    return this.view(principal, id);
  }

  /** The author agrees to show an excellent reflection on a wall, or takes the consent back (and it leaves every wall). */
  async consent(principal: Principal, id: string, input: ConsentInput): Promise<ReflectionView> {
    await this.db.transaction(async (tx) => {
      const row = await this.ownForUpdate(tx, principal, id);
      this.require('consent', row.status);
      if (input.consent) {
        await tx.query(`UPDATE reflections SET consent_at = coalesce(consent_at, now()), updated_at = now() WHERE id = $1`, [id]);
      } else {
        await tx.query(`UPDATE reflections SET consent_at = NULL, updated_at = now() WHERE id = $1`, [id]);
        await tx.query(
          `UPDATE reflection_publications SET unpublished_at = now(), unpublished_by = $2 WHERE reflection_id = $1 AND unpublished_at IS NULL`,
          [id, principal.userId],
        );
      }
    });
    return this.view(principal, id);
  }

  // ----- the reviewer's side -----

  /** Reflections waiting for the caller's review, oldest first; never the caller's own. */
  async queue(principal: Principal): Promise<ReviewQueueView> {
    const scopes = reviewScopes(await this.reviewerOf(principal));
    if (!scopes.length) return { isReviewer: false, units: [], items: [] };
    const [units, items] = await Promise.all([
      this.db.query(`SELECT id, name FROM org_units WHERE path = ANY($1::text[]) ORDER BY path`, [scopes]),
      this.db.query(
        `SELECT r.id, r.title, ${SUBJECT} AS subject, r.version, ${iso('r.submitted_at')} AS "submittedAt", r.version > 1 AS resubmitted,
                json_build_object('id', u.id, 'name', u.name, 'unitName', o.name) AS author
           FROM reflections r
           JOIN users u ON u.id = r.user_id
           JOIN org_units o ON o.id = r.org_unit_id
          WHERE r.status = 'submitted' AND r.user_id <> $1
            AND EXISTS (SELECT 1 FROM unnest($2::text[]) s WHERE o.path = s OR o.path LIKE s || '/%')
          ORDER BY r.submitted_at, r.id
          LIMIT 500`,
        [principal.userId, scopes],
      ),
    ]);
    return { isReviewer: true, units, items };
  }

  async review(principal: Principal, id: string, input: ReviewInput): Promise<ReflectionView> {
    await this.db.transaction(async (tx) => {
      const row = await this.rowForUpdate(tx, id);
      if (!row) throw new NotFoundException('No such reflection among those you review.');
      if (row.user_id === principal.userId) throw new ForbiddenException('You cannot review your own reflection. Another reviewer will.');
      if (!mayReview(await this.reviewerOf(principal, tx), row.user_id, row.unit_path)) {
        throw new NotFoundException('No such reflection among those you review.');
      }
      this.require('review', row.status);
      const verdict: ReflectionVerdict = input.verdict;
      await tx.query(
        `INSERT INTO reflection_reviews (reflection_id, version, reviewer_id, verdict, comment, submitted_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, row.version, principal.userId, verdict, input.comment, row.submitted_at],
      );
      await tx.query(
        `UPDATE reflections SET status = $2, accepted_at = CASE WHEN $2 IN ('read', 'excellent') THEN now() END, updated_at = now()
          WHERE id = $1`,
        [id, verdict],
      );
      await this.notices.notify(tx, [row.user_id], {
        kind: 'reflection.reviewed',
        params: { title: shortTitle(row), verdict },
        link: `/reflections/${id}`,
      });
    });
    return this.view(principal, id);
  }

  // ----- the wall -----

  /** An admin puts an excellent reflection of their subtree, with its author's consent, on their own unit's wall. */
  async publish(principal: Principal, id: string): Promise<ReflectionView> {
    await this.db.transaction(async (tx) => {
      const row = await this.rowForUpdate(tx, id);
      if (!row || principal.role !== 'admin' || !isWithinScope(row.unit_path, principal.orgPath)) {
        throw new NotFoundException('No such reflection in your organisation.');
      }
      if (row.status !== 'excellent') throw new ConflictException('Only a reflection marked excellent can be put on the wall.');
      if (!row.consent_at) {
        throw new ConflictException('The author has not agreed to show this reflection on a wall. Ask them to give their consent first.');
      }
      const added: unknown[] = await tx.query(
        `INSERT INTO reflection_publications (reflection_id, org_unit_id, published_by, consent_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id`,
        [id, principal.orgUnitId, principal.userId, row.consent_at],
      );
      if (!added.length) throw new ConflictException('This reflection is already on your unit’s wall.');
      const [unit] = await tx.query(`SELECT name FROM org_units WHERE id = $1`, [principal.orgUnitId]);
      await this.notices.notify(tx, [row.user_id], {
        kind: 'reflection.published',
        params: { title: shortTitle(row), unit: unit.name as string },
        link: `/reflections/${id}`,
      });
    });
    return this.view(principal, id);
  }

  /** Takes a reflection off the walls of the caller's subtree; the publication stays on record. */
  async unpublish(principal: Principal, id: string): Promise<ReflectionView> {
    const row = await this.rowForUpdate(this.db, id, false);
    if (!row || principal.role !== 'admin' || !isWithinScope(row.unit_path, principal.orgPath)) {
      throw new NotFoundException('No such reflection in your organisation.');
    }
    // An UPDATE … RETURNING answers [rows, affected].
    const [taken]: [unknown[], number] = await this.db.query(
      `UPDATE reflection_publications p SET unpublished_at = now(), unpublished_by = $2
         FROM org_units o
        WHERE p.reflection_id = $1 AND p.unpublished_at IS NULL AND o.id = p.org_unit_id AND (o.path = $3 OR o.path LIKE $3 || '/%')
        RETURNING p.id`,
      [id, principal.userId, principal.orgPath],
    );
    if (!taken.length) throw new ConflictException('This reflection is not on a wall you manage.');
    return this.view(principal, id);
  }

  /** Reflections on the walls of the reader's unit and the units above it, newest first. */
  async wall(principal: Principal): Promise<WallItem[]> {
    return this.db.query(
      `SELECT r.id, r.title, r.body, u.name AS "authorName", ou.name AS "authorUnitName",
              ${SUBJECT} AS subject, p.wall_name AS "wallUnitName", ${iso('p.published_at')} AS "publishedAt"
         FROM (SELECT DISTINCT ON (p.reflection_id) p.reflection_id, p.published_at, w.name AS wall_name
                 FROM reflection_publications p JOIN org_units w ON w.id = p.org_unit_id
                WHERE p.unpublished_at IS NULL AND ($1 = w.path OR $1 LIKE w.path || '/%')
                ORDER BY p.reflection_id, p.published_at DESC) p
         JOIN reflections r ON r.id = p.reflection_id
         JOIN users u ON u.id = r.user_id
         JOIN org_units ou ON ou.id = r.org_unit_id
        WHERE r.status = 'excellent' AND r.consent_at IS NOT NULL
        ORDER BY p.published_at DESC, r.id
        LIMIT 200`,
      [principal.orgPath],
    );
  }

  // ----- one reflection -----

  /** The reflection as the caller may see it: its author, a reviewer of it or an admin of its unit; else 404. */
  async view(principal: Principal, id: string): Promise<ReflectionView> {
    const row = await this.rowForUpdate(this.db, id, false);
    if (!row) throw new NotFoundException('No such reflection.');
    const own = row.user_id === principal.userId;
    const reviewer = own ? null : await this.reviewerOf(principal);
    const reviews = reviewer !== null && mayReview(reviewer, row.user_id, row.unit_path);
    const adminOf = principal.role === 'admin' && isWithinScope(row.unit_path, principal.orgPath);
    // Others see only what was sent: never a draft, nor the author's unsent edits of a returned one.
    if (!own && ((!reviews && !adminOf) || row.version === 0)) throw new NotFoundException('No such reflection.');

    const [[item], history, publishedOn] = await Promise.all([
      this.db.query(`SELECT ${LIST_COLUMNS}, r.body, ${iso('r.consent_at')} AS "consentAt" FROM reflections r WHERE r.id = $1`, [id]),
      this.db.query(
        `SELECT v.version, v.title, v.body, ${iso('v.submitted_at')} AS "submittedAt",
                CASE WHEN w.id IS NULL THEN NULL ELSE json_build_object('verdict', w.verdict, 'comment', w.comment,
                  'reviewerName', ru.name, 'reviewedAt', ${iso('w.reviewed_at')}) END AS review
           FROM reflection_versions v
           LEFT JOIN reflection_reviews w ON w.reflection_id = v.reflection_id AND w.version = v.version
           LEFT JOIN users ru ON ru.id = w.reviewer_id
          WHERE v.reflection_id = $1
          ORDER BY v.version`,
        [id],
      ) as Promise<ReflectionVersionView[]>,
      this.db.query(
        `SELECT o.id AS "unitId", o.name AS "unitName", ${iso('p.published_at')} AS "publishedAt"
           FROM reflection_publications p JOIN org_units o ON o.id = p.org_unit_id
          WHERE p.reflection_id = $1 AND p.unpublished_at IS NULL ORDER BY p.published_at`,
        [id],
      ),
    ]);
    const status = row.status;
    const published = publishedOn.length > 0;
    const sent = history.at(-1);
    return {
      ...(item as ReflectionListItem & { body: string; consentAt: string | null }),
      ...(own || !sent ? {} : { title: sent.title, body: sent.body }),
      subject: (item as { subject: ReflectionSubject | null }).subject,
      author: { id: row.user_id, name: row.author_name, unitName: row.unit_name },
      publishedOn,
      history,
      can: {
        edit: own && authorMayEdit(status),
        submit: own && authorMaySubmit(status),
        withdraw: own && authorMayWithdraw(status),
        consent: own && authorMayConsent(status),
        review: !own && reviews && mayBeReviewed(status),
        publish: adminOf && !own && status === 'excellent' && row.consent_at !== null,
        unpublish: adminOf && published,
      },
    };
  }

  // ----- internals -----

  private require(action: ReflectionAction, status: ReflectionStatus): void {
    const problem = checkAction(action, status);
    if (problem) throw new ConflictException(problem);
  }

  private async rowForUpdate(manager: EntityManager | DataSource, id: string, lock = true): Promise<ReflectionRow | undefined> {
    const [row] = await manager.query(
      `SELECT r.id, r.user_id, u.name AS author_name, r.org_unit_id, o.name AS unit_name, o.path AS unit_path, r.title, r.body,
              r.status, r.version, r.submitted_at, r.consent_at
         FROM reflections r JOIN users u ON u.id = r.user_id JOIN org_units o ON o.id = r.org_unit_id
        WHERE r.id = $1 ${lock ? 'FOR UPDATE OF r' : ''}`,
      [id],
    );
    return row as ReflectionRow | undefined;
  }

  /** The caller's own reflection, locked; someone else's is not even confirmed. */
  private async ownForUpdate(tx: EntityManager, principal: Principal, id: string): Promise<ReflectionRow> {
    const row = await this.rowForUpdate(tx, id);
    if (!row || row.user_id !== principal.userId) throw new NotFoundException('No such reflection among yours.');
    return row;
  }

  private async checkSubject(input: CreateReflectionInput): Promise<void> {
    const check = async (sql: string, id: string | undefined, what: string) => {
      if (!id) return;
      const found: unknown[] = await this.db.query(sql, [id]);
      if (!found.length) throw new BadRequestException(`No such ${what}. Write the reflection from its page.`);
    };
    await check(`SELECT 1 FROM lectures WHERE id = $1`, input.lectureId, 'lecture');
    await check(`SELECT 1 FROM courses WHERE id = $1`, input.courseId, 'course');
    await check(`SELECT 1 FROM study_plans WHERE id = $1`, input.planId, 'study plan');
  }
}

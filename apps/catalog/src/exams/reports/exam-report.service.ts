import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import type {
  ExamMemberRow,
  ExamOutcome,
  ExamQuestionRow,
  ExamReport,
  ExamReportListItem,
  ExamStatus,
  ExamUnitRow,
  QuestionKind,
} from '#contracts';
import { ScopeService } from '../../org/scope.service.js';
import { inExamAudience } from '../exam-audience.sql.js';
import { examResults, percent2, score2 } from './exam-results.sql.js';
import { prePostGain, round2 } from '#exams';

/**
 * The exam reports, each confined to the caller's subtree (or a unit of it), as the plan reports are.
 *
 * Who is counted ("the audience" of a report): the active members (and editors) of the subtree the exam
 * is for (`inExamAudience`), and anyone of the subtree who submitted an attempt that was not voided, even
 * if the exam's audience no longer names them. Each member's result is their best graded attempt that was
 * not voided (`exam-results.sql.ts`).
 */

/** Whether the exam `e` (owned by unit `o`) is visible from the subtree at `root`: the rule of the plan reports. */
const visibleFrom = (root: string) => `
  (o.path = ${root} OR o.path LIKE ${root} || '/%'
   OR EXISTS (SELECT 1 FROM exam_units eu JOIN org_units u ON u.id = eu.org_unit_id
               WHERE eu.exam_id = e.id AND (${root} = u.path OR ${root} LIKE u.path || '/%' OR u.path LIKE ${root} || '/%')))`;

/** The people an exam's report counts under the unit at path `scope`; `exam` holds the exam id. */
const population = (exam: string, scope: string) => `
  SELECT u.id AS user_id, u.name, u.login, o.id AS unit_id, o.name AS unit_name, o.path AS unit_path
    FROM users u JOIN org_units o ON o.id = u.org_unit_id
   WHERE (o.path = ${scope} OR o.path LIKE ${scope} || '/%')
     AND ((u.role IN ('member', 'editor') AND u.active AND ${inExamAudience(exam, 'u', 'o')})
          OR EXISTS (SELECT 1 FROM exam_attempts pa WHERE pa.exam_id = ${exam} AND pa.user_id = u.id AND pa.status IN ('graded', 'grading')))`;

/** Each counted person with their result (and, for a post-test, their pre-test's best percent). */
const memberResults = (exam: string, scope: string, pre: string) => `
  WITH pop AS (${population(exam, scope)}),
       res AS (${examResults(`a.exam_id = ${exam} AND a.user_id IN (SELECT user_id FROM pop)`)}),
       pre AS (${examResults(`a.exam_id = ${pre} AND a.user_id IN (SELECT user_id FROM pop)`)})
  SELECT pop.*, coalesce(res.outcome, 'not_taken') AS outcome, coalesce(res.attempts, 0) AS attempts,
         res.best_score, res.best_percent, res.last_submitted_at, pre.best_percent AS before_percent
    FROM pop LEFT JOIN res ON res.user_id = pop.user_id LEFT JOIN pre ON pre.user_id = pop.user_id`;

interface MemberResultRow {
  user_id: string;
  name: string;
  login: string;
  unit_id: string;
  unit_name: string;
  unit_path: string;
  outcome: ExamOutcome;
  attempts: number;
  best_score: number | null;
  best_percent: number | null;
  last_submitted_at: Date | null;
  before_percent: number | null;
}

interface ExamRow {
  id: string;
  title: string;
  pass_percent: string;
  status: ExamStatus;
  opens_at: Date;
  closes_at: Date;
  pre_exam_id: string | null;
  pre_title: string | null;
  paper_max: number;
}

/** Figures of one unit (or the whole scope) before they are rounded into an `ExamUnitRow`. */
interface Tally {
  audience: number;
  passed: number;
  failed: number;
  grading: number;
  notTaken: number;
  percentSum: number;
  percentCount: number;
}

const emptyTally = (): Tally => ({ audience: 0, passed: 0, failed: 0, grading: 0, notTaken: 0, percentSum: 0, percentCount: 0 });

function count(tally: Tally, row: MemberResultRow): void {
  tally.audience++;
  if (row.outcome === 'passed') tally.passed++;
  else if (row.outcome === 'failed') tally.failed++;
  else if (row.outcome === 'grading') tally.grading++;
  else tally.notTaken++;
  if (row.best_percent !== null) {
    tally.percentSum += Number(row.best_percent);
    tally.percentCount++;
  }
}

const figures = (t: Tally): Omit<ExamUnitRow, 'unit'> => ({
  audience: t.audience,
  taken: t.passed + t.failed + t.grading,
  passed: t.passed,
  failed: t.failed,
  grading: t.grading,
  notTaken: t.notTaken,
  averagePercent: t.percentCount ? round2(t.percentSum / t.percentCount) : null,
});

export interface MemberPageQuery {
  unitId?: string;
  outcome?: ExamOutcome;
  limit: number;
  cursor?: string;
}

/** A page cursor: the last row's sort key (unit path, login, id), opaque to the client. */
const encodeCursor = (row: MemberResultRow) => Buffer.from(JSON.stringify([row.unit_path, row.login, row.user_id])).toString('base64url');

function decodeCursor(cursor: string): [string, string, string] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === 3 && key.every((k) => typeof k === 'string')) return key as [string, string, string];
  } catch {
    // answered below
  }
  throw new BadRequestException('cursor: this is not a page of this list. Load the list again from its first page.');
}

@Injectable()
export class ExamReportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
  ) {}

  /** The exam if visible from the caller's subtree and not a draft; 404 otherwise. */
  async examFor(principal: Principal, examId: string, rootPath?: string): Promise<ExamRow> {
    const path = rootPath ?? (await this.scope.rootOf(principal)).path;
    const [exam]: ExamRow[] = await this.db.query(
      `SELECT e.id, e.title, e.pass_percent, e.status, e.opens_at, e.closes_at, e.pre_exam_id, pe.title AS pre_title,
              coalesce((SELECT a.max_score FROM exam_attempts a WHERE a.exam_id = e.id AND a.status <> 'voided' ORDER BY a.started_at DESC LIMIT 1),
                       CASE WHEN e.paper_kind = 'fixed'
                            THEN (SELECT sum(coalesce(fi.points, q.points)) FROM exam_fixed_items fi JOIN exam_questions q ON q.id = fi.question_id
                                   WHERE fi.exam_id = e.id)
                            ELSE (SELECT sum(r.count * coalesce(r.points, 1)) FROM exam_draw_rules r WHERE r.exam_id = e.id) END,
                       0)::float8 AS paper_max
         FROM exams e JOIN org_units o ON o.id = e.owner_unit_id LEFT JOIN exams pe ON pe.id = e.pre_exam_id
        WHERE e.id = $2 AND e.status <> 'draft' AND ${visibleFrom('$1')}`,
      [path, examId],
    );
    if (!exam) throw new NotFoundException('No such exam in your organisation. Choose an exam from the exam reports list.');
    return exam;
  }

  /** The unit the report is narrowed to: the caller's own, or one of its subtree (404 outside it). */
  private async scopeOf(principal: Principal, unitId?: string) {
    const unit = unitId ? await this.scope.unitInScope(principal, unitId) : await this.scope.rootOf(principal);
    return { id: unit.id, name: unit.name, path: unit.path };
  }

  private async results(exam: ExamRow, scopePath: string): Promise<MemberResultRow[]> {
    return this.db.query(`${memberResults('$1', '$2', '$3')} ORDER BY pop.unit_path, pop.login, pop.user_id`, [
      exam.id,
      scopePath,
      exam.pre_exam_id,
    ]);
  }

  /** Every exam visible from the caller's subtree that is published or archived, latest window first. */
  async list(principal: Principal): Promise<ExamReportListItem[]> {
    const root = await this.scope.rootOf(principal);
    const exams: Array<{ id: string; title: string; opens_at: Date; closes_at: Date; status: ExamStatus }> = await this.db.query(
      `SELECT e.id, e.title, e.opens_at, e.closes_at, e.status FROM exams e JOIN org_units o ON o.id = e.owner_unit_id
        WHERE e.status <> 'draft' AND ${visibleFrom('$1')}
        ORDER BY e.opens_at DESC, e.title, e.id`,
      [root.path],
    );
    return Promise.all(
      exams.map(async (exam): Promise<ExamReportListItem> => {
        const [row]: Array<{ audience: number; taken: number; passed: number }> = await this.db.query(
          `WITH r AS (${memberResults('$1', '$2', 'NULL::uuid')})
           SELECT count(*)::int AS audience, count(*) FILTER (WHERE outcome <> 'not_taken')::int AS taken,
                  count(*) FILTER (WHERE outcome = 'passed')::int AS passed
             FROM r`,
          [exam.id, root.path],
        );
        return {
          examId: exam.id,
          title: exam.title,
          opensAt: exam.opens_at.toISOString(),
          closesAt: exam.closes_at.toISOString(),
          status: exam.status,
          audienceCount: row?.audience ?? 0,
          taken: row?.taken ?? 0,
          passed: row?.passed ?? 0,
        };
      }),
    );
  }

  /** Figures per unit of the scope (each over its own subtree), per question, and the pre/post gain of a post-test. */
  async report(principal: Principal, examId: string, unitId?: string): Promise<ExamReport> {
    const scope = await this.scopeOf(principal, unitId);
    const exam = await this.examFor(principal, examId);
    const rows = await this.results(exam, scope.path);
    const units: Array<{ id: string; name: string; path: string }> = await this.db.query(
      `SELECT id, name, path FROM org_units WHERE path = $1 OR path LIKE $1 || '/%' ORDER BY path`,
      [scope.path],
    );
    const tallies = new Map(units.map((u) => [u.path, emptyTally()]));
    const total = emptyTally();
    for (const row of rows) {
      count(total, row);
      // A member counts in their unit and every unit above it, up to the scope's own.
      for (let path = row.unit_path; ; path = path.slice(0, path.lastIndexOf('/'))) {
        const tally = tallies.get(path);
        if (tally) count(tally, row);
        if (path === scope.path || !path.includes('/')) break;
      }
    }
    const pre = exam.pre_exam_id ? prePostGain(rows.map((r) => ({ before: r.before_percent, after: r.best_percent }))) : null;
    return {
      examId: exam.id,
      title: exam.title,
      passPercent: Number(exam.pass_percent),
      maxScore: score2(exam.paper_max) ?? 0,
      totals: figures(total),
      units: units.filter((u) => tallies.get(u.path)!.audience > 0).map((u) => ({ unit: u, ...figures(tallies.get(u.path)!) })),
      questions: await this.questions(exam.id, scope.path),
      prePost: exam.pre_exam_id && pre ? { preExamId: exam.pre_exam_id, preTitle: exam.pre_title ?? '', ...pre } : null,
    };
  }

  /**
   * Per question, over every submitted attempt (not voided) of the people counted: the points given as a share
   * of the question's points on that paper. An item left unanswered in a submitted attempt scored 0; a short
   * answer still waiting for a grader is not counted yet.
   */
  private async questions(examId: string, scopePath: string): Promise<ExamQuestionRow[]> {
    const rows: Array<{
      question_id: string;
      stem: string;
      kind: QuestionKind;
      topic: string | null;
      course_title: string | null;
      lecture_title: string | null;
      answered: number;
      scored: number;
      full: number;
      share_sum: number | null;
    }> = await this.db.query(
      `WITH pop AS (${population('$1', '$2')}),
            items AS (
              SELECT it.item ->> 'questionId' AS question_id, it.item, it.ord, a.started_at,
                     (it.item ->> 'points')::numeric AS points, ans.attempt_id IS NOT NULL AS answered,
                     CASE WHEN ans.attempt_id IS NULL THEN 0 ELSE ans.points END AS given
                FROM exam_attempts a JOIN pop ON pop.user_id = a.user_id
               CROSS JOIN LATERAL jsonb_array_elements(a.paper) WITH ORDINALITY AS it(item, ord)
                LEFT JOIN exam_answers ans ON ans.attempt_id = a.id AND ans.item = it.ord - 1
               WHERE a.exam_id = $1 AND a.status IN ('graded', 'grading'))
       SELECT i.question_id,
              (array_agg(i.item ->> 'stem' ORDER BY i.started_at DESC))[1] AS stem,
              (array_agg(i.item ->> 'kind' ORDER BY i.started_at DESC))[1] AS kind,
              (array_agg(i.item ->> 'topic' ORDER BY i.started_at DESC))[1] AS topic,
              (SELECT c.title FROM courses c WHERE c.id::text = (array_agg(i.item ->> 'courseId' ORDER BY i.started_at DESC))[1]) AS course_title,
              (SELECT l.title FROM lectures l WHERE l.id::text = (array_agg(i.item ->> 'lectureId' ORDER BY i.started_at DESC))[1]) AS lecture_title,
              count(*) FILTER (WHERE i.answered)::int AS answered,
              count(i.given)::int AS scored,
              count(*) FILTER (WHERE i.given >= i.points)::int AS full,
              -- least() skips nulls: a pending answer must not count as full points
              (sum(least(i.given, i.points) / i.points) FILTER (WHERE i.given IS NOT NULL))::float8 AS share_sum
         FROM items i
        GROUP BY i.question_id
        ORDER BY min(i.ord), i.question_id`,
      [examId, scopePath],
    );
    return rows.map((r) => ({
      questionId: r.question_id,
      stem: r.stem,
      kind: r.kind,
      topic: r.topic,
      courseTitle: r.course_title,
      lectureTitle: r.lecture_title,
      answered: r.answered,
      correctShare: r.scored ? Math.round((r.full / r.scored) * 10_000) / 10_000 : null,
      averageShare: r.scored ? Math.round((Number(r.share_sum) / r.scored) * 10_000) / 10_000 : null,
    }));
  }

  private memberRow(row: MemberResultRow): ExamMemberRow {
    const best = percent2(row.best_percent);
    const before = percent2(row.before_percent);
    return {
      member: { id: row.user_id, name: row.name, login: row.login, unitName: row.unit_name, unitPath: row.unit_path },
      outcome: row.outcome,
      attempts: row.attempts,
      bestScore: score2(row.best_score),
      bestPercent: best,
      lastSubmittedAt: row.last_submitted_at?.toISOString() ?? null,
      beforePercent: before,
      gain: row.best_percent !== null && row.before_percent !== null ? round2(row.best_percent - row.before_percent) : null,
    };
  }

  /** The members table, by unit path and login, a page at a time, narrowed to an outcome if asked. */
  async members(
    principal: Principal,
    examId: string,
    query: MemberPageQuery,
  ): Promise<{ items: ExamMemberRow[]; nextCursor: string | null }> {
    const scope = await this.scopeOf(principal, query.unitId);
    const exam = await this.examFor(principal, examId);
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const rows: MemberResultRow[] = await this.db.query(
      `SELECT * FROM (${memberResults('$1', '$2', '$3')}) m
        WHERE ($4::text IS NULL OR m.outcome = $4)
          AND ($5::text IS NULL OR (m.unit_path, m.login, m.user_id::text) > ($5, $6, $7))
        ORDER BY m.unit_path, m.login, m.user_id::text
        LIMIT $8`,
      [
        exam.id,
        scope.path,
        exam.pre_exam_id,
        query.outcome ?? null,
        after?.[0] ?? null,
        after?.[1] ?? null,
        after?.[2] ?? null,
        query.limit + 1,
      ],
    );
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((r) => this.memberRow(r)),
      nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]!) : null,
    };
  }

  /** Every row of the members table (for the exports), with the exam and the unit it covers. */
  async allMembers(
    principal: Principal,
    examId: string,
    unitId?: string,
  ): Promise<{ exam: ExamRow; unit: { name: string; path: string }; rows: ExamMemberRow[] }> {
    const unit = await this.scopeOf(principal, unitId);
    const exam = await this.examFor(principal, examId);
    return { exam, unit, rows: (await this.results(exam, unit.path)).map((r) => this.memberRow(r)) };
  }
}

import { createHash } from 'node:crypto';
import { HttpException, Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import type {
  IssuedStudyRecord,
  StudyRecordExam,
  StudyRecordPlan,
  StudyRecordPreview,
  StudyRecordSnapshot,
  StudyRecordVerification,
} from '#contracts';
import { PLAYBACK_OPTIONS, type PlaybackOptions } from '../playback/playback.service.js';
import { countedLectures } from '../study/counted-lectures.sql.js';
import { MyStudyService } from '../study/my-study.service.js';
import { STUDY_OPTIONS, type StudyOptions } from '../study/study-options.js';
import { checkRecordLink, newRecordCode, recordLinkKey, signRecordLink } from './record-code.js';
import { CJK_FONT_PACKAGE, findRecordFonts, renderRecordPdf } from './record-pdf.js';

/** A download within this time of an identical one (same figures, same language) gets that record again. */
export const REUSE_WITHIN_MS = 10 * 60_000;
/** New records one member may have issued in 24 hours; downloading the same record again is not counted. */
export const MAX_RECORDS_PER_DAY = 20;
/** How long a link that opens a record's PDF without signing in (for browsers that cannot save a download) works. */
export const LINK_TTL_SEC = 10 * 60;

interface RecordRow {
  code: string;
  user_id: string;
  issued_at: Date;
  lang: 'zh-CN' | 'en';
  time_zone: string;
  snapshot: StudyRecordSnapshot;
}

const toIssued = (row: RecordRow): IssuedStudyRecord => ({
  code: row.code,
  issuedAt: row.issued_at.toISOString(),
  lang: row.lang,
  timeZone: row.time_zone,
  snapshot: row.snapshot,
});

/**
 * The figures a verifier compares: hours, statuses and completed lectures per plan, and the exams passed
 * with their scores (not names or titles, which may be edited).
 */
export function figuresOf(snapshot: Pick<StudyRecordSnapshot, 'plans' | 'exams'>): string {
  return JSON.stringify([
    ...snapshot.plans.map((p) => [
      p.planId,
      p.requiredHours,
      p.earnedHours,
      p.status,
      p.closedAt,
      p.lectures.length,
      p.lectures.reduce((sum, l) => sum + l.creditedSec, 0),
    ]),
    ...(snapshot.exams ?? []).map((e) => [e.examId, e.score, e.maxScore]),
  ]);
}

const hashOf = (snapshot: StudyRecordSnapshot, lang: string) =>
  createHash('sha256')
    .update(JSON.stringify([lang, snapshot]))
    .digest('hex');

/**
 * Personal study records: what a member's record says (their plans as My study shows them, with the
 * lectures completed), issuing one (a kept row with a random code), its PDF, and its public verification.
 */
@Injectable()
export class StudyRecordService {
  private readonly linkKey: Buffer;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly myStudy: MyStudyService,
    @Inject(STUDY_OPTIONS) private readonly options: StudyOptions,
    @Inject(PLAYBACK_OPTIONS) playback: PlaybackOptions,
  ) {
    this.linkKey = recordLinkKey(playback.key);
  }

  /** What a record issued now would say. */
  async snapshotOf(userId: string): Promise<StudyRecordSnapshot> {
    const [person]: Array<{ name: string; login: string; unit_path: string[] }> = await this.db.query(
      `SELECT u.name, u.login,
              (SELECT array_agg(a.name ORDER BY a.depth) FROM org_units a WHERE o.path = a.path OR o.path LIKE a.path || '/%') AS unit_path
         FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = $1`,
      [userId],
    );
    if (!person) throw new NotFoundException('No such account.');
    const plans = await this.myStudy.plansOf(userId);
    return {
      name: person.name,
      login: person.login,
      unitPath: person.unit_path,
      exams: await this.examsPassed(userId),
      plans: await Promise.all(
        plans.map(async (plan): Promise<StudyRecordPlan> => {
          const lectures = await countedLectures(this.db, this.options.timeZone, plan.id, userId);
          return {
            planId: plan.id,
            name: plan.name,
            periodStart: plan.periodStart,
            periodEnd: plan.periodEnd,
            mode: plan.mode,
            creditHoursPerLecture: plan.creditHoursPerLecture,
            requiredHours: plan.requiredHours,
            earnedHours: plan.earnedHours,
            status: plan.status,
            closedAt: plan.closedAt,
            hoursByRule: plan.hoursByRule,
            lectures: lectures.flatMap((l) =>
              l.completedOn === null
                ? []
                : [
                    {
                      courseTitle: l.courseTitle,
                      lectureTitle: l.lectureTitle,
                      completedOn: l.completedOn,
                      creditedSec: plan.mode === 'per_lecture' ? (plan.creditHoursPerLecture ?? 0) * 3600 : l.periodSec + l.makeupSec,
                    },
                  ],
            ),
          };
        }),
      ),
    };
  }

  /** Each exam the member passed, by their best graded attempt (voided attempts never count), in the order passed. */
  private async examsPassed(userId: string): Promise<StudyRecordExam[]> {
    const zone = this.options.timeZone;
    const rows: Array<{ exam_id: string; title: string; passed_on: string; score: number; max_score: number }> = await this.db.query(
      `SELECT * FROM (
         SELECT DISTINCT ON (a.exam_id) a.exam_id, e.title, a.score::float8 AS score, a.max_score::float8 AS max_score,
                to_char((coalesce(a.graded_at, a.submitted_at) AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS passed_on
           FROM exam_attempts a JOIN exams e ON e.id = a.exam_id
          WHERE a.user_id = $1 AND a.status = 'graded' AND a.passed
          ORDER BY a.exam_id, a.score DESC, a.submitted_at) best
        ORDER BY passed_on, title`,
      [userId, zone],
    );
    return rows.map((r) => ({
      examId: r.exam_id,
      title: r.title,
      passedOn: r.passed_on,
      score: r.score,
      maxScore: r.max_score,
      percent: Math.round((r.score / r.max_score) * 10_000) / 100,
    }));
  }

  async preview(principal: Principal): Promise<StudyRecordPreview> {
    return { timeZone: this.options.timeZone, snapshot: await this.snapshotOf(principal.userId) };
  }

  /**
   * Issues the caller's record: a new kept row, unless the same record (same figures, same language) was
   * issued in the last 10 minutes, which is given again, so pressing the button twice makes one record.
   * At most 20 new records a day per member (429 after that).
   */
  async issue(principal: Principal, lang: 'zh-CN' | 'en'): Promise<IssuedStudyRecord> {
    this.fonts(); // refuse before keeping a record that cannot be drawn
    const snapshot = await this.snapshotOf(principal.userId);
    const hash = hashOf(snapshot, lang);
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('study_record:' || $1))`, [principal.userId]);
      const [recent]: RecordRow[] = await tx.query(
        `SELECT code, user_id, issued_at, lang, time_zone, snapshot FROM study_records
          WHERE user_id = $1 AND content_hash = $2 AND issued_at > now() - make_interval(secs => $3)
          ORDER BY issued_at DESC LIMIT 1`,
        [principal.userId, hash, REUSE_WITHIN_MS / 1000],
      );
      if (recent) return toIssued(recent);
      const [{ count }] = await tx.query(
        `SELECT count(*)::int AS count FROM study_records WHERE user_id = $1 AND issued_at > now() - interval '24 hours'`,
        [principal.userId],
      );
      if (count >= MAX_RECORDS_PER_DAY) {
        throw new HttpException(
          {
            statusCode: 429,
            message: `You have had ${MAX_RECORDS_PER_DAY} study records issued in the last 24 hours. Please use one of them, or try again tomorrow.`,
          },
          429,
        );
      }
      const [row]: RecordRow[] = await tx.query(
        `INSERT INTO study_records (code, user_id, lang, time_zone, content_hash, snapshot) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING code, user_id, issued_at, lang, time_zone, snapshot`,
        [newRecordCode(), principal.userId, lang, this.options.timeZone, hash, JSON.stringify(snapshot)],
      );
      return toIssued(row!);
    });
  }

  /** The record's PDF, with its QR code and address at `origin`. */
  async pdf(record: IssuedStudyRecord, origin: string): Promise<Buffer> {
    return renderRecordPdf(record, `${origin}/verify/${record.code}`, this.fonts());
  }

  /** A link that opens the caller's just-issued record without the Authorization header, for 10 minutes. */
  link(record: IssuedStudyRecord): { code: string; url: string; expiresAt: string } {
    const expiresAt = Math.floor(Date.now() / 1000) + LINK_TTL_SEC;
    const token = signRecordLink(this.linkKey, record.code, expiresAt);
    return {
      code: record.code,
      url: `/api/study-records/${record.code}/pdf?t=${encodeURIComponent(token)}`,
      expiresAt: new Date(expiresAt * 1000).toISOString(),
    };
  }

  /** A record by its code, if the link's signature holds. */
  async byLink(code: string, token: string): Promise<IssuedStudyRecord> {
    const check = checkRecordLink(this.linkKey, code, token, Math.floor(Date.now() / 1000));
    if (check === 'expired')
      throw new HttpException(
        { statusCode: 410, message: 'This link has expired. Open the study record page and press the button again.' },
        410,
      );
    if (check !== 'ok') throw new NotFoundException('No study record at this link.');
    return toIssued(await this.row(code));
  }

  /** Public: what the record says, and whether the member's figures computed now are still the same. */
  async verify(code: string): Promise<StudyRecordVerification> {
    const row = await this.row(code);
    const current = await this.snapshotOf(row.user_id);
    return {
      code: row.code,
      issuedAt: row.issued_at.toISOString(),
      lang: row.lang,
      timeZone: row.time_zone,
      name: row.snapshot.name,
      unitPath: row.snapshot.unitPath,
      plans: row.snapshot.plans.map(({ planId: _planId, lectures, ...plan }) => ({ ...plan, lectureCount: lectures.length, lectures })),
      exams: row.snapshot.exams ?? [],
      // A record issued before exams were kept on records is compared by its plans alone.
      current: { sameAsIssued: figuresOf(row.snapshot.exams ? current : { plans: current.plans }) === figuresOf(row.snapshot) },
    };
  }

  private async row(code: string): Promise<RecordRow> {
    const [row]: RecordRow[] = await this.db.query(
      `SELECT code, user_id, issued_at, lang, time_zone, snapshot FROM study_records WHERE code = $1`,
      [code],
    );
    if (!row) throw new NotFoundException('No study record has this number. Check the number on the paper and try again.');
    return row;
  }

  private fonts() {
    const fonts = findRecordFonts();
    if (!fonts) {
      throw new ServiceUnavailableException(
        `Study records cannot be made on this server: the Chinese font is missing. Install the Debian package ${CJK_FONT_PACKAGE}.`,
      );
    }
    return fonts;
  }
}

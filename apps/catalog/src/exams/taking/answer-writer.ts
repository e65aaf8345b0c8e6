import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { MemberAnswer } from '#contracts';
import { SUBMIT_GRACE_SECONDS } from '#exams';

export interface AnswerWrite {
  attemptId: string;
  item: number;
  answer: MemberAnswer;
  baseRevision: number;
  actorId: string;
}

/** A save as written; null when nothing was written (the attempt is over, or the revision moved on). */
export type WrittenAnswer = { revision: number; savedAt: Date; deadlineAt: Date; now: Date } | null;

interface Waiting {
  write: AnswerWrite;
  key: string;
  resolve: (written: WrittenAnswer) => void;
  reject: (error: unknown) => void;
}

/** Batches committing at once, each on its own connection. */
const PARALLEL = 2;
/** The most saves one statement writes. */
const MAX_BATCH = 200;

/**
 * Writes members' saves with group commit: saves that arrive together are written in one statement and
 * one commit, and each is answered only after that commit, so an acknowledged answer is durable. Each save
 * still stands alone: the attempt must be in progress and within its deadline and grace (its row is
 * share-locked, so a submit waits for the batch or the batch sees the submit), the answer is written only if
 * its base revision is the stored one, and the save is logged. While one batch commits the next gathers;
 * a second save of the same answer waits for the batch holding the first.
 */
@Injectable()
export class AnswerWriter {
  private readonly queue: Waiting[] = [];
  private readonly writing = new Set<string>();
  private running = 0;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  write(write: AnswerWrite): Promise<WrittenAnswer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ write, key: `${write.attemptId}/${write.item}`, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < PARALLEL && this.queue.length) {
      const batch: Waiting[] = [];
      const keys = new Set<string>();
      for (let i = 0; i < this.queue.length && batch.length < MAX_BATCH;) {
        const waiting = this.queue[i]!;
        if (this.writing.has(waiting.key) || keys.has(waiting.key)) {
          i++;
          continue;
        }
        keys.add(waiting.key);
        batch.push(waiting);
        this.queue.splice(i, 1);
      }
      if (!batch.length) return;
      for (const key of keys) this.writing.add(key);
      this.running++;
      void this.commit(batch).finally(() => {
        for (const key of keys) this.writing.delete(key);
        this.running--;
        this.pump();
      });
    }
  }

  private async commit(batch: Waiting[]): Promise<void> {
    try {
      const rows: Array<{ n: string; revision: number | null; savedAt: Date | null; deadlineAt: Date | null; now: Date }> =
        await this.db.query(
          `WITH k AS (
           SELECT * FROM unnest($1::uuid[], $2::int[], $3::jsonb[], $4::int[], $5::uuid[])
             WITH ORDINALITY AS k(attempt_id, item, answer, base, actor, n)),
         ok AS (
           SELECT k.n, k.attempt_id, k.item, k.answer, k.base, a.deadline_at
             FROM k JOIN exam_attempts a ON a.id = k.attempt_id
            WHERE a.status = 'in_progress' AND now() <= a.deadline_at + make_interval(secs => ${SUBMIT_GRACE_SECONDS})
            FOR KEY SHARE OF a),
         ins AS (
           INSERT INTO exam_answers (attempt_id, item, answer)
           SELECT attempt_id, item, answer FROM ok WHERE base = 0
           ON CONFLICT (attempt_id, item) DO NOTHING
           RETURNING attempt_id, item, revision, saved_at),
         upd AS (
           UPDATE exam_answers x SET answer = ok.answer, revision = x.revision + 1, saved_at = now()
             FROM ok
            WHERE ok.base > 0 AND x.attempt_id = ok.attempt_id AND x.item = ok.item AND x.revision = ok.base
           RETURNING x.attempt_id, x.item, x.revision, x.saved_at),
         w AS (SELECT * FROM ins UNION ALL SELECT * FROM upd),
         ev AS (
           INSERT INTO exam_attempt_events (attempt_id, kind, actor_id, detail)
           SELECT w.attempt_id, 'saved', k.actor, jsonb_build_object('item', w.item, 'revision', w.revision)
             FROM w JOIN k ON k.attempt_id = w.attempt_id AND k.item = w.item)
         SELECT k.n, w.revision, w.saved_at AS "savedAt", ok.deadline_at AS "deadlineAt", now() AS now
           FROM k LEFT JOIN w ON w.attempt_id = k.attempt_id AND w.item = k.item LEFT JOIN ok ON ok.n = k.n`,
          [
            batch.map((b) => b.write.attemptId),
            batch.map((b) => b.write.item),
            batch.map((b) => JSON.stringify(b.write.answer)),
            batch.map((b) => b.write.baseRevision),
            batch.map((b) => b.write.actorId),
          ],
        );
      const byIndex = new Map(rows.map((r) => [Number(r.n), r]));
      batch.forEach((waiting, i) => {
        const row = byIndex.get(i + 1);
        waiting.resolve(
          row && row.revision !== null && row.savedAt && row.deadlineAt
            ? { revision: row.revision, savedAt: row.savedAt, deadlineAt: row.deadlineAt, now: row.now }
            : null,
        );
      });
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
}

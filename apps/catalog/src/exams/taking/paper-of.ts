import { ConflictException } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { buildPaper, drawPaper, DrawShortageError, type PaperItem } from '#exams';
import { examPaperSource } from '../bank/paper-source.js';

/**
 * A member's paper for an exam, seeded by the attempt's id: the fixed items, or questions drawn by the exam's
 * rules from the bank, in the member's order with the options shuffled as the exam says. Keys included: the
 * paper is frozen into the attempt on the server.
 */
export async function paperOf(
  db: DataSource | EntityManager,
  examId: string,
  seed: string,
  options: { shuffleQuestions: boolean; shuffleOptions: boolean },
): Promise<PaperItem[]> {
  const source = await examPaperSource(db, examId);
  try {
    const picked = source.kind === 'fixed' ? source.items : drawPaper(source.bank, source.rules, seed);
    return buildPaper(picked, seed, options);
  } catch (error) {
    if (!(error instanceof DrawShortageError)) throw error;
    throw new ConflictException({
      statusCode: 409,
      code: 'no_questions',
      message: 'The question bank no longer holds enough questions for this exam’s paper. Ask the exam’s editor to add questions.',
    });
  }
}

/** Where the page loads a question's picture from. */
export const examImageUrl = (id: string) => `/api/exam-images/${id}`;

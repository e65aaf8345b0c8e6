import type { DrawRuleInput, MemberAnswer, QuestionAnswerKey, QuestionInput, QuestionKind, QuestionOption } from '#contracts';

/** A question of the bank, as drawing and grading read it: the stored question without its tags and owner. */
export interface BankQuestion extends Omit<QuestionInput, 'tags' | 'ownerUnitId'> {
  id: string;
}

/** A rule of a drawn paper: `count` questions of `kind`, narrowed by the fields that are set. */
export type DrawRule = DrawRuleInput;

/**
 * A question as frozen into one attempt's paper, in the member's order and with its options in the
 * member's order: the server keeps it (`exam_attempts.paper`), with its key; the member never sees `key`
 * or `explanation` before grading.
 */
export interface PaperItem {
  questionId: string;
  kind: QuestionKind;
  stem: string;
  options: QuestionOption[];
  key: QuestionAnswerKey;
  points: number;
  explanation: string;
  imageId: string | null;
  topic: string | null;
  courseId: string | null;
  lectureId: string | null;
}

export type MultipleScoring = 'all_or_nothing' | 'partial';

/** One answer's grade: null points (and correct) while a short answer waits for a person. */
export interface ItemGrade {
  points: number | null;
  correct: boolean | null;
}

export type { MemberAnswer };

// Public API of #exams: pure rules for grading answers, drawing and shuffling papers, the attempt clock,
// the member's view of a paper and pre/post-test gains.
export * from './types.js';
export {
  blankCount,
  finalScore,
  gradeAnswer,
  hasPassed,
  MAX_BLANK_LENGTH,
  MAX_SHORT_ANSWER_LENGTH,
  normaliseBlank,
  percentOf,
  scoreAttempt,
  validateAnswer,
  type AnswerValidation,
  type AttemptScore,
} from './grading.js';
export {
  buildPaper,
  drawPaper,
  DrawShortageError,
  drawShortages,
  matchesRule,
  ruleFillOrder,
  seededRandom,
  shuffle,
  type DrawnQuestion,
  type DrawShortage,
} from './draw.js';
export { acceptsWrite, attemptDeadline, isOverdue, remainingSeconds, SUBMIT_GRACE_SECONDS } from './clock.js';
export { toMemberQuestion } from './paper-view.js';
export { prePostGain, type PrePostGain } from './pre-post.js';
export { fromHundredths, round2, toHundredths } from './numbers.js';

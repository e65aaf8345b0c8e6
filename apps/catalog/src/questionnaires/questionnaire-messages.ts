import type { AnswerIssue, AnswerProblem, QuestionIssue, QuestionProblem } from '#contracts';

const QUESTION_MESSAGES: Record<QuestionProblem, string> = {
  too_few_options: 'give it at least two options to choose from.',
  too_many_options: 'give it at most 30 options.',
  options_not_allowed: 'a rating or free-text question takes no options; remove them.',
  option_repeated: 'two options have the same id; give each option its own id.',
  option_label_repeated: 'two options have the same label; make each option different.',
  other_twice: 'only one option may be "other"; keep one.',
  other_on_ranking: 'a ranking question cannot have an "other" option; remove it.',
  scale_missing: 'a rating question needs its scale, for example 1 to 5.',
  scale_not_allowed: 'only a rating question has a scale; remove it.',
  scale_inverted: 'the top of the scale must be above its bottom.',
  question_repeated: 'two questions have the same id; give each question its own id.',
  condition_unknown: 'its condition names a question that is not in this questionnaire; choose an earlier question.',
  condition_not_earlier: 'its condition names a later question; a question can only depend on an earlier one. Move it below.',
  condition_not_choice: 'its condition must name an earlier single or multiple choice question.',
  condition_no_options: 'its condition must name at least one option of the earlier question.',
  condition_unknown_option: 'its condition names an option the earlier question does not have; choose from its options.',
};

/** The editor's message for each problem with the questions, naming the question by its number. */
export const questionMessages = (issues: QuestionIssue[]) =>
  issues.map((i) => `questions[${i.index}]: question ${i.index + 1}: ${QUESTION_MESSAGES[i.problem]}`);

const ANSWER_MESSAGES: Record<AnswerProblem, string> = {
  unknown_question: 'this question is not in the questionnaire; reload the page and answer again.',
  hidden_answered: 'this question is not asked given your earlier answers; leave it empty.',
  required: 'this question must be answered.',
  wrong_shape: 'this answer does not fit the question; answer it again.',
  one_option: 'choose one option only.',
  unknown_option: 'this option is not one of the question’s; choose from its options.',
  repeated_option: 'an option is chosen twice; choose each once.',
  other_text_missing: 'you chose "other": say what in the box.',
  other_text_unexpected: 'text for "other" is only kept when "other" is chosen.',
  other_text_too_long: 'the text for "other" must be at most 200 characters.',
  rating_out_of_scale: 'choose a point on the question’s scale.',
  ranking_incomplete: 'put every option in order.',
  text_too_long: 'the answer must be at most 2000 characters.',
};

/** The member's message for each problem with the answers, naming the question by its number. */
export const answerMessages = (issues: AnswerIssue[], numberOf: (questionId: string) => number | undefined) =>
  issues.map((i) => {
    const n = numberOf(i.questionId);
    return `answers.${i.questionId}: ${n === undefined ? 'unknown question' : `question ${n}`}: ${ANSWER_MESSAGES[i.problem]}`;
  });

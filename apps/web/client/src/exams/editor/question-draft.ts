import type { QuestionInput, QuestionKind, QuestionOption, QuestionView } from '#contracts';

/** The question form as typed: text everywhere, turned into a `QuestionInput` on saving. */
export interface QuestionDraft {
  kind: QuestionKind;
  stem: string;
  options: QuestionOption[];
  /** The keys marked correct (single: at most one). */
  correct: string[];
  truth: boolean | null;
  /** For each blank, its accepted answers one per line. */
  blanks: string[];
  reference: string;
  points: string;
  explanation: string;
  topic: string;
  difficulty: string;
  tags: string;
  imageId: string | null;
  imageUrl: string | null;
  courseId: string | null;
  lectureId: string | null;
}

export const OPTION_KEYS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;
export const MIN_OPTIONS = 2;

/** A blank in a stem, as the server counts them: four or more underscores, or empty brackets "（ ）" or "( )". */
export const BLANK = /_{4,}|（[ \u3000]*）|\([ \u3000]*\)/g;

/** How many blanks the stem has. */
export const blankCount = (stem: string) => (stem.match(BLANK) ?? []).length;

export function emptyDraft(kind: QuestionKind = 'single'): QuestionDraft {
  return {
    kind,
    stem: '',
    options: OPTION_KEYS.slice(0, 4).map((key) => ({ key, text: '' })),
    correct: [],
    truth: null,
    blanks: [''],
    reference: '',
    points: '2',
    explanation: '',
    topic: '',
    difficulty: '',
    tags: '',
    imageId: null,
    imageUrl: null,
    courseId: null,
    lectureId: null,
  };
}

export function draftOf(view: QuestionView): QuestionDraft {
  const base = emptyDraft(view.kind);
  const answer = view.answer;
  return {
    ...base,
    stem: view.stem,
    options: view.options.length > 0 ? view.options : base.options,
    correct: 'keys' in answer ? answer.keys : [],
    truth: 'value' in answer ? answer.value : null,
    blanks: 'blanks' in answer ? answer.blanks.map((alternatives) => alternatives.join('\n')) : base.blanks,
    reference: 'reference' in answer ? answer.reference : '',
    points: String(view.points),
    explanation: view.explanation,
    topic: view.topic ?? '',
    difficulty: view.difficulty === null ? '' : String(view.difficulty),
    tags: view.tags.join(', '),
    imageId: view.imageId,
    imageUrl: view.imageUrl,
    courseId: view.courseId,
    lectureId: view.lectureId,
  };
}

/** Another kind: what still fits is kept (a single choice marked with several keeps only the first). */
export function withKind(draft: QuestionDraft, kind: QuestionKind): QuestionDraft {
  return { ...draft, kind, correct: kind === 'single' ? draft.correct.slice(0, 1) : draft.correct };
}

/** One more option, lettered after the last. */
export function addOption(draft: QuestionDraft): QuestionDraft {
  if (draft.options.length >= OPTION_KEYS.length) return draft;
  return { ...draft, options: [...draft.options, { key: OPTION_KEYS[draft.options.length]!, text: '' }] };
}

/** Removes an option; those after it move up a letter, and so do their correct marks. */
export function removeOption(draft: QuestionDraft, key: string): QuestionDraft {
  const kept = draft.options.filter((option) => option.key !== key);
  const renamed = new Map(kept.map((option, index) => [option.key, OPTION_KEYS[index]!]));
  return {
    ...draft,
    options: kept.map((option) => ({ key: renamed.get(option.key)!, text: option.text })),
    correct: draft.correct.filter((k) => renamed.has(k)).map((k) => renamed.get(k)!),
  };
}

export function markCorrect(draft: QuestionDraft, key: string, on: boolean): QuestionDraft {
  if (draft.kind === 'single') return { ...draft, correct: on ? [key] : [] };
  const correct = on ? [...new Set([...draft.correct, key])] : draft.correct.filter((k) => k !== key);
  return { ...draft, correct: OPTION_KEYS.filter((k) => correct.includes(k)) };
}

/** The blank answer fields follow the number of blanks in the stem (at least one). */
export function blanksFor(draft: QuestionDraft): string[] {
  const count = Math.max(1, blankCount(draft.stem));
  return Array.from({ length: count }, (_, index) => draft.blanks[index] ?? '');
}

const alternativesOf = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

export type QuestionField = 'stem' | 'options' | 'correct' | 'blanks' | 'points';
export type QuestionProblem =
  | 'stemRequired'
  | 'noBlanks'
  | 'optionRequired'
  | 'optionsTooFew'
  | 'pickCorrect'
  | 'pickCorrectMultiple'
  | 'pickTruth'
  | 'blankRequired'
  | 'pointsRequired';

/** What must change before the draft can be saved, by field; empty when it can. */
export function checkDraft(draft: QuestionDraft): Partial<Record<QuestionField, QuestionProblem>> {
  const found: Partial<Record<QuestionField, QuestionProblem>> = {};
  if (!draft.stem.trim()) found.stem = 'stemRequired';
  else if (draft.kind === 'fill_blank' && blankCount(draft.stem) === 0) found.stem = 'noBlanks';
  if (draft.kind === 'single' || draft.kind === 'multiple') {
    if (draft.options.length < MIN_OPTIONS) found.options = 'optionsTooFew';
    else if (draft.options.some((option) => !option.text.trim())) found.options = 'optionRequired';
    if (draft.kind === 'single' && draft.correct.length !== 1) found.correct = 'pickCorrect';
    if (draft.kind === 'multiple' && draft.correct.length === 0) found.correct = 'pickCorrectMultiple';
  }
  if (draft.kind === 'true_false' && draft.truth === null) found.correct = 'pickTruth';
  if (draft.kind === 'fill_blank' && blanksFor(draft).some((text) => alternativesOf(text).length === 0)) found.blanks = 'blankRequired';
  const points = Number(draft.points.replace(',', '.'));
  if (!draft.points.trim() || !Number.isFinite(points) || points <= 0) found.points = 'pointsRequired';
  return found;
}

/** The draft as the API takes it; call after `checkDraft` found nothing. */
export function inputOf(draft: QuestionDraft): QuestionInput {
  const choice = draft.kind === 'single' || draft.kind === 'multiple';
  const answer: QuestionInput['answer'] =
    draft.kind === 'true_false'
      ? { value: draft.truth === true }
      : draft.kind === 'fill_blank'
        ? { blanks: blanksFor(draft).map(alternativesOf) }
        : draft.kind === 'short_answer'
          ? { reference: draft.reference.trim() }
          : { keys: draft.correct };
  return {
    kind: draft.kind,
    stem: draft.stem.trim(),
    options: choice ? draft.options.map((option) => ({ key: option.key, text: option.text.trim() })) : [],
    answer,
    points: Number(draft.points.replace(',', '.')),
    explanation: draft.explanation.trim(),
    topic: draft.topic.trim() || null,
    courseId: draft.courseId,
    lectureId: draft.lectureId,
    difficulty: draft.difficulty ? Number(draft.difficulty) : null,
    tags: [
      ...new Set(
        draft.tags
          .split(/[,，、;；]/)
          .map((tag) => tag.trim())
          .filter(Boolean),
      ),
    ],
    imageId: draft.imageId,
  };
}

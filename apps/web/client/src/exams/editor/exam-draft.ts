import type { ExamAudience, ExamInput, ExamView, QuestionKind } from '#contracts';

/** A question on a fixed paper, with what the builder shows of it. */
export interface PaperItem {
  questionId: string;
  kind: QuestionKind | null;
  stem: string;
  /** The question's own points. */
  basePoints: number | null;
  /** This paper's points, as typed; empty for the question's own. */
  points: string;
}

export interface RuleDraft {
  kind: QuestionKind;
  topic: string;
  difficulty: string;
  count: string;
  points: string;
}

export type Prerequisite = 'none' | 'course' | 'plan';

/** The exam form as typed; `inputOf` turns it into what the API takes. */
export interface ExamDraft {
  title: string;
  description: string;
  paperKind: 'fixed' | 'drawn';
  items: PaperItem[];
  rules: RuleDraft[];
  timeLimitMin: string;
  passPercent: string;
  maxAttempts: string;
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  multipleScoring: 'all_or_nothing' | 'partial';
  /** `datetime-local` values, in the browser's time zone. */
  opensAt: string;
  closesAt: string;
  showAnswers: boolean;
  creditHours: string;
  prerequisite: Prerequisite;
  requiresCourseId: string;
  requiresPlanId: string;
  /** 1..100 */
  requiresShare: string;
  preExamId: string;
  audience: ExamAudience;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as a `datetime-local` value in the browser's time zone. */
export function localInput(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (the browser's time zone) as an ISO instant; null when empty or unreadable. */
export function isoOf(local: string): string | null {
  if (!local) return null;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export const emptyRule = (): RuleDraft => ({ kind: 'single', topic: '', difficulty: '', count: '5', points: '2' });

export function emptyExam(now = new Date()): ExamDraft {
  const opens = new Date(now);
  opens.setHours(now.getHours() + 1, 0, 0, 0);
  const closes = new Date(opens);
  closes.setDate(closes.getDate() + 14);
  return {
    title: '',
    description: '',
    paperKind: 'fixed',
    items: [],
    rules: [emptyRule()],
    timeLimitMin: '60',
    passPercent: '60',
    maxAttempts: '1',
    shuffleQuestions: false,
    shuffleOptions: false,
    multipleScoring: 'all_or_nothing',
    opensAt: localInput(opens),
    closesAt: localInput(closes),
    showAnswers: true,
    creditHours: '',
    prerequisite: 'none',
    requiresCourseId: '',
    requiresPlanId: '',
    requiresShare: '100',
    preExamId: '',
    audience: { unitIds: [], categories: [], positions: [], classIds: [] },
  };
}

const text = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));

/** A saved exam as the form shows it; the fixed items' texts come from `questions` when known. */
export function examDraftOf(view: ExamView, questions: Map<string, { kind: QuestionKind; stem: string; points: number }>): ExamDraft {
  return {
    title: view.title,
    description: view.description,
    paperKind: view.paperKind,
    items: view.fixedItems.map((item) => {
      const question = questions.get(item.questionId);
      return {
        questionId: item.questionId,
        kind: question?.kind ?? null,
        stem: question?.stem ?? item.questionId,
        basePoints: question?.points ?? null,
        points: text(item.points),
      };
    }),
    rules:
      view.drawRules.length > 0
        ? view.drawRules.map((rule) => ({
            kind: rule.kind,
            topic: rule.topic ?? '',
            difficulty: text(rule.difficulty),
            count: String(rule.count),
            points: text(rule.points),
          }))
        : [emptyRule()],
    timeLimitMin: String(view.timeLimitMin),
    passPercent: String(view.passPercent),
    maxAttempts: String(view.maxAttempts),
    shuffleQuestions: view.shuffleQuestions,
    shuffleOptions: view.shuffleOptions,
    multipleScoring: view.multipleScoring,
    opensAt: localInput(view.opensAt),
    closesAt: localInput(view.closesAt),
    showAnswers: view.showAnswers,
    creditHours: text(view.creditHours),
    prerequisite: view.requiresCourseId ? 'course' : view.requiresPlanId ? 'plan' : 'none',
    requiresCourseId: view.requiresCourseId ?? '',
    requiresPlanId: view.requiresPlanId ?? '',
    requiresShare: view.requiresShare === null ? '100' : String(Math.round(view.requiresShare * 100)),
    preExamId: view.preExamId ?? '',
    audience: {
      unitIds: view.audience.unitIds,
      categories: view.audience.categories,
      positions: view.audience.positions,
      classIds: view.audience.classIds,
    },
  };
}

/** Moves the item at `index` by `by` places (−1 up, +1 down). */
export function moved<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (target < 0 || target >= list.length) return [...list];
  const next = [...list];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}

const number = (value: string) => Number(value.trim().replace(',', '.'));
const wholeAbove0 = (value: string) => /^\d+$/.test(value.trim()) && Number(value) > 0;
const positiveOrEmpty = (value: string) => !value.trim() || (Number.isFinite(number(value)) && number(value) > 0);

export type ExamField =
  'title' | 'items' | 'rules' | 'timeLimitMin' | 'passPercent' | 'maxAttempts' | 'window' | 'creditHours' | 'prerequisite' | 'audience';

export type ExamProblem =
  | 'titleRequired'
  | 'itemsRequired'
  | 'rulesRequired'
  | 'countRequired'
  | 'timeLimitRequired'
  | 'passPercentRequired'
  | 'maxAttemptsRequired'
  | 'windowRequired'
  | 'windowOrder'
  | 'creditHoursInvalid'
  | 'prereqMissing'
  | 'unitsRequired';

/** What must change before the exam can be saved; a draft may still be saved without questions. */
export function checkExam(draft: ExamDraft, forPublishing: boolean): Partial<Record<ExamField, ExamProblem>> {
  const found: Partial<Record<ExamField, ExamProblem>> = {};
  if (!draft.title.trim()) found.title = 'titleRequired';
  if (draft.paperKind === 'fixed' && forPublishing && draft.items.length === 0) found.items = 'itemsRequired';
  if (draft.paperKind === 'fixed' && draft.items.some((item) => !positiveOrEmpty(item.points))) found.items = 'itemsRequired';
  if (draft.paperKind === 'drawn') {
    if (draft.rules.length === 0) found.rules = 'rulesRequired';
    else if (draft.rules.some((rule) => !wholeAbove0(rule.count) || !rule.points.trim() || !positiveOrEmpty(rule.points))) {
      found.rules = 'countRequired';
    }
  }
  if (!wholeAbove0(draft.timeLimitMin)) found.timeLimitMin = 'timeLimitRequired';
  const pass = number(draft.passPercent);
  if (!draft.passPercent.trim() || !Number.isFinite(pass) || pass <= 0 || pass > 100) found.passPercent = 'passPercentRequired';
  if (!wholeAbove0(draft.maxAttempts)) found.maxAttempts = 'maxAttemptsRequired';
  const opens = isoOf(draft.opensAt);
  const closes = isoOf(draft.closesAt);
  if (!opens || !closes) found.window = 'windowRequired';
  else if (closes <= opens) found.window = 'windowOrder';
  if (!positiveOrEmpty(draft.creditHours)) found.creditHours = 'creditHoursInvalid';
  if (draft.prerequisite !== 'none') {
    const share = number(draft.requiresShare);
    const chosen = draft.prerequisite === 'course' ? draft.requiresCourseId : draft.requiresPlanId;
    if (!chosen || !Number.isFinite(share) || share < 1 || share > 100) found.prerequisite = 'prereqMissing';
  }
  if (draft.audience.unitIds.length === 0) found.audience = 'unitsRequired';
  return found;
}

const optionalNumber = (value: string) => (value.trim() ? number(value) : null);

/** The draft as the API takes it; call after `checkExam` found nothing. */
export function examInputOf(draft: ExamDraft): ExamInput {
  return {
    title: draft.title.trim(),
    description: draft.description.trim(),
    paperKind: draft.paperKind,
    fixedItems:
      draft.paperKind === 'fixed' ? draft.items.map((item) => ({ questionId: item.questionId, points: optionalNumber(item.points) })) : [],
    drawRules:
      draft.paperKind === 'drawn'
        ? draft.rules.map((rule) => ({
            kind: rule.kind,
            topic: rule.topic.trim() || null,
            difficulty: rule.difficulty ? Number(rule.difficulty) : null,
            count: Number(rule.count),
            points: optionalNumber(rule.points),
          }))
        : [],
    timeLimitMin: Number(draft.timeLimitMin),
    passPercent: number(draft.passPercent),
    maxAttempts: Number(draft.maxAttempts),
    shuffleQuestions: draft.shuffleQuestions,
    shuffleOptions: draft.shuffleOptions,
    multipleScoring: draft.multipleScoring,
    opensAt: isoOf(draft.opensAt)!,
    closesAt: isoOf(draft.closesAt)!,
    showAnswers: draft.showAnswers,
    creditHours: optionalNumber(draft.creditHours),
    requiresCourseId: draft.prerequisite === 'course' ? draft.requiresCourseId : null,
    requiresPlanId: draft.prerequisite === 'plan' ? draft.requiresPlanId : null,
    requiresShare: draft.prerequisite === 'none' ? null : number(draft.requiresShare) / 100,
    preExamId: draft.preExamId || null,
    audience: draft.audience,
  };
}

/** Questions on the paper and its total points, as far as the builder knows them. */
export function paperTotals(draft: ExamDraft): { count: number; score: number | null } {
  if (draft.paperKind === 'fixed') {
    let score = 0;
    for (const item of draft.items) {
      const points = item.points.trim() ? number(item.points) : item.basePoints;
      if (points === null || !Number.isFinite(points)) return { count: draft.items.length, score: null };
      score += points;
    }
    return { count: draft.items.length, score };
  }
  let count = 0;
  let score: number | null = 0;
  for (const rule of draft.rules) {
    const n = wholeAbove0(rule.count) ? Number(rule.count) : 0;
    const points = number(rule.points);
    count += n;
    score = score !== null && rule.points.trim() && Number.isFinite(points) ? score + n * points : null;
  }
  return { count, score: score === null ? null : Math.round(score * 100) / 100 };
}

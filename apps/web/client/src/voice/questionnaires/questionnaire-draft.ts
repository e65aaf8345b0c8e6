import type {
  QuestionnaireAudience,
  QuestionnaireInput,
  QuestionnaireQuestion,
  QuestionnaireQuestionKind,
  QuestionnaireView,
} from '#contracts';

/** A questionnaire as the editor holds it while it is being written: times as `datetime-local` values. */
export interface QuestionnaireDraft {
  title: string;
  intro: string;
  anonymous: boolean;
  opensAt: string;
  closesAt: string;
  audience: QuestionnaireAudience;
  questions: QuestionnaireQuestion[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as a `datetime-local` value in the browser's time zone. */
export function localInput(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value as an ISO instant; null when empty or unreadable. */
export function isoOf(local: string): string | null {
  if (!local) return null;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** A random (version 4) uuid; `crypto.randomUUID` is missing on pages served over plain http. */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An option id not yet used in the question: o1, o2, ... */
export function nextOptionId(question: QuestionnaireQuestion): string {
  const used = new Set(question.options.map((o) => o.id));
  let n = question.options.length + 1;
  while (used.has(`o${n}`)) n += 1;
  return `o${n}`;
}

export const isChoice = (kind: QuestionnaireQuestionKind) => kind === 'single' || kind === 'multiple';

export function emptyQuestion(kind: QuestionnaireQuestionKind): QuestionnaireQuestion {
  const base = { id: newId(), kind, prompt: '', required: false, options: [], scale: null, showIf: null };
  return withKind(base, kind);
}

/** The question turned into another kind: options kept for the choices, a scale for a rating. */
export function withKind(question: QuestionnaireQuestion, kind: QuestionnaireQuestionKind): QuestionnaireQuestion {
  const next: QuestionnaireQuestion = { ...question, kind };
  if (kind === 'rating') {
    next.options = [];
    next.scale = question.scale ?? { min: 1, max: 5, minLabel: '', maxLabel: '' };
  } else if (kind === 'text') {
    next.options = [];
    next.scale = null;
  } else {
    next.scale = null;
    let options = kind === 'ranking' ? question.options.filter((o) => !o.other) : question.options;
    while (options.length < 2) options = [...options, { id: nextOptionId({ ...next, options }), label: '' }];
    next.options = options;
  }
  return next;
}

export function emptyDraft(now = new Date()): QuestionnaireDraft {
  const closes = new Date(now.getTime() + 14 * 86_400_000);
  return {
    title: '',
    intro: '',
    anonymous: false,
    opensAt: localInput(now),
    closesAt: localInput(closes),
    audience: { unitIds: [], categories: [], positions: [], classIds: [] },
    questions: [],
  };
}

export const draftOf = (view: QuestionnaireView): QuestionnaireDraft => ({
  title: view.title,
  intro: view.intro,
  anonymous: view.anonymous,
  opensAt: localInput(view.opensAt),
  closesAt: localInput(view.closesAt),
  audience: view.audience,
  questions: view.questions,
});

/** What the page can tell before asking the server, as i18n keys under `questionnaires.edit.problems` with their values. */
export type DraftProblem = 'title' | 'window' | 'units' | 'prompt' | 'options' | 'condition';

export function draftProblems(draft: QuestionnaireDraft): Array<{ key: DraftProblem; n?: number }> {
  const problems: Array<{ key: DraftProblem; n?: number }> = [];
  if (!draft.title.trim()) problems.push({ key: 'title' });
  const opens = isoOf(draft.opensAt);
  const closes = isoOf(draft.closesAt);
  if (!opens || !closes || closes <= opens) problems.push({ key: 'window' });
  if (!draft.audience.unitIds.length) problems.push({ key: 'units' });
  draft.questions.forEach((q, i) => {
    if (!q.prompt.trim()) problems.push({ key: 'prompt', n: i + 1 });
    if (q.options.length && (q.options.length < 2 || q.options.some((o) => !o.label.trim()))) problems.push({ key: 'options', n: i + 1 });
    if (q.showIf && q.showIf.optionIds.length === 0) problems.push({ key: 'condition', n: i + 1 });
  });
  return problems;
}

export function inputOf(draft: QuestionnaireDraft): QuestionnaireInput {
  return {
    title: draft.title.trim(),
    intro: draft.intro.trim(),
    anonymous: draft.anonymous,
    opensAt: isoOf(draft.opensAt) ?? '',
    closesAt: isoOf(draft.closesAt) ?? '',
    audience: draft.audience,
    questions: draft.questions.map((q) => ({
      ...q,
      prompt: q.prompt.trim(),
      options: q.options.map((o) => ({ ...o, label: o.label.trim() })),
    })),
  };
}

export function moved<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (target < 0 || target >= list.length) return [...list];
  const next = [...list];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}

import type { ChoiceTally, QuestionTally, RankingTally, RatingTally, ResultQuestionKind, TextTally } from '#contracts';

/**
 * The figures of one question over a group's answers, by its kind. Every figure is a sum over answers
 * (a mean is a sum divided by a count), so the figures of a group never say more than its answers do.
 */

export interface TallyOption {
  id: string;
  label: string;
  /** The "other: ____" option. */
  other?: boolean;
}

export interface TallyQuestion {
  kind: ResultQuestionKind;
  options: readonly TallyOption[];
  /** Rating questions: the ends of the scale. */
  min?: number;
  max?: number;
}

/** One member's answer to one question, reduced to what the figures need. */
export interface TallyAnswer {
  /** Single and multiple choice: the options chosen; ranking: the options in the member's order, first first. */
  optionIds?: readonly string[];
  /** What was written after "other", or the free-text answer. */
  text?: string | null;
  /** Rating: the value chosen. */
  value?: number | null;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const shareOf = (count: number, of: number) => (of > 0 ? round(count / of, 4) : 0);
const written = (text: string | null | undefined) => typeof text === 'string' && text.trim().length > 0;

/** Single or multiple choice: how many chose each option (options no longer offered are not counted). */
export function tallyChoice(kind: 'single' | 'multiple', options: readonly TallyOption[], answers: readonly TallyAnswer[]): ChoiceTally {
  const known = new Set(options.map((o) => o.id));
  const counts = new Map<string, number>();
  let answered = 0;
  let otherTexts = 0;
  for (const answer of answers) {
    const chosen = [...new Set(answer.optionIds ?? [])].filter((id) => known.has(id));
    const picked = kind === 'single' ? chosen.slice(0, 1) : chosen;
    if (!picked.length) continue;
    answered++;
    for (const id of picked) counts.set(id, (counts.get(id) ?? 0) + 1);
    if (written(answer.text) && picked.some((id) => options.find((o) => o.id === id)?.other)) otherTexts++;
  }
  return {
    kind,
    answered,
    otherTexts,
    options: options.map((o) => {
      const count = counts.get(o.id) ?? 0;
      return { optionId: o.id, label: o.label, other: Boolean(o.other), count, share: shareOf(count, answered) };
    }),
  };
}

/** A rating scale: how many chose each value from `min` to `max`, and the mean (values off the scale are not counted). */
export function tallyRating(min: number, max: number, answers: readonly TallyAnswer[]): RatingTally {
  const counts = new Map<number, number>();
  let answered = 0;
  let sum = 0;
  for (const answer of answers) {
    const value = answer.value;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) continue;
    answered++;
    sum += value;
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const distribution: RatingTally['distribution'] = [];
  for (let value = min; value <= max; value++) {
    const count = counts.get(value) ?? 0;
    distribution.push({ value, count, share: shareOf(count, answered) });
  }
  return { kind: 'rating', answered, min, max, distribution, mean: answered ? round(sum / answered, 2) : null };
}

/**
 * A ranking: each option's average place among those who placed it, and its Borda points (of n options the
 * first earns n − 1, the next n − 2, …, an option left unplaced 0); most preferred first.
 */
export function tallyRanking(options: readonly TallyOption[], answers: readonly TallyAnswer[]): RankingTally {
  const n = options.length;
  const known = new Set(options.map((o) => o.id));
  const stats = new Map(options.map((o) => [o.id, { places: 0, rankedBy: 0, borda: 0, firstChoice: 0 }]));
  let answered = 0;
  for (const answer of answers) {
    const order = [...new Set(answer.optionIds ?? [])].filter((id) => known.has(id));
    if (!order.length) continue;
    answered++;
    order.forEach((id, index) => {
      const s = stats.get(id)!;
      s.places += index + 1;
      s.rankedBy++;
      s.borda += n - 1 - index;
      if (index === 0) s.firstChoice++;
    });
  }
  const ranked = options.map((o, position) => {
    const s = stats.get(o.id)!;
    return {
      position,
      optionId: o.id,
      label: o.label,
      averageRank: s.rankedBy ? round(s.places / s.rankedBy, 2) : null,
      borda: s.borda,
      firstChoice: s.firstChoice,
      rankedBy: s.rankedBy,
    };
  });
  ranked.sort((a, b) => b.borda - a.borda || (a.averageRank ?? Infinity) - (b.averageRank ?? Infinity) || a.position - b.position);
  return { kind: 'ranking', answered, options: ranked.map(({ position: _position, ...option }) => option) };
}

/** Free text: how many wrote something. The answers themselves are listed, not tallied. */
export function tallyText(answers: readonly TallyAnswer[]): TextTally {
  return { kind: 'text', answered: answers.filter((a) => written(a.text)).length };
}

/** The figures of a question of any kind. */
export function tally(question: TallyQuestion, answers: readonly TallyAnswer[]): QuestionTally {
  switch (question.kind) {
    case 'single':
    case 'multiple':
      return tallyChoice(question.kind, question.options, answers);
    case 'rating':
      return tallyRating(question.min ?? 1, question.max ?? 5, answers);
    case 'ranking':
      return tallyRanking(question.options, answers);
    case 'text':
      return tallyText(answers);
  }
}

// Questionnaire results and response rates, as the results pages read them. Types only.

/** The kinds of question a result is tallied for. */
export type ResultQuestionKind = 'single' | 'multiple' | 'rating' | 'ranking' | 'text';

export interface OptionCount {
  optionId: string;
  label: string;
  /** The "other: ____" option, whose written answers are listed with the free text. */
  other: boolean;
  count: number;
  /** Of the members who answered the question, 0..1. */
  share: number;
}

export interface ChoiceTally {
  kind: 'single' | 'multiple';
  answered: number;
  options: OptionCount[];
  /** How many wrote something after "other". */
  otherTexts: number;
}

export interface RatingTally {
  kind: 'rating';
  answered: number;
  min: number;
  max: number;
  /** Every value of the scale, lowest first. */
  distribution: Array<{ value: number; count: number; share: number }>;
  /** Two decimals; null when nobody answered. */
  mean: number | null;
}

export interface RankedOption {
  optionId: string;
  label: string;
  /** 1 is first; two decimals; null when nobody ranked it. */
  averageRank: number | null;
  /** Borda points: first of n options earns n − 1, last earns 0, not ranked earns 0. */
  borda: number;
  /** How many put it first. */
  firstChoice: number;
  rankedBy: number;
}

export interface RankingTally {
  kind: 'ranking';
  answered: number;
  /** Most preferred first (Borda points, then average rank). */
  options: RankedOption[];
}

export interface TextTally {
  kind: 'text';
  answered: number;
}

export type QuestionTally = ChoiceTally | RatingTally | RankingTally | TextTally;

export interface QuestionnaireResultQuestion {
  questionId: string;
  /** 1, 2, … as the questionnaire numbers them. */
  number: number;
  prompt: string;
  kind: ResultQuestionKind;
  /** Null when the group is too small to show (fewer than 5 respondents, or hidden so a smaller one stays hidden). */
  tally: QuestionTally | null;
}

export type BreakdownBy = 'unit' | 'category';

/** One row of a breakdown: a unit below the chosen one, the members directly in it, or a member category. */
export interface BreakdownGroup {
  key: string;
  /** A unit's or a category's name; for the members directly in the chosen unit, that unit's name. */
  label: string;
  kind: 'unit' | 'direct' | 'category' | 'no-category';
  /** Null when not shown. */
  respondents: number | null;
  /** Fewer than 5 respondents, or hidden so that no smaller group can be worked out from the totals. */
  suppressed: boolean;
  /** Per question, in the order of `questions`; null where suppressed. */
  tallies: Array<QuestionTally | null>;
}

export interface QuestionnaireResults {
  questionnaire: { id: string; title: string; anonymous: boolean; opensAt: string | null; closesAt: string | null };
  /** The unit the results are for: the caller's own or one of its subtree. */
  unit: { id: string; name: string; path: string };
  /** Null when the unit itself is too small to show. */
  respondents: number | null;
  suppressed: boolean;
  /** The smallest group shown. */
  minGroup: number;
  questions: QuestionnaireResultQuestion[];
  breakdown: { by: BreakdownBy; groups: BreakdownGroup[] };
}

/** A written answer: to a free-text question, or after "other". */
export interface TextAnswer {
  text: string;
  /** The smallest unit the answer may be told of (for anonymous questionnaires: one with at least 5 respondents). */
  unitName: string | null;
  /** Named questionnaires only. */
  memberName: string | null;
  /** Named questionnaires only. */
  submittedAt: string | null;
}

/** A column of a table the files carry as the screen shows it: its key and its heading in the viewer's language. */
export interface TableColumnLabel {
  key: string;
  label: string;
}

export interface TextAnswerPage {
  questionId: string;
  prompt: string;
  anonymous: boolean;
  /** False when the unit is too small to list what its members wrote. */
  shown: boolean;
  items: TextAnswer[];
  page: number;
  limit: number;
  total: number;
  columns: TableColumnLabel[];
}

export interface UnitResponseRate {
  unitId: string;
  name: string;
  path: string;
  depth: number;
  /** The unit and the units below it. */
  audience: number;
  responded: number;
  /** 0..1; null for an empty audience. */
  rate: number | null;
}

export interface ResponseRates {
  questionnaire: { id: string; title: string; anonymous: boolean };
  unit: { id: string; name: string; path: string };
  audience: number;
  responded: number;
  rate: number | null;
  /** The chosen unit first, then each unit below it in tree order. */
  items: UnitResponseRate[];
  columns: TableColumnLabel[];
}

/** A member of the audience who has not answered yet: who to phone, and where. */
export interface NonRespondent {
  userId: string;
  name: string;
  login: string;
  unitName: string;
  unitPath: string;
  /** A member category's name, or null. */
  category: string | null;
  /** Saved a half-filled answer. */
  started: boolean;
}

export interface NonRespondentPage {
  items: NonRespondent[];
  page: number;
  limit: number;
  total: number;
  columns: TableColumnLabel[];
}

export interface ReminderResult {
  /** In-app notices added, one per member not yet answered. */
  reminded: number;
}

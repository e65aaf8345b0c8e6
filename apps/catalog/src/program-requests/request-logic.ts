import { matchesAsPrefix, searchTerms, tsqueryOf } from '../courses/search-terms.js';

/**
 * The query side for finding similar requests while someone types: ANY term may match (a member rarely
 * words a topic exactly as another did), and the candidates are then ranked by `similarity`. A lone CJK
 * character or the last Latin word also match as prefixes. Null when there is nothing searchable.
 */
export function anyTermsQuery(text: string): string | null {
  const terms = [...new Set(searchTerms(text))];
  return terms.length === 0 ? null : tsqueryOf(terms, '|');
}

/**
 * How much of what was typed a request covers: the share of the typed terms found in its title and detail
 * (0–1). The last Latin word counts when it starts a word of the request, as it may be half typed.
 */
export function similarity(typed: string, requestText: string): number {
  const wanted = [...new Set(searchTerms(typed))];
  if (wanted.length === 0) return 0;
  const have = new Set(searchTerms(requestText));
  let found = 0;
  wanted.forEach((term, i) => {
    const prefix = matchesAsPrefix(term, i, wanted.length);
    if (have.has(term) || (prefix && [...have].some((h) => h.startsWith(term)))) found += 1;
  });
  return found / wanted.length;
}

export interface SimilarCandidate {
  title: string;
  detail: string;
  votes: number;
  createdAt: string;
}

/** A similar request needs at least half the typed terms. */
export const MIN_SIMILARITY = 0.5;

/** Candidates that cover enough of what was typed: best cover first, then the most votes, then the oldest. */
export function rankSimilar<T extends SimilarCandidate>(typed: string, candidates: readonly T[], limit = 8): Array<T & { score: number }> {
  return candidates
    .map((c) => ({ ...c, score: Math.round(similarity(typed, `${c.title} ${c.detail}`) * 100) / 100 }))
    .filter((c) => c.score >= MIN_SIMILARITY)
    .sort((a, b) => b.score - a.score || b.votes - a.votes || a.createdAt.localeCompare(b.createdAt))
    .slice(0, limit);
}

export interface DemandRow {
  id: string;
  votes: number;
  createdAt: string;
  lastVoteAt: string;
}

/**
 * Demand order: the most votes first; among equals, the request waiting longest first (it has waited for
 * an answer longest); then the latest vote; then the id, so pages never shuffle.
 */
export function rankDemand<T extends DemandRow>(rows: readonly T[]): T[] {
  return [...rows].sort(
    (a, b) =>
      b.votes - a.votes || a.createdAt.localeCompare(b.createdAt) || b.lastVoteAt.localeCompare(a.lastVoteAt) || a.id.localeCompare(b.id),
  );
}

/** The p-th percentile (0–1) of the values, interpolated between ranks as PostgreSQL's percentile_cont does. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * p;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

export interface AnsweredRequest {
  categoryId: string | null;
  /** From the request to its first published answer. */
  days: number;
}

export interface AnswerTimeStats {
  categoryId: string | null;
  answered: number;
  medianDays: number | null;
  p90Days: number | null;
}

const oneDecimal = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/**
 * Median and 90th percentile of the days to a first answer, per category in the order given, with the
 * requests of no category last when there are any. Categories with no answered request show no figures.
 */
export function answerTimeStats(categoryIds: readonly string[], answered: readonly AnsweredRequest[]): AnswerTimeStats[] {
  const groups = new Map<string | null, number[]>(categoryIds.map((id) => [id, []]));
  for (const row of answered) {
    if (!groups.has(row.categoryId)) groups.set(row.categoryId, []);
    groups.get(row.categoryId)!.push(row.days);
  }
  const ordered = [...groups.entries()].filter(([id, days]) => id !== null || days.length > 0);
  ordered.sort(([a], [b]) => (a === null ? 1 : 0) - (b === null ? 1 : 0));
  return ordered.map(([categoryId, days]) => ({
    categoryId,
    answered: days.length,
    medianDays: oneDecimal(percentile(days, 0.5)),
    p90Days: oneDecimal(percentile(days, 0.9)),
  }));
}

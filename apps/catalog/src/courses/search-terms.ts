// Han, Hiragana/Katakana and Hangul: scripts written without spaces between words.
const CJK_SCRIPTS = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
/** One character of a script written without spaces between words. */
export const CJK = new RegExp(`[${CJK_SCRIPTS}]`, 'u');
// A maximal run of CJK characters, or a maximal run of other letters and digits. The second kind stops at CJK
// (Han characters are letters too), or "第3个要点" would keep "3个要点" as one word that "要点" never finds.
const TOKEN = new RegExp(`[${CJK_SCRIPTS}]+|(?:(?![${CJK_SCRIPTS}])[\\p{L}\\p{N}])+`, 'gu');

/**
 * Index terms for text in any mix of Chinese and English. PostgreSQL has no Chinese word splitter,
 * so every maximal run of CJK characters becomes overlapping bigrams (政治理论 → 政治 治理 理论), the way
 * Lucene's CJK analyzer does, wherever it stands: after digits, Latin letters or punctuation too
 * (第3个要点 → 第 3 个要 要点, AI时代 → ai 时代). Other words are lower-cased whole.
 *
 * The terms are stored (courses, lecture captions and programme requests keep `search_vector`): a change to
 * this rule needs a migration that recomputes them, as 1732000039000-search-terms-after-digits does.
 */
export function searchTerms(text: string): string[] {
  const terms: string[] = [];
  for (const [run] of text.normalize('NFKC').matchAll(TOKEN)) {
    if (CJK.test(run[0])) {
      const chars = [...run];
      if (chars.length === 1) terms.push(run);
      for (let i = 0; i + 1 < chars.length; i++) terms.push(chars[i] + chars[i + 1]);
    } else {
      terms.push(run.toLowerCase());
    }
  }
  return terms;
}

/** The document side: a space-separated term list for to_tsvector('simple', …). */
export function documentTerms(...texts: string[]): string {
  return [...new Set(texts.flatMap(searchTerms))].join(' ');
}

const quote = (term: string) => `'${term.replace(/'/g, "''")}'`;

/**
 * Whether the `index`-th of `count` query terms also matches as a prefix: a lone CJK character (it stands at
 * the start of the bigrams of longer text), and the last word when it is not CJK (it may be half typed).
 */
export function matchesAsPrefix(term: string, index: number, count: number): boolean {
  return ([...term].length === 1 && CJK.test(term)) || (index === count - 1 && !CJK.test(term[0]!));
}

/** `terms` as a tsquery for to_tsquery('simple', …), joined by `operator` (& every term, | any), prefixes marked. */
export function tsqueryOf(terms: readonly string[], operator: '&' | '|'): string {
  return terms.map((term, i) => `${quote(term)}${matchesAsPrefix(term, i, terms.length) ? ':*' : ''}`).join(` ${operator} `);
}

/**
 * The query side for to_tsquery('simple', …): every term must match; the last Latin word also
 * matches as a prefix so results appear while someone is still typing. A lone CJK character
 * matches any bigram that starts with it. Null when the query has no searchable characters.
 */
export function queryTerms(query: string): string | null {
  const terms = searchTerms(query);
  return terms.length === 0 ? null : tsqueryOf(terms, '&');
}

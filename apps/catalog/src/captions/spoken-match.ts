import type { Cue } from '#media';
import { searchTerms } from '../courses/search-terms.js';

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * The first caption that says what was searched for, with the same terms the catalog search uses: every query
 * term must be among the caption's terms (a lone CJK character and the last Latin word match as prefixes, as in
 * `queryTerms`). A word split across two captions is found at the first of them. Null when no caption says it.
 */
export function firstCueSaying(cues: readonly Pick<Cue, 'text' | 'startSec'>[], query: string): number | null {
  const wanted = searchTerms(query);
  if (wanted.length === 0) return null;
  const prefix = wanted.map((term, i) => ([...term].length === 1 && CJK.test(term)) || (i === wanted.length - 1 && !CJK.test(term[0])));
  const says = (text: string) => {
    const have = searchTerms(text);
    return wanted.every((term, i) => have.some((t) => (prefix[i] ? t.startsWith(term) : t === term)));
  };
  for (let i = 0; i < cues.length; i++) if (says(cues[i].text)) return i;
  // Caption breaks fall anywhere, even inside a Chinese word: try each caption run on into the next.
  for (let i = 0; i + 1 < cues.length; i++) if (says(joinTwo(cues[i].text, cues[i + 1].text))) return i;
  return null;
}

function joinTwo(a: string, b: string): string {
  const last = [...a].pop() ?? '';
  const first = [...b][0] ?? '';
  return CJK.test(last) && CJK.test(first) ? a + b : `${a} ${b}`;
}

/** The caption text shown under a search hit: one line, at most `max` characters. */
export function snippetOf(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}

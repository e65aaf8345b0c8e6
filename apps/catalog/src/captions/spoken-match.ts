import type { Cue } from '#media';
import { CJK, matchesAsPrefix, searchTerms } from '../courses/search-terms.js';

/**
 * The first caption that says what was searched for, with the same terms the catalog search uses: every query
 * term must be among the caption's terms (a lone CJK character and the last Latin word match as prefixes, as in
 * `queryTerms`). A word split across two captions is found at the first of them. Null when no caption says it.
 */
export function firstCueSaying(cues: readonly Pick<Cue, 'text' | 'startSec'>[], query: string): number | null {
  const wanted = searchTerms(query);
  if (wanted.length === 0) return null;
  const prefix = wanted.map((term, i) => matchesAsPrefix(term, i, wanted.length));
  const says = (text: string) => {
    // Every term is a substring of the normalised text: a cheap test first, the exact terms only for candidates.
    const plain = text.normalize('NFKC').toLowerCase();
    if (!wanted.every((term) => plain.includes(term))) return false;
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

const STORED_TIME = /^(\d+):(\d{2}):(\d{2})\.(\d{3}) -->/;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&nbsp;': ' ', '&lrm;': '', '&rlm;': '' };

/**
 * Start and plain text of each cue of the WebVTT we store (`toWebVtt`'s fixed layout: blocks apart by one blank
 * line, a time line "HH:MM:SS.mmm --> …" first, styles as simple tags): a light reading for the search, many
 * times quicker than the full parser on a long lecture. Anything not laid out that way is skipped.
 */
export function storedCues(vtt: string): Array<{ startSec: number; text: string }> {
  const cues: Array<{ startSec: number; text: string }> = [];
  for (const block of vtt.split('\n\n')) {
    const newline = block.indexOf('\n');
    if (newline < 0) continue;
    const time = STORED_TIME.exec(block.slice(0, newline));
    if (!time) continue;
    const startSec = Number(time[1]) * 3600 + Number(time[2]) * 60 + Number(time[3]) + Number(time[4]) / 1000;
    const text = block
      .slice(newline + 1)
      .replace(/<[^>]*>/g, '')
      .replace(/&(amp|lt|gt|nbsp|lrm|rlm);/g, (entity) => ENTITIES[entity] ?? entity)
      .trim();
    if (text) cues.push({ startSec, text });
  }
  return cues;
}

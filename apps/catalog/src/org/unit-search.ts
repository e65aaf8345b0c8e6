import { pinyin } from 'pinyin-pro';

/** What the search needs of a unit. */
export interface SearchableUnit {
  id: string;
  name: string;
  slug: string;
  path: string;
  depth: number;
}

export interface UnitMatch<T extends SearchableUnit> {
  unit: T;
  /** Lower is better: how the query matched (see `matchUnit`). */
  rank: number;
}

/** The ways a query can match a unit, best first. */
export const MATCH_RANKS = {
  nameExact: 0,
  namePrefix: 1,
  nameContains: 2,
  initialsPrefix: 3,
  pinyinPrefix: 4,
  initialsContains: 5,
  slug: 6,
  path: 7,
} as const;

interface Spelling {
  /** One letter per character: 东区一组 → "dqyz". Letters and digits stand for themselves. */
  initials: string;
  /** Full pinyin of every character, lower case: ["dong", "qu", "yi", "zu"]. */
  syllables: string[];
}

// Unit names change rarely and are few (thousands); the cache is bounded all the same.
const CACHE_LIMIT = 50_000;
const spellings = new Map<string, Spelling>();

/** The pinyin initials and syllables of a name, computed once per name. */
export function spellingOf(name: string): Spelling {
  let spelling = spellings.get(name);
  if (!spelling) {
    const chars = [...name];
    const initials = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' });
    const syllables = pinyin(name, { toneType: 'none', type: 'array' });
    // pinyin-pro answers one entry per character; fall back to the characters themselves if it ever does not.
    spelling = {
      initials: (initials.length === chars.length ? initials : chars).map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, '')).join(''),
      syllables: (syllables.length === chars.length ? syllables : chars).map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, '')),
    };
    if (spellings.size >= CACHE_LIMIT) spellings.clear();
    spellings.set(name, spelling);
  }
  return spelling;
}

/** Lower-cased, trimmed, inner white space removed: what a query is compared as. */
export function normaliseQuery(query: string): string {
  return query.trim().toLowerCase().replace(/\s+/g, '');
}

/** True if `q` is a prefix of the full pinyin read from some syllable on ("xiaozu", "dongqu", "dongq"). */
function pinyinPrefix(syllables: string[], q: string): boolean {
  for (let start = 0; start < syllables.length; start++) {
    if (!syllables[start]) continue;
    let joined = '';
    for (let i = start; i < syllables.length && joined.length < q.length; i++) joined += syllables[i];
    if (joined.startsWith(q)) return true;
  }
  return false;
}

/**
 * How well `query` matches the unit, or null: its name (substring, any script), the pinyin initials of
 * its name ("dqyz" for 东区一组), its full pinyin read from any syllable, its short name (slug), or its
 * path ("east/group").
 */
export function matchUnit(unit: SearchableUnit, query: string): number | null {
  const q = normaliseQuery(query);
  if (!q) return null;
  const name = unit.name.toLowerCase().replace(/\s+/g, '');
  if (name === q) return MATCH_RANKS.nameExact;
  if (name.startsWith(q)) return MATCH_RANKS.namePrefix;
  if (name.includes(q)) return MATCH_RANKS.nameContains;
  if (/^[a-z0-9]+$/.test(q)) {
    const { initials, syllables } = spellingOf(unit.name);
    if (initials.startsWith(q)) return MATCH_RANKS.initialsPrefix;
    if (pinyinPrefix(syllables, q)) return MATCH_RANKS.pinyinPrefix;
    if (q.length >= 2 && initials.includes(q)) return MATCH_RANKS.initialsContains;
  }
  if (unit.slug.includes(q)) return MATCH_RANKS.slug;
  if (unit.path.includes(q)) return MATCH_RANKS.path;
  return null;
}

/** The best `limit` matches: by how they matched, then shallower units first, then by path. */
export function searchUnits<T extends SearchableUnit>(units: readonly T[], query: string, limit = 50): Array<UnitMatch<T>> {
  const matches: Array<UnitMatch<T>> = [];
  for (const unit of units) {
    const rank = matchUnit(unit, query);
    if (rank !== null) matches.push({ unit, rank });
  }
  matches.sort(
    (a, b) => a.rank - b.rank || a.unit.depth - b.unit.depth || (a.unit.path < b.unit.path ? -1 : a.unit.path > b.unit.path ? 1 : 0),
  );
  return matches.slice(0, limit);
}

/** The names from `rootPath` down to the unit, e.g. ["委员会", "东区", "一组"], given every unit's name by path. */
export function namesAlong(path: string, rootPath: string, nameByPath: ReadonlyMap<string, string>): string[] {
  const parts = path.split('/');
  const first = rootPath.split('/').length;
  const names: string[] = [];
  for (let n = first; n <= parts.length; n++) {
    const prefix = parts.slice(0, n).join('/');
    names.push(nameByPath.get(prefix) ?? parts[n - 1]);
  }
  return names;
}

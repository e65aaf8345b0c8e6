import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog-owned (courses, captions, programme requests): recomputes the stored search terms after the CJK
 * splitting rule of search-terms.ts was fixed.
 *
 * Chinese right after a digit or a Latin letter used to stay glued to it as one word ("第3个要点" was indexed
 * as 第 and 3个要点), so searching "要点" missed it. Now every maximal run of CJK characters is bigrammed
 * wherever it stands (第 3 个要 要点; AI时代 → ai 时代). The terms live in `search_vector` columns computed by
 * the application, not by a SQL function, so this migration recomputes them here:
 *
 * - `courses`: the course's title and description and its live lectures' titles, speakers and descriptions
 *   (as `CoursesRepository.refreshSearch` does; lectures have no vector of their own);
 * - `lecture_captions`: `search_text`, every row, so an earlier text brought back is found the same way;
 * - `program_requests`: title and detail.
 *
 * The rule is copied here as it stands at this migration, so the migration gives the same result whatever
 * search-terms.ts becomes later. Rows whose terms do not change are not written. `down` recomputes the terms
 * with the earlier rule, which the earlier code's queries expect.
 */
export class SearchTermsAfterDigits1732000039000 implements MigrationInterface {
  name = 'SearchTermsAfterDigits1732000039000';

  async up(db: QueryRunner): Promise<void> {
    await refill(db, FIXED_TOKEN);
  }

  async down(db: QueryRunner): Promise<void> {
    await refill(db, EARLIER_TOKEN);
  }
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** A maximal CJK run, or a maximal run of other letters and digits that stops at CJK. */
const FIXED_TOKEN =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])[\p{L}\p{N}])+/gu;
/** The rule before this migration: a run of letters and digits went on through CJK characters after it. */
const EARLIER_TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|[\p{L}\p{N}]+/gu;

/** search-terms.ts `documentTerms` with the given token rule: distinct terms, space-separated. */
function documentTerms(token: RegExp, texts: Array<string | null>): string {
  const terms: string[] = [];
  for (const text of texts) {
    if (!text) continue;
    for (const [run] of text.normalize('NFKC').matchAll(token)) {
      if (CJK.test(run[0])) {
        const chars = [...run];
        if (chars.length === 1) terms.push(run);
        for (let i = 0; i + 1 < chars.length; i++) terms.push(chars[i] + chars[i + 1]);
      } else {
        terms.push(run.toLowerCase());
      }
    }
  }
  return [...new Set(terms)].join(' ');
}

/** Rows read and written at a time: bounded memory however long the captions are. */
const BATCH = 200;

interface Source {
  table: string;
  /** One row per id, ordered by id after `id > $1`, each with the texts its terms come from. */
  select: string;
}

const SOURCES: Source[] = [
  {
    table: 'courses',
    select: `SELECT c.id, ARRAY[c.title, c.description] || COALESCE(
               (SELECT array_agg(t ORDER BY l.position, l.id, n) FROM lectures l,
                  unnest(ARRAY[l.title, l.speaker, l.description]) WITH ORDINALITY AS u(t, n)
                 WHERE l.course_id = c.id AND l.archived_at IS NULL), '{}') AS texts
               FROM courses c WHERE c.id > $1 ORDER BY c.id LIMIT $2`,
  },
  {
    table: 'lecture_captions',
    select: `SELECT id, ARRAY[search_text] AS texts FROM lecture_captions WHERE id > $1 ORDER BY id LIMIT $2`,
  },
  {
    table: 'program_requests',
    select: `SELECT id, ARRAY[title, detail] AS texts FROM program_requests WHERE id > $1 ORDER BY id LIMIT $2`,
  },
];

async function refill(db: QueryRunner, token: RegExp): Promise<void> {
  for (const source of SOURCES) {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: Array<{ id: string; texts: Array<string | null> }> = await db.query(source.select, [after, BATCH]);
      if (rows.length === 0) break;
      await db.query(
        `UPDATE ${source.table} t SET search_vector = to_tsvector('simple', v.terms)
           FROM unnest($1::uuid[], $2::text[]) AS v(id, terms)
          WHERE t.id = v.id AND t.search_vector IS DISTINCT FROM to_tsvector('simple', v.terms)`,
        [rows.map((r) => r.id), rows.map((r) => documentTerms(token, r.texts))],
      );
      after = rows[rows.length - 1]!.id;
      if (rows.length < BATCH) break;
    }
  }
}

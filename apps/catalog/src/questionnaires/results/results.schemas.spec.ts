import { describe, expect, it } from '@jest/globals';
import { TextAnswersQuerySchema, searchPatterns } from './results.schemas.js';

describe('searchPatterns', () => {
  it.each<[string | undefined, string[]]>([
    [undefined, []],
    ['', []],
    ['电商', ['%电商%']],
    ['  农村   电商 ', ['%农村%', '%电商%']],
    ['100%', ['%100\\%%']],
    ['a_b c\\d', ['%a\\_b%', '%c\\\\d%']],
    ['1 2 3 4 5 6 7', ['%1%', '%2%', '%3%', '%4%', '%5%']],
  ])('%j → %j', (q, expected) => expect(searchPatterns(q)).toEqual(expected));
});

describe('TextAnswersQuerySchema', () => {
  it('takes a search of at most 50 characters, and says so', () => {
    expect(TextAnswersQuerySchema.parse({ q: '学'.repeat(50) }).q).toHaveLength(50);
    const failed = TextAnswersQuerySchema.safeParse({ q: '学'.repeat(51) });
    expect(failed.success).toBe(false);
    expect(failed.error?.issues[0]?.message).toContain('at most 50 characters');
  });

  it('pages of at most 200 and files as csv or xlsx', () => {
    expect(TextAnswersQuerySchema.parse({})).toMatchObject({ page: 1, limit: 50, format: 'json', lang: 'zh-CN' });
    expect(TextAnswersQuerySchema.safeParse({ limit: '201' }).success).toBe(false);
    expect(TextAnswersQuerySchema.safeParse({ format: 'pdf' }).success).toBe(false);
  });
});

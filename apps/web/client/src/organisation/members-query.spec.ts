import { describe, expect, it } from '@jest/globals';
import { emptyMemberQuery, memberQueryFromSearch, memberQuerySearch, type MemberListQuery } from '../api/members.js';

describe('the member list address', () => {
  it.each<[string, Partial<MemberListQuery>]>([
    ['', {}],
    ['?unitId=u1', { unitId: 'u1' }],
    ['?category=retired&position=secretary&classId=c1', { category: 'retired', position: 'secretary', classId: 'c1' }],
    ['?status=inactive&q=%E7%8E%8B', { status: 'inactive', q: '王' }],
    ['?sort=login&order=desc&offset=50', { sort: 'login', order: 'desc', offset: 50 }],
  ])('%s is read and written back the same', (search, fields) => {
    const query = memberQueryFromSearch(search);
    expect(query).toEqual({ ...emptyMemberQuery, ...fields });
    expect(memberQuerySearch(query)).toBe(search);
  });

  it.each([
    ['?sort=age', { sort: 'name' }],
    ['?order=sideways', { order: 'asc' }],
    ['?status=maybe', { status: '' }],
    ['?offset=-5', { offset: 0 }],
    ['?offset=1.5', { offset: 0 }],
    ['?offset=abc', { offset: 0 }],
  ])('%s falls back to the default', (search, fields) => {
    expect(memberQueryFromSearch(search)).toEqual({ ...emptyMemberQuery, ...fields });
  });
});

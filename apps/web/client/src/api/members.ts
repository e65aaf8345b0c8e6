import type { MemberListItem } from '#contracts';
import { request } from './api.js';
import type { Page, Role, User } from './types.js';

export const MEMBER_SORTS = ['name', 'login', 'unit', 'category', 'createdAt'] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];
export type SortOrder = 'asc' | 'desc';
export type MemberStatus = '' | 'active' | 'inactive';

/** A person as the member list and page show them. */
export type { MemberListItem };

export type MemberDetail = Omit<MemberListItem, 'createdAt' | 'unitNames' | 'positions'>;

export interface MemberListQuery {
  unitId: string;
  category: string;
  position: string;
  classId: string;
  status: MemberStatus;
  q: string;
  sort: MemberSort;
  order: SortOrder;
  offset: number;
}

export const MEMBER_PAGE_SIZE = 25;

export const emptyMemberQuery: MemberListQuery = {
  unitId: '',
  category: '',
  position: '',
  classId: '',
  status: '',
  q: '',
  sort: 'name',
  order: 'asc',
  offset: 0,
};

/** The page's address keeps the filters, so a link (e.g. from a unit) or a reload shows the same list. */
export function memberQueryFromSearch(search: string): MemberListQuery {
  const params = new URLSearchParams(search);
  const sort = params.get('sort') as MemberSort | null;
  const status = params.get('status');
  const offset = Number(params.get('offset'));
  return {
    unitId: params.get('unitId') ?? '',
    category: params.get('category') ?? '',
    position: params.get('position') ?? '',
    classId: params.get('classId') ?? '',
    status: status === 'active' || status === 'inactive' ? status : '',
    q: params.get('q') ?? '',
    sort: sort && MEMBER_SORTS.includes(sort) ? sort : 'name',
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

/** The address's query string for a list, without the defaults. */
export function memberQuerySearch(query: MemberListQuery): string {
  const params = new URLSearchParams();
  for (const key of ['unitId', 'category', 'position', 'classId', 'status', 'q'] as const) if (query[key]) params.set(key, query[key]);
  if (query.sort !== 'name') params.set('sort', query.sort);
  if (query.order !== 'asc') params.set('order', query.order);
  if (query.offset > 0) params.set('offset', String(query.offset));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function listMembers(query: MemberListQuery, limit = MEMBER_PAGE_SIZE): Promise<Page<MemberListItem>> {
  const params = new URLSearchParams({ limit: String(limit), offset: String(query.offset), sort: query.sort, order: query.order });
  for (const key of ['unitId', 'category', 'position', 'classId', 'q'] as const) if (query[key]) params.set(key, query[key]);
  if (query.status) params.set('active', String(query.status === 'active'));
  return request('GET', `/api/members?${params}`);
}

const id = encodeURIComponent;

export function getMember(memberId: string): Promise<MemberDetail> {
  return request('GET', `/api/members/${id(memberId)}`);
}

export interface NewMemberInput {
  login: string;
  name: string;
  orgUnitId: string;
  category: string | null;
  role?: Role;
}

export function createMember(input: NewMemberInput): Promise<MemberDetail> {
  return request('POST', '/api/members', input);
}

export interface MemberChanges {
  name?: string;
  category?: string | null;
  role?: Role;
  active?: boolean;
}

export function updateMember(memberId: string, changes: MemberChanges): Promise<MemberDetail> {
  return request('PATCH', `/api/members/${id(memberId)}`, changes);
}

export function resetMemberPassword(memberId: string): Promise<{ oneTimePassword: string }> {
  return request('POST', `/api/members/${id(memberId)}/reset-password`);
}

export function changeOwnPassword(currentPassword: string, newPassword: string): Promise<User> {
  return request('POST', '/api/account/password', { currentPassword, newPassword });
}

import { request } from './api.js';
import type { LoginResponse, Member, MemberCategory, Page, User } from './types.js';

export function login(loginName: string, password: string): Promise<LoginResponse> {
  return request('POST', '/api/auth/login', { login: loginName, password });
}

export function fetchMe(): Promise<User> {
  return request('GET', '/api/me');
}

export interface MemberQuery {
  limit: number;
  offset: number;
  q: string;
}

export function listMembers({ limit, offset, q }: MemberQuery): Promise<Page<Member>> {
  const params = new URLSearchParams({ limit: String(limit), offset: String(offset) });
  if (q) params.set('q', q);
  return request('GET', `/api/members?${params}`);
}

export function listMemberCategories(): Promise<MemberCategory[]> {
  return request('GET', '/api/member-categories');
}

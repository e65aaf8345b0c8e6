import type { EnrolmentView, EnrolResult, FilterEnrolResult, MemberClassView, RosterResult, TrainingClassView } from '#contracts';
import { request } from './api.js';
import type { MemberCategory, Page } from './types.js';

export type { EnrolResult, FilterEnrolResult, RosterRejection, RosterResult } from '#contracts';
export type TrainingClass = TrainingClassView;
export type Enrolment = EnrolmentView;
export type MemberClass = MemberClassView;

export interface ClassInput {
  name: string;
  description: string;
  ownerUnitId: string;
  startsOn: string;
  endsOn: string;
}

/** The member list's filter; empty fields do not narrow. */
export interface ClassMemberFilter {
  unitId: string;
  category: string;
  position: string;
  activeOnly: boolean;
  q: string;
}

const id = encodeURIComponent;

export function listClasses(includeArchived: boolean): Promise<Page<TrainingClass>> {
  const params = new URLSearchParams({ limit: '200' });
  if (includeArchived) params.set('includeArchived', 'true');
  return request('GET', `/api/training-classes?${params}`);
}

export function createClass(input: ClassInput): Promise<TrainingClass> {
  return request('POST', '/api/training-classes', input);
}

export function getClass(classId: string): Promise<TrainingClass> {
  return request('GET', `/api/training-classes/${id(classId)}`);
}

export function updateClass(classId: string, input: Partial<ClassInput>): Promise<TrainingClass> {
  return request('PATCH', `/api/training-classes/${id(classId)}`, input);
}

export function archiveClass(classId: string): Promise<TrainingClass> {
  return request('POST', `/api/training-classes/${id(classId)}/archive`);
}

export function listEnrolments(classId: string, limit: number, offset: number): Promise<Page<Enrolment>> {
  return request('GET', `/api/training-classes/${id(classId)}/members?limit=${limit}&offset=${offset}`);
}

export function enrol(classId: string, userIds: string[]): Promise<EnrolResult> {
  return request('POST', `/api/training-classes/${id(classId)}/members`, { userIds });
}

export function enrolByFilter(classId: string, filter: ClassMemberFilter, preview: boolean): Promise<FilterEnrolResult> {
  const body: Record<string, unknown> = { preview };
  if (filter.unitId) body.unitId = filter.unitId;
  if (filter.category) body.category = filter.category;
  if (filter.position) body.position = filter.position;
  if (filter.activeOnly) body.active = true;
  if (filter.q.trim()) body.q = filter.q.trim();
  return request('POST', `/api/training-classes/${id(classId)}/members/by-filter`, body);
}

/** Sends the chosen file as it is; the server reads UTF-8 or GBK. */
export function importRoster(classId: string, file: Blob): Promise<RosterResult> {
  return request('POST', `/api/training-classes/${id(classId)}/members/import`, new Blob([file], { type: 'text/csv' }), {
    timeoutMs: 120_000,
  });
}

export function withdraw(classId: string, userId: string): Promise<Enrolment> {
  return request('POST', `/api/training-classes/${id(classId)}/members/${id(userId)}/withdraw`);
}

export function listMemberClasses(memberId: string): Promise<MemberClass[]> {
  return request('GET', `/api/members/${id(memberId)}/classes`);
}

export function createMemberCategory(input: { code: string; nameZh: string; nameEn: string }): Promise<MemberCategory> {
  return request('POST', '/api/member-categories', input);
}

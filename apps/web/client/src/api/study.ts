import { request } from './api.js';
import type { OrgUnitNode } from './types.js';

import type { MyLecture, MyPlan, MyStudy, PlanStatus, PlanStudyRules } from '#contracts';

export type { MyLecture, MyPlan, MyStudy, PlanStatus };
export const PLAN_STATUSES: readonly PlanStatus[] = ['met', 'on_track', 'behind', 'not_started'];
export type PlanMode = 'watch_time' | 'per_lecture';
export type MissingLecture = MyPlan['compulsoryMissing'][number];

export function fetchMyStudy(): Promise<MyStudy> {
  return request('GET', '/api/me/study');
}

export interface StudyPlan {
  id: string;
  name: string;
  ownerUnit: { id: string; name: string; path: string };
  periodStart: string;
  periodEnd: string;
  requiredHours: number;
  mode: PlanMode;
  creditHoursPerLecture: number | null;
  completionThreshold: number;
  units: Array<{ id: string; name: string; path: string }>;
  categories: string[];
  courseIds: string[] | null;
  compulsoryLectureIds: string[];
  makeupUntil: string | null;
  closedAt: string | null;
  memberCount: number;
  /** Exams the plan requires passing. */
  exams?: Array<{ id: string; title: string }>;
  /** How the plan counts study time. */
  studyRules: PlanStudyRules;
}

export interface PlanInput {
  name: string;
  periodStart: string;
  periodEnd: string;
  requiredHours: number;
  mode: PlanMode;
  creditHoursPerLecture: number | null;
  /** Empty: the admin's own unit (and everything below it). */
  unitIds: string[];
  /** Empty: every member category. */
  categories: string[];
  /** null: every course. */
  courseIds: string[] | null;
  compulsoryLectureIds: string[];
}

export function listPlans(): Promise<StudyPlan[]> {
  return request('GET', '/api/study-plans');
}

export function getPlan(id: string): Promise<StudyPlan> {
  return request('GET', `/api/study-plans/${encodeURIComponent(id)}`);
}

export function createPlan(input: PlanInput): Promise<StudyPlan> {
  return request('POST', '/api/study-plans', input);
}

export function openMakeup(id: string, until: string): Promise<StudyPlan> {
  return request('POST', `/api/study-plans/${encodeURIComponent(id)}/makeup`, { until });
}

export function closePlan(id: string): Promise<{ members: number }> {
  return request('POST', `/api/reports/plans/${encodeURIComponent(id)}/close`);
}

export function listOrgUnits(): Promise<OrgUnitNode[]> {
  return request('GET', '/api/org-units');
}

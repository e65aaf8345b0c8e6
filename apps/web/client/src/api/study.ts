import { request } from './api.js';
import type { OrgUnitNode } from './types.js';

export type PlanStatus = 'met' | 'on_track' | 'behind' | 'not_started';
export const PLAN_STATUSES: readonly PlanStatus[] = ['met', 'on_track', 'behind', 'not_started'];
export type PlanMode = 'watch_time' | 'per_lecture';

export interface MissingLecture {
  lectureId: string;
  title: string;
  courseId: string;
  courseTitle: string;
}

/** One of the member's plans, as `GET /api/me/study` reports it. */
export interface MyPlan {
  id: string;
  name: string;
  periodStart: string;
  periodEnd: string;
  daysLeft: number;
  mode: PlanMode;
  requiredHours: number;
  earnedHours: number;
  remainingHours: number;
  percent: number;
  status: PlanStatus;
  compulsoryMissing: MissingLecture[];
  makeupUntil: string | null;
}

export interface MyLecture {
  lectureId: string;
  title: string;
  courseId: string;
  courseTitle: string;
  positionSec: number;
  durationSec: number;
  creditedSec: number;
  coverageRatio: number;
  completed: boolean;
  lastStudiedAt: string;
  posterUrl: string | null;
}

export interface MyStudy {
  plans: MyPlan[];
  continueWatching: MyLecture[];
  lectures: MyLecture[];
}

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

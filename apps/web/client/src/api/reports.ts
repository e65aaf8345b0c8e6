import { request } from './api.js';
import type {
  LectureReport as LectureFigures,
  MemberFacts,
  MemberLecture,
  MemberReportPage,
  MemberStanding,
  ReportTableAnswer,
  RetentionPoint,
  UnitRollup,
} from '#contracts';
import type { PlanStatus } from './study.js';

export type { MemberReportPage, MemberStanding, UnitRollup };

export type ReportFormat = 'csv' | 'xlsx';

/** The shape every tabular report answers with: labelled columns and each row once, typed (the screen formats them). */
export type ReportTable<Item> = ReportTableAnswer<Item>;

export interface PlanOverview extends ReportTable<UnitRollup> {
  /** Study committed up to this instant is counted (newer servers only). */
  asOf?: string;
}

export type MemberSort = 'name' | 'earnedHours' | 'remainingHours' | 'lastStudyDay' | 'unitPath';
export const MEMBER_SORTS: readonly MemberSort[] = ['unitPath', 'name', 'earnedHours', 'remainingHours', 'lastStudyDay'];

export interface MemberFilter {
  unitId: string;
  category: string;
  status: PlanStatus | '';
  q: string;
  sort: MemberSort;
  order: 'asc' | 'desc';
}

export interface TrendDay {
  day: string;
  hours: number;
  /** The same study in whole seconds, for the shared duration rule. */
  seconds: number;
  members: number;
}

export interface CourseReportRow {
  courseId: string;
  title: string;
  status?: string;
  viewers: number;
  completions: number;
  completionRate: number;
  averageCoverage: number;
  totalHours: number;
  totalSec: number;
}

/** One lecture's figures; its table (the one the export carries) is the audience retention, the items. */
export type LectureReport = Omit<LectureFigures, 'retention'> & ReportTable<RetentionPoint>;

export interface MemberPlanProgress {
  planId: string;
  name: string;
  periodStart: string;
  periodEnd: string;
  earnedHours?: number;
  requiredHours?: number;
  remainingHours?: number;
  percent?: number;
  status?: PlanStatus;
  compulsoryMissing?: string[];
}

/** One member; its table (the one the export carries) is the lectures (the items), each row naming the member. */
export interface MemberDetail extends ReportTable<MemberLecture> {
  member: MemberFacts;
  plans: MemberPlanProgress[];
  daily: Array<{ day: string; hours: number }>;
}

const plan = (id: string) => `/api/reports/plans/${encodeURIComponent(id)}`;

/** Members per page of the drill-down; the exports carry every page. */
export const MEMBER_REPORT_PAGE_SIZE = 100;

/** Query string of a members drill-down, without empty filters (the same one serves the exports). */
export function memberParams(filter: Partial<MemberFilter>): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['unitId', 'category', 'status', 'q', 'sort', 'order'] as const) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  return params;
}

/** Report paths by name, so the screen and its export buttons always ask the same endpoint. */
export const reportPaths = {
  overview: (planId: string) => `${plan(planId)}/overview`,
  members: (planId: string, filter: Partial<MemberFilter>) => {
    const query = memberParams(filter).toString();
    return `${plan(planId)}/members${query ? `?${query}` : ''}`;
  },
  trend: (planId: string) => `${plan(planId)}/trend`,
  courses: () => '/api/reports/courses',
  lecture: (lectureId: string) => `/api/reports/lectures/${encodeURIComponent(lectureId)}`,
  member: (userId: string) => `/api/reports/members/${encodeURIComponent(userId)}`,
};

/** Adds `lang` (the column headings' language) to a report path. */
export function withLang(path: string, lang: string, format?: ReportFormat): string {
  const url = new URL(path, location.origin);
  url.searchParams.set('lang', lang);
  if (format) url.searchParams.set('format', format);
  return url.pathname + url.search;
}

export function planOverview(planId: string, lang: string): Promise<PlanOverview> {
  return request('GET', withLang(reportPaths.overview(planId), lang));
}

/** One page (from 1) of the plan's members the filter keeps, with the total and the count at each status. */
export function planMembers(planId: string, filter: Partial<MemberFilter>, lang: string, page = 1): Promise<MemberReportPage> {
  const url = new URL(withLang(reportPaths.members(planId, filter), lang), location.origin);
  url.searchParams.set('page', String(page));
  url.searchParams.set('limit', String(MEMBER_REPORT_PAGE_SIZE));
  return request('GET', url.pathname + url.search);
}

export function planTrend(planId: string, lang: string): Promise<ReportTable<TrendDay>> {
  return request('GET', withLang(reportPaths.trend(planId), lang));
}

export function courseReport(lang: string): Promise<ReportTable<CourseReportRow>> {
  return request('GET', withLang(reportPaths.courses(), lang));
}

export function lectureReport(lectureId: string, lang: string): Promise<LectureReport> {
  return request('GET', withLang(reportPaths.lecture(lectureId), lang));
}

/** How many members each plan has inside the admin's own subtree, by plan id. */
export function planMemberCounts(): Promise<{ counts: Record<string, number> }> {
  return request('GET', '/api/reports/plans/member-counts');
}

export function memberDetail(userId: string, lang: string): Promise<MemberDetail> {
  return request('GET', withLang(reportPaths.member(userId), lang));
}

import type { VNode } from 'preact';
import type { Role } from '../api/types.js';
import { CoursePage } from '../pages/course-page.js';
import { CoursesPage } from '../pages/courses-page.js';
import { LecturePage } from '../pages/lecture-page.js';
import { OrganisationPage } from '../pages/organisation-page.js';
import { StudyPage } from '../pages/study-page.js';
import { CourseReportDetailPage, CourseReportPage, LectureReportPage } from '../reports/course-report-pages.js';
import { MemberReportPage } from '../reports/member-page.js';
import { NewPlanPage } from '../reports/new-plan-page.js';
import { PlanMembersPage } from '../reports/plan-members-page.js';
import { PlanOverviewPage } from '../reports/plan-overview-page.js';
import { PlansPage } from '../reports/plans-page.js';
import { ReportsPage } from '../reports/reports-page.js';
import { CourseEditorPage } from '../studio/course-editor-page.js';
import { NewCoursePage } from '../studio/new-course-page.js';
import { StudioPage } from '../studio/studio-page.js';
import { matchPattern, type RouteParams } from './match.js';

type NavKey = 'nav.study' | 'nav.courses' | 'nav.studio' | 'nav.organisation' | 'nav.reports';

export interface AppRoute {
  /** A path, or a pattern with ":name" segments. */
  path: string;
  /** Set on the pages the navigation bar lists. */
  navKey?: NavKey;
  /** The navigation entry shown as current on this page. */
  section: string;
  roles: readonly Role[];
  render: (params: RouteParams) => VNode;
}

const learners: readonly Role[] = ['member', 'editor'];
// The upload service accepts media from editors only, so the studio is theirs.
const editors: readonly Role[] = ['editor'];
const admins: readonly Role[] = ['admin'];

// Order here is the order of the navigation bar; a role's first route is its start page.
export const routes: readonly AppRoute[] = [
  { path: '/study', navKey: 'nav.study', section: '/study', roles: learners, render: () => <StudyPage /> },
  { path: '/courses', navKey: 'nav.courses', section: '/courses', roles: learners, render: () => <CoursesPage /> },
  { path: '/courses/:id', section: '/courses', roles: learners, render: ({ id }) => <CoursePage key={id} courseId={id!} /> },
  { path: '/lectures/:id', section: '/courses', roles: learners, render: ({ id }) => <LecturePage key={id} lectureId={id!} /> },
  { path: '/studio', navKey: 'nav.studio', section: '/studio', roles: editors, render: () => <StudioPage /> },
  { path: '/studio/new', section: '/studio', roles: editors, render: () => <NewCoursePage /> },
  { path: '/studio/courses/:id', section: '/studio', roles: editors, render: ({ id }) => <CourseEditorPage key={id} courseId={id!} /> },
  { path: '/organisation', navKey: 'nav.organisation', section: '/organisation', roles: ['admin'], render: () => <OrganisationPage /> },
  { path: '/reports', navKey: 'nav.reports', section: '/reports', roles: admins, render: () => <ReportsPage /> },
  { path: '/reports/plans/:id', section: '/reports', roles: admins, render: ({ id }) => <PlanOverviewPage key={id} planId={id!} /> },
  {
    path: '/reports/plans/:id/members',
    section: '/reports',
    roles: admins,
    render: ({ id }) => <PlanMembersPage key={id} planId={id!} />,
  },
  { path: '/reports/members/:id', section: '/reports', roles: admins, render: ({ id }) => <MemberReportPage key={id} userId={id!} /> },
  { path: '/reports/courses', section: '/reports', roles: admins, render: () => <CourseReportPage /> },
  {
    path: '/reports/courses/:id',
    section: '/reports',
    roles: admins,
    render: ({ id }) => <CourseReportDetailPage key={id} courseId={id!} />,
  },
  { path: '/reports/lectures/:id', section: '/reports', roles: admins, render: ({ id }) => <LectureReportPage key={id} lectureId={id!} /> },
  // Study plans are managed from the reports (the navigation bar keeps two entries for admins).
  { path: '/plans', section: '/reports', roles: admins, render: () => <PlansPage /> },
  { path: '/plans/new', section: '/reports', roles: admins, render: () => <NewPlanPage /> },
];

export const loginPath = '/login';

export interface RouteMatch {
  route: AppRoute;
  params: RouteParams;
}

/** The route for a path (any role when none is given). */
export function matchRoute(path: string, role?: Role): RouteMatch | null {
  for (const route of routes) {
    if (role && !route.roles.includes(role)) continue;
    const params = matchPattern(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

export function routesFor(role: Role): AppRoute[] {
  return routes.filter((route) => route.roles.includes(role));
}

export function navRoutesFor(role: Role): AppRoute[] {
  return routesFor(role).filter((route) => route.navKey);
}

export function homePathFor(role: Role): string {
  return navRoutesFor(role)[0]?.path ?? '/';
}

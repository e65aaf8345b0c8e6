import type { VNode } from 'preact';
import type { Role } from '../api/types.js';
import { CoursePage } from '../pages/course-page.js';
import { CoursesPage } from '../pages/courses-page.js';
import { LecturePage } from '../pages/lecture-page.js';
import { OrganisationPage } from '../pages/organisation-page.js';
import { PlaceholderPage } from '../pages/placeholder-page.js';
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

// Order here is the order of the navigation bar; a role's first route is its start page.
export const routes: readonly AppRoute[] = [
  { path: '/study', navKey: 'nav.study', section: '/study', roles: learners, render: () => <PlaceholderPage titleKey="study.title" /> },
  { path: '/courses', navKey: 'nav.courses', section: '/courses', roles: learners, render: () => <CoursesPage /> },
  { path: '/courses/:id', section: '/courses', roles: learners, render: ({ id }) => <CoursePage key={id} courseId={id!} /> },
  { path: '/lectures/:id', section: '/courses', roles: learners, render: ({ id }) => <LecturePage key={id} lectureId={id!} /> },
  { path: '/studio', navKey: 'nav.studio', section: '/studio', roles: editors, render: () => <StudioPage /> },
  { path: '/studio/new', section: '/studio', roles: editors, render: () => <NewCoursePage /> },
  { path: '/studio/courses/:id', section: '/studio', roles: editors, render: ({ id }) => <CourseEditorPage key={id} courseId={id!} /> },
  { path: '/organisation', navKey: 'nav.organisation', section: '/organisation', roles: ['admin'], render: () => <OrganisationPage /> },
  {
    path: '/reports',
    navKey: 'nav.reports',
    section: '/reports',
    roles: ['admin'],
    render: () => <PlaceholderPage titleKey="reports.title" />,
  },
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

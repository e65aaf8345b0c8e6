import type { VNode } from 'preact';
import type { Role } from '../api/types.js';
import { OrganisationPage } from '../pages/organisation-page.js';
import { PlaceholderPage } from '../pages/placeholder-page.js';

export interface AppRoute {
  path: string;
  navKey: 'nav.study' | 'nav.courses' | 'nav.studio' | 'nav.organisation' | 'nav.reports';
  roles: readonly Role[];
  render: () => VNode;
}

// Order here is the order of the navigation bar; a role's first route is its start page.
export const routes: readonly AppRoute[] = [
  {
    path: '/study',
    navKey: 'nav.study',
    roles: ['member', 'editor'],
    render: () => <PlaceholderPage titleKey="study.title" />,
  },
  {
    path: '/courses',
    navKey: 'nav.courses',
    roles: ['member', 'editor'],
    render: () => <PlaceholderPage titleKey="courses.title" />,
  },
  {
    path: '/studio',
    navKey: 'nav.studio',
    roles: ['editor'],
    render: () => <PlaceholderPage titleKey="studio.title" />,
  },
  {
    path: '/organisation',
    navKey: 'nav.organisation',
    roles: ['admin'],
    render: () => <OrganisationPage />,
  },
  {
    path: '/reports',
    navKey: 'nav.reports',
    roles: ['admin'],
    render: () => <PlaceholderPage titleKey="reports.title" />,
  },
];

export const loginPath = '/login';

export function routesFor(role: Role): AppRoute[] {
  return routes.filter((route) => route.roles.includes(role));
}

export function homePathFor(role: Role): string {
  return routesFor(role)[0]?.path ?? '/';
}

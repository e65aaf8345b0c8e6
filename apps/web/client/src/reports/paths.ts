import type { MemberFilter } from '../api/reports.js';
import { memberParams } from '../api/reports.js';

const id = encodeURIComponent;

/** Addresses of the admin pages, in one place so links and routes agree. */
export const adminPaths = {
  reports: '/reports',
  plans: '/plans',
  newPlan: '/plans/new',
  plan: (planId: string) => `/reports/plans/${id(planId)}`,
  members: (planId: string, filter: Partial<MemberFilter> = {}) => {
    const query = memberParams(filter).toString();
    return `/reports/plans/${id(planId)}/members${query ? `?${query}` : ''}`;
  },
  member: (userId: string, planId?: string) => `/reports/members/${id(userId)}${planId ? `?plan=${id(planId)}` : ''}`,
  courses: '/reports/courses',
  course: (courseId: string) => `/reports/courses/${id(courseId)}`,
  lecture: (lectureId: string, courseId?: string) => `/reports/lectures/${id(lectureId)}${courseId ? `?course=${id(courseId)}` : ''}`,
};

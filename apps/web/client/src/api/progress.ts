import type { ContinuePoint, CourseProgress, CourseShare, LectureProgress } from '#contracts';
import { request } from './api.js';

export type { ContinuePoint, CourseProgress, CourseShare, LectureProgress };

/** The caller's progress through one course: each lecture's share, ticks, and the lecture to continue. */
export function getCourseProgress(courseId: string): Promise<CourseProgress> {
  return request('GET', `/api/courses/${encodeURIComponent(courseId)}/progress`);
}

/** The caller's share of each listed course they have started (others are left out), in one request. */
export function getCourseShares(courseIds: string[]): Promise<CourseShare[]> {
  if (courseIds.length === 0) return Promise.resolve([]);
  return request('GET', `/api/me/course-progress?courseIds=${courseIds.map(encodeURIComponent).join(',')}`);
}

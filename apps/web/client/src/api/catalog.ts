import { request } from './api.js';
import type { CourseCard, CourseCategory, CourseDetail, CourseSort, Page, PlaybackSession } from './types.js';

export interface CourseQuery {
  q: string;
  categoryId: string;
  sort: CourseSort;
  limit: number;
  offset: number;
}

export function listCourseCategories(): Promise<CourseCategory[]> {
  return request('GET', '/api/course-categories');
}

export function listCourses({ q, categoryId, sort, limit, offset }: CourseQuery): Promise<Page<CourseCard>> {
  const params = new URLSearchParams({ sort, limit: String(limit), offset: String(offset) });
  if (q) params.set('q', q);
  if (categoryId) params.set('categoryId', categoryId);
  return request('GET', `/api/courses?${params}`);
}

export function getCourse(id: string): Promise<CourseDetail> {
  return request('GET', `/api/courses/${encodeURIComponent(id)}`);
}

/** Opens a playback session: signed stream addresses plus where the member stopped last time. */
export function openPlayback(lectureId: string): Promise<PlaybackSession> {
  return request('POST', `/api/lectures/${encodeURIComponent(lectureId)}/playback`);
}

import { request } from './api.js';
import type { AssetView, CourseInput, LectureInput, OrgUnit, StudioCourse, StudioLecture } from './types.js';

const id = (value: string) => encodeURIComponent(value);

export function listStudioCourses(): Promise<StudioCourse[]> {
  return request('GET', '/api/studio/courses');
}

export function getStudioCourse(courseId: string): Promise<StudioCourse> {
  return request('GET', `/api/studio/courses/${id(courseId)}`);
}

export function createCourse(input: CourseInput): Promise<StudioCourse> {
  return request('POST', '/api/courses', input);
}

export function updateCourse(courseId: string, input: Partial<CourseInput>): Promise<StudioCourse> {
  return request('PATCH', `/api/courses/${id(courseId)}`, input);
}

export type CourseAction = 'publish' | 'unpublish' | 'archive';

export function changeCourseStatus(courseId: string, action: CourseAction): Promise<StudioCourse> {
  return request('POST', `/api/courses/${id(courseId)}/${action}`);
}

// Two minutes: 2 MB takes over a minute on a 256 kbit/s rural line.
export function uploadCover(courseId: string, image: Blob): Promise<StudioCourse> {
  return request('PUT', `/api/courses/${id(courseId)}/cover`, image, { timeoutMs: 120_000 });
}

export function addLecture(courseId: string, input: LectureInput): Promise<StudioLecture> {
  return request('POST', `/api/courses/${id(courseId)}/lectures`, input);
}

export function updateLecture(lectureId: string, input: Partial<LectureInput>): Promise<StudioLecture> {
  return request('PATCH', `/api/lectures/${id(lectureId)}`, input);
}

export function deleteLecture(lectureId: string): Promise<void> {
  return request('DELETE', `/api/lectures/${id(lectureId)}`);
}

export function reorderLectures(courseId: string, lectureIds: string[]): Promise<StudioCourse> {
  return request('PUT', `/api/courses/${id(courseId)}/lecture-order`, { lectureIds });
}

export function listVisibleOrgUnits(): Promise<OrgUnit[]> {
  return request('GET', '/api/org-units/visible');
}

/** The media asset a finished tus upload became. */
export function getUploadAsset(uploadId: string): Promise<AssetView> {
  return request('GET', `/api/uploads/${id(uploadId)}/asset`);
}

export function getAsset(assetId: string): Promise<AssetView> {
  return request('GET', `/api/assets/${id(assetId)}`);
}

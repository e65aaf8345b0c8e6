import type { MaterialListView, MaterialWithLinks, MyMaterialReading, ReadingReportAnswer, ReadingReportInput } from '#contracts';
import { request } from './api.js';
import { readToken } from './token.js';

export type { MaterialView, MaterialWithLinks, MyMaterialReading, ReadingReportAnswer } from '#contracts';

const id = encodeURIComponent;

/** The materials of a whole course (lecture materials included; each says its lecture). */
export const listCourseMaterials = (courseId: string) => request<MaterialListView>('GET', `/api/courses/${id(courseId)}/materials`);

/** The materials attached to one lecture. */
export const listLectureMaterials = (lectureId: string) => request<MaterialListView>('GET', `/api/lectures/${id(lectureId)}/materials`);

/** One material with fresh signed links to read and download it. */
export const getMaterial = (materialId: string) => request<MaterialWithLinks>('GET', `/api/materials/${id(materialId)}`);

const readingPath = (materialId: string) => `/api/materials/${id(materialId)}/reading`;

/** Reports time spent reading a material with the page visible. */
export const reportReading = (materialId: string, input: ReadingReportInput) =>
  request<ReadingReportAnswer>('POST', readingPath(materialId), input);

/**
 * The last report as the page goes away: `keepalive` lets it finish after the page is gone
 * (sendBeacon cannot carry the bearer token).
 */
export function reportReadingOnLeave(materialId: string, input: ReadingReportInput): void {
  const token = readToken();
  try {
    void fetch(readingPath(materialId), {
      method: 'POST',
      keepalive: true,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(input),
    }).catch(() => undefined);
  } catch {
    // The page is closing; nothing more to do.
  }
}

/** Per open plan that counts reading: the materials opened and which count as read. */
export const getMyMaterialReading = () => request<MyMaterialReading>('GET', '/api/me/material-reading');

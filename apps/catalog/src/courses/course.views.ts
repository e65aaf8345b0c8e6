import type { CategoryView, CourseCard, CourseDetail, LectureSummary } from '#contracts';
import type { CourseStatus } from './course.entities.js';

export type { CategoryView, CourseCard, CourseDetail, LectureSummary };

export interface StudioLecture extends LectureSummary {
  assetId: string | null;
  /** Catalog knows an asset only once the transcoder reported on it; until then it is processing. */
  media: {
    status: 'processing' | 'ready' | 'failed';
    percent: number | null;
    failureCode: string | null;
    failureReason: string | null;
  } | null;
}

export interface StudioCourse extends CourseCard {
  status: CourseStatus;
  /** The unit whose editors edit the course. */
  ownerUnit: { id: string; name: string; path: string };
  visibleUnitIds: string[];
  /** Members may watch a lecture while it is still being encoded, once it is previewable. */
  publishWhenPreviewable: boolean;
  lectures: StudioLecture[];
}

export const coverUrl = (courseId: string, coverKey: string | null) =>
  coverKey ? `/api/courses/${courseId}/cover?v=${encodeURIComponent(coverKey.split('/').pop() ?? '')}` : null;

export const posterUrl = (lectureId: string, hasPoster: boolean) => (hasPoster ? `/api/lectures/${lectureId}/poster` : null);

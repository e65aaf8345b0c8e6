import type { CourseStatus } from './course.entities.js';

export interface CategoryView {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface CourseCard {
  id: string;
  title: string;
  description: string;
  category: CategoryView;
  compulsory: boolean;
  coverUrl: string | null;
  lectureCount: number;
  totalDurationSec: number;
  publishedAt: string | null;
}

export interface LectureSummary {
  id: string;
  title: string;
  speaker: string;
  description: string;
  position: number;
  durationSec: number | null;
  posterUrl: string | null;
}

export interface CourseDetail extends CourseCard {
  lectures: LectureSummary[];
}

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
  visibleUnitIds: string[];
  lectures: StudioLecture[];
}

export const coverUrl = (courseId: string, coverKey: string | null) =>
  coverKey ? `/api/courses/${courseId}/cover?v=${encodeURIComponent(coverKey.split('/').pop() ?? '')}` : null;

export const posterUrl = (lectureId: string, hasPoster: boolean) => (hasPoster ? `/api/lectures/${lectureId}/poster` : null);

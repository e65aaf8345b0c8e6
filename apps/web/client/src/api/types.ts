import type { CategoryView, CourseCard, CourseDetail, LectureSummary, OrgUnitView, PlaybackSessionView } from '#contracts';

export type { CourseCard, CourseDetail, LectureSummary };
export type CourseCategory = CategoryView;
export type PlaybackSession = PlaybackSessionView;

export type Role = 'member' | 'editor' | 'admin' | 'inspector';

export interface OrgUnit {
  id: string;
  name: string;
  /** Slash-separated ancestry, e.g. "committee/branch-east/group-1". */
  path: string;
}

export interface User {
  id: string;
  login: string;
  name: string;
  role: Role;
  category: string | null;
  orgUnit: OrgUnit | null;
  /** After an administrator's reset: the person must choose a new password before anything else. */
  mustChangePassword?: boolean;
}

export interface LoginResponse {
  accessToken: string;
  user: User;
  mustChangePassword?: boolean;
}

export interface Member {
  id: string;
  login: string;
  name: string;
  category: string | null;
  active: boolean;
  orgUnit: OrgUnit;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface MemberCategory {
  code: string;
  nameZh: string;
  nameEn: string;
}

export type CourseSort = 'newest' | 'popular';

export type CourseStatus = 'draft' | 'published' | 'archived';

export type AssetStatus = 'uploading' | 'uploaded' | 'pending' | 'queued' | 'transcoding' | 'ready' | 'failed';

export interface StudioLecture extends LectureSummary {
  assetId: string | null;
  /** The catalog's view of the media: "processing" until the transcoder reported ready or failed. */
  media: { status: 'processing' | 'ready' | 'failed'; percent: number | null; failureReason: string | null } | null;
}

export interface StudioCourse extends CourseCard {
  status: CourseStatus;
  visibleUnitIds: string[];
  /** Members may watch a lecture while it is still being encoded, once it is previewable. */
  publishWhenPreviewable: boolean;
  lectures: StudioLecture[];
}

export interface CourseInput {
  title: string;
  description: string;
  categoryId: string;
  compulsory: boolean;
  /** Empty: every member may see the course. */
  visibleUnitIds: string[];
  /** Left out: false (members wait until a lecture is fully encoded). */
  publishWhenPreviewable?: boolean;
}

export interface LectureInput {
  title: string;
  speaker: string;
  description: string;
  assetId?: string;
}

export interface AssetView {
  id: string;
  status: AssetStatus;
  originalName: string;
  sizeBytes: number;
  kind: 'video' | 'audio' | null;
  durationSec: number | null;
  progress: { percent: number; etaSeconds: number | null };
  failure: { code: string; reason: string } | null;
  createdAt: string;
  updatedAt: string;
  readyAt: string | null;
}

/** A unit of the admin's own subtree, parents before children. */
export type OrgUnitNode = OrgUnitView;

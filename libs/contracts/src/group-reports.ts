// Group study reports: attendance by unit, member and session over a period, and make-up for absentees.
// Days are YYYY-MM-DD on the study calendar (STUDY_TIME_ZONE); durations are seconds.
import type {
  GroupAttendanceMemberRow,
  GroupAttendanceUnitRow,
  GroupSessionKind,
  GroupSessionStatus,
  MakeupGrantResult,
} from './group-study.js';
import type { NoticeKind } from './notices.js';

/** The notice an absentee gets when given a collective viewing's lecture as make-up. */
export const GROUP_MAKEUP_NOTICE_KIND = 'group.makeup' satisfies NoticeKind;

/** Params of a `group.makeup` notice: the lecture's title, and the last day it counts toward a plan (none without a window). */
export interface GroupMakeupNoticeParams {
  title: string;
  until?: string;
}

/** At most this many absentees are named per session, on the screen and in the files alike; the rest are counted. */
export const GROUP_REPORT_ABSENTEES_NAMED = 100;

/** A unit of the report: its own row and everything below it rolled up into it. */
export interface GroupReportUnitRow extends GroupAttendanceUnitRow {
  parentId: string | null;
  depth: number;
  kind: string;
  creditedSec: number;
}

export interface GroupReportMemberRow extends GroupAttendanceMemberRow {
  /** The unit the member belonged to at their latest session of the period. */
  unitPath: string;
  creditedSec: number;
  /** Attended over sessions held for them, 0..1 (null when none was held). */
  attendanceRate: number | null;
}

export interface GroupReportAbsentee {
  userId: string;
  name: string;
  login: string;
  unitName: string;
  /** Given the lecture as make-up for this session. */
  makeupGiven: boolean;
}

export interface GroupReportSessionRow {
  sessionId: string;
  kind: GroupSessionKind;
  status: GroupSessionStatus;
  /** The lecture's title (collective) or the topic (in person). */
  title: string;
  courseTitle: string | null;
  lectureId: string | null;
  unitId: string;
  unitName: string;
  unitPath: string;
  /** The study-calendar day it was held, and when it started. */
  day: string;
  startsAt: string;
  recordedAfterwards: boolean;
  /** Places, attendances and absences of members in the reader's scope. */
  rosterPlaces: number;
  attendances: number;
  attendanceRate: number | null;
  late: number;
  absent: number;
  creditedSec: number;
  /** The first `GROUP_REPORT_ABSENTEES_NAMED` absentees by unit and name; `absent` counts them all. */
  absentees: GroupReportAbsentee[];
  makeupGiven: number;
  /** Whether the reader may give the absentees make-up (an ended collective viewing of a unit they administer or lead). */
  canGiveMakeup: boolean;
}

export interface GroupReportColumn {
  key: string;
  label: string;
}

export interface GroupReportAnswer<Row> {
  from: string;
  to: string;
  unit: { id: string; name: string; path: string };
  columns: GroupReportColumn[];
  items: Row[];
  /** Rows in all (the screen gets one page of members and sessions; the files carry all). */
  total?: number;
  page?: number;
  limit?: number;
}

/** `POST /api/group-sessions/:id/makeup`. */
export interface GroupMakeupRequest {
  /**
   * Record the make-up and tell the absentees even though no open plan has a make-up window for them and this
   * lecture (the study then counts toward no plan until an admin opens one).
   */
  withoutWindow?: boolean;
}

export interface GroupMakeupResult extends MakeupGrantResult {
  /** Absentees of the session (active members of its roster who did not attend). */
  absentees: number;
  /** Of those granted now, how many have no plan with a make-up window. */
  withoutWindow: number;
  /** Notices added (one per absentee granted now). */
  notified: number;
}

/** The 409 answer when no plan has a make-up window: what to do instead. */
export interface GroupMakeupNoWindow {
  statusCode: 409;
  code: 'no_makeup_window';
  message: string;
  absentees: number;
}

// Group study: collective viewings on a study site's screen, in-person sessions, their attendance and reports.
// Times are ISO 8601 strings; durations are seconds.

export const GROUP_SESSION_KINDS = ['collective', 'in_person'] as const;
export type GroupSessionKind = (typeof GROUP_SESSION_KINDS)[number];

export const GROUP_SESSION_STATUSES = ['planned', 'live', 'ended', 'cancelled'] as const;
export type GroupSessionStatus = (typeof GROUP_SESSION_STATUSES)[number];

/** How a member was checked in: ticked on the roster, scanned the screen's QR, typed its code, or recorded afterwards. */
export const ATTENDANCE_METHODS = ['roster', 'qr', 'code', 'afterwards'] as const;
export type AttendanceMethod = (typeof ATTENDANCE_METHODS)[number];

export const GROUP_SESSION_LIMITS = {
  topic: 200,
  place: 200,
  speaker: 200,
  materials: 4000,
  note: 500,
  /** The check-in code: six digits, a new one every `codePeriodSec`; the previous one is still taken. */
  codeDigits: 6,
  codePeriodSec: 60,
  /** A past in-person session's attendance may be recorded this many days after it ended (default; see config). */
  recordAfterDays: 14,
} as const;

/** What the signed-in person may do in group study: start sessions for these units (their own and below). */
export interface GroupStudyCapabilities {
  canLead: boolean;
  units: Array<{ id: string; name: string; path: string }>;
}

export interface GroupSessionSummary {
  id: string;
  kind: GroupSessionKind;
  status: GroupSessionStatus;
  unit: { id: string; name: string; path: string };
  lecture: { id: string; title: string; courseTitle: string; durationSec: number } | null;
  topic: string | null;
  place: string | null;
  speaker: string | null;
  startsAt: string | null;
  endsAt: string | null;
  recordedAfterwards: boolean;
  attendeeCount: number;
  rosterCount: number;
  createdBy: { id: string; name: string };
}

export interface GroupSessionDetail extends GroupSessionSummary {
  materials: string | null;
  /** Media seconds the room's screen has played (collective), bounded by the server's clock. */
  playedSec: number;
  positionSec: number;
  /** Whether the caller may run the screen, tick the roster and end the session. */
  canManage: boolean;
  /** In-person sessions: attendance may still be recorded until then (null: while live). */
  recordUntil: string | null;
}

export interface RosterEntry {
  userId: string;
  name: string;
  login: string;
  unitName: string;
  present: boolean;
  method: AttendanceMethod | null;
  late: boolean;
  firstInAt: string | null;
  /** The last check-out, when the member is not present any more. */
  lastOutAt: string | null;
  creditedSec: number;
}

/** The rotating code the screen shows, with the link its QR encodes. */
export interface CheckinCodeView {
  code: string;
  /** Absolute path the QR encodes: /checkin?s=<session>&c=<code>. */
  url: string;
  validUntil: string;
  periodSec: number;
}

export interface CreateCollectiveSession {
  lectureId: string;
  unitId: string;
}

export interface CreateInPersonSession {
  unitId: string;
  topic: string;
  startsAt: string;
  endsAt: string;
  place?: string | null;
  speaker?: string | null;
  materials?: string | null;
}

export interface CheckinByCode {
  code: string;
  /** Set when the member followed the QR link; the code alone is looked up among sessions they may attend. */
  sessionId?: string;
}

export interface CheckinResult {
  session: GroupSessionSummary;
  late: boolean;
  alreadyPresent: boolean;
}

/** What the room's screen sends every few seconds while it plays (media seconds played since the last). */
export interface ScreenHeartbeat {
  seq: number;
  intervals: Array<[number, number]>;
  position: number;
}

export interface ScreenHeartbeatResult {
  playedSec: number;
  presentCount: number;
  /** Media seconds credited to attendees by this heartbeat, summed. */
  creditedSec: number;
}

export interface AttendanceEventView {
  at: string;
  event: 'checked_in' | 'checked_out' | 'undone';
  method: AttendanceMethod | null;
  member: { id: string; name: string };
  by: { id: string; name: string };
  note: string | null;
}

/** Per unit over a period: sessions held, attendance rate, absentees. */
export interface GroupAttendanceUnitRow {
  unitId: string;
  unitName: string;
  unitPath: string;
  collectiveSessions: number;
  inPersonSessions: number;
  /** Attendances over roster places, 0..1 (null when no session was held). */
  attendanceRate: number | null;
  attendances: number;
  rosterPlaces: number;
  creditedHours: number;
}

export interface GroupAttendanceMemberRow {
  userId: string;
  name: string;
  login: string;
  unitName: string;
  sessionsHeld: number;
  attended: number;
  absent: number;
  late: number;
  recordedAfterwards: number;
  creditedHours: number;
}

export interface MakeupGrantResult {
  granted: number;
  alreadyGranted: number;
  /** Plans the make-up window was opened in. */
  plans: Array<{ id: string; name: string; makeupUntil: string | null }>;
}

/** `GET /api/group-sessions` filters; `from`/`to` bound `startsAt` (ISO date-times), newest first. */
export interface GroupSessionListQuery {
  status?: GroupSessionStatus;
  unitId?: string;
  from?: string;
  to?: string;
  limit?: number;
}

/** A leader ticks a member on the roster (`present: false` checks them out); `note` goes to the audit trail. */
export interface AttendanceTick {
  userId: string;
  present: boolean;
  note?: string | null;
}

/** Takes back a member's attendance entered by mistake: it stops counting, and the record and its events stay. */
export interface AttendanceUndo {
  userId: string;
  note?: string | null;
}

/** What a member's own check-out answers. */
export interface CheckoutResult {
  session: GroupSessionSummary;
  /** False when the member was not checked in (nothing changed). */
  checkedOut: boolean;
}

/** One session the signed-in member attended, as their own history shows it (`GET /api/group-sessions/attended`). */
export interface MyAttendanceEntry {
  session: GroupSessionSummary;
  method: AttendanceMethod | null;
  late: boolean;
  firstInAt: string | null;
  /** The last check-out, when the member is not present any more. */
  lastOutAt: string | null;
  creditedSec: number;
}

import type {
  AttendanceEventView,
  AttendanceTick,
  AttendanceUndo,
  CheckoutResult,
  CheckinByCode,
  CheckinCodeView,
  CheckinResult,
  CreateCollectiveSession,
  CreateInPersonSession,
  GroupSessionDetail,
  GroupSessionStatus,
  GroupSessionSummary,
  GroupStudyCapabilities,
  MyAttendanceEntry,
  RosterEntry,
  ScreenHeartbeat,
  ScreenHeartbeatResult,
} from '#contracts';
import type { GroupScreenStream } from '../../../../../libs/contracts/src/collective.js';
import { request } from './api.js';

const BASE = '/api/group-sessions';
const one = (id: string) => `${BASE}/${encodeURIComponent(id)}`;

/** A list answered either as an array or as a page of `items`. */
type ListAnswer<T> = T[] | { items: T[] };
const itemsOf = <T>(answer: ListAnswer<T>): T[] => (Array.isArray(answer) ? answer : (answer?.items ?? []));

export const groupCapabilities = () => request<GroupStudyCapabilities>('GET', `${BASE}/capabilities`);

export interface SessionQuery {
  status?: GroupSessionStatus;
  unitId?: string;
}

/** Sessions the caller may see: of their units for leaders, the ones they attended for members. */
export async function listGroupSessions(query: SessionQuery = {}): Promise<GroupSessionSummary[]> {
  const params = new URLSearchParams();
  if (query.status) params.set('status', query.status);
  if (query.unitId) params.set('unitId', query.unitId);
  const search = params.size ? `?${params}` : '';
  return itemsOf(await request<ListAnswer<GroupSessionSummary>>('GET', `${BASE}${search}`));
}

/** One attended session as the member's own history shows it. */
export type MyAttendance = MyAttendanceEntry;

/** The caller's own attendance, newest session first. */
export const myAttendance = () => request<MyAttendanceEntry[]>('GET', `${BASE}/attended`);

export const getGroupSession = (id: string) => request<GroupSessionDetail>('GET', one(id));

export const startCollective = (input: CreateCollectiveSession) => request<GroupSessionDetail>('POST', `${BASE}/collective`, input);
export const recordInPerson = (input: CreateInPersonSession) => request<GroupSessionDetail>('POST', `${BASE}/in-person`, input);
export const endGroupSession = (id: string) => request<GroupSessionDetail>('POST', `${one(id)}/end`, {});

export async function sessionRoster(id: string): Promise<RosterEntry[]> {
  return itemsOf(await request<ListAnswer<RosterEntry>>('GET', `${one(id)}/roster`));
}

export const markAttendance = (id: string, input: AttendanceTick) => request<RosterEntry>('POST', `${one(id)}/attendance`, input);
/** Takes back a check-in entered by mistake (e.g. a wrong tick on an ended in-person session); the record stays. */
export const undoAttendance = (id: string, input: AttendanceUndo) => request<RosterEntry>('POST', `${one(id)}/attendance/undo`, input);

export async function sessionEvents(id: string): Promise<AttendanceEventView[]> {
  return itemsOf(await request<ListAnswer<AttendanceEventView>>('GET', `${one(id)}/events`));
}

export const checkinCode = (id: string) => request<CheckinCodeView>('GET', `${one(id)}/code`);

export const checkIn = (input: CheckinByCode) => request<CheckinResult>('POST', `${BASE}/checkin`, input);
export const checkOut = (id: string) => request<CheckoutResult>('POST', `${one(id)}/checkout`, {});

export const screenHeartbeat = (id: string, beat: ScreenHeartbeat) => request<ScreenHeartbeatResult>('POST', `${one(id)}/heartbeats`, beat);

/** What the room's screen plays: the lecture's HLS links signed for this screen, and where it was when it last reported. */
export const screenStream = (id: string) => request<GroupScreenStream>('POST', `${one(id)}/stream`, {});

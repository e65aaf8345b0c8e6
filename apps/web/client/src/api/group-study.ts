import type {
  AttendanceEventView,
  CheckinByCode,
  CheckinCodeView,
  CheckinResult,
  CreateCollectiveSession,
  CreateInPersonSession,
  GroupSessionDetail,
  GroupSessionStatus,
  GroupSessionSummary,
  GroupStudyCapabilities,
  RosterEntry,
  ScreenHeartbeat,
  ScreenHeartbeatResult,
} from '#contracts';
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
export interface MyAttendance {
  session: GroupSessionSummary;
  method: RosterEntry['method'];
  late: boolean;
  firstInAt: string | null;
  lastOutAt: string | null;
  creditedSec: number;
}

/** The caller's own attendance, newest first. */
export async function myAttendance(): Promise<MyAttendance[]> {
  return itemsOf(await request<ListAnswer<MyAttendance>>('GET', `${BASE}/attended`));
}

export const getGroupSession = (id: string) => request<GroupSessionDetail>('GET', one(id));

export const startCollective = (input: CreateCollectiveSession) => request<GroupSessionDetail>('POST', `${BASE}/collective`, input);
export const recordInPerson = (input: CreateInPersonSession) => request<GroupSessionDetail>('POST', `${BASE}/in-person`, input);
export const endGroupSession = (id: string) => request<GroupSessionDetail>('POST', `${one(id)}/end`, {});

export async function sessionRoster(id: string): Promise<RosterEntry[]> {
  return itemsOf(await request<ListAnswer<RosterEntry>>('GET', `${one(id)}/roster`));
}

export const markAttendance = (id: string, input: { userId: string; present: boolean; note?: string }) =>
  request<RosterEntry | RosterEntry[] | { items: RosterEntry[] } | null>('POST', `${one(id)}/attendance`, input);

export async function sessionEvents(id: string): Promise<AttendanceEventView[]> {
  return itemsOf(await request<ListAnswer<AttendanceEventView>>('GET', `${one(id)}/events`));
}

export const checkinCode = (id: string) => request<CheckinCodeView>('GET', `${one(id)}/code`);

export const checkIn = (input: CheckinByCode) => request<CheckinResult>('POST', `${BASE}/checkin`, input);
export const checkOut = (id: string) => request<unknown>('POST', `${one(id)}/checkout`, {});

export const screenHeartbeat = (id: string, beat: ScreenHeartbeat) => request<ScreenHeartbeatResult>('POST', `${one(id)}/heartbeats`, beat);

/** The stream the room's screen plays: the lecture's HLS master playlist, signed for this screen. */
export async function screenStream(id: string): Promise<string> {
  const answer = await request<string | { url?: string; masterUrl?: string; streamUrl?: string }>('POST', `${one(id)}/stream`, {});
  const url = typeof answer === 'string' ? answer : (answer?.masterUrl ?? answer?.url ?? answer?.streamUrl);
  if (!url) throw new Error('The screen stream answer has no address.');
  return url;
}

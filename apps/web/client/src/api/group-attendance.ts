import type {
  GroupMakeupRequest,
  GroupMakeupResult,
  GroupReportAnswer,
  GroupReportMemberRow,
  GroupReportSessionRow,
  GroupReportUnitRow,
} from '#contracts';
import { request } from './api.js';
import { withLang } from './reports.js';

export type { GroupMakeupResult, GroupReportAnswer, GroupReportMemberRow, GroupReportSessionRow, GroupReportUnitRow };

export type GroupReportTable = 'units' | 'members' | 'sessions';

export interface GroupReportFilter {
  from: string;
  to: string;
  /** A unit of the reader's subtree; none: their whole subtree. */
  unitId?: string;
}

/** The report's own endpoint for a table, with the filter of the page; the export buttons add the format. */
export function groupReportPath(table: GroupReportTable, filter: GroupReportFilter): string {
  const query = new URLSearchParams({ from: filter.from, to: filter.to });
  if (filter.unitId) query.set('unitId', filter.unitId);
  return `/api/reports/group/${table}?${query}`;
}

export function groupUnits(filter: GroupReportFilter, lang: string): Promise<GroupReportAnswer<GroupReportUnitRow>> {
  return request('GET', withLang(groupReportPath('units', filter), lang));
}

export function groupMembers(filter: GroupReportFilter, lang: string, limit = 200): Promise<GroupReportAnswer<GroupReportMemberRow>> {
  return request('GET', `${withLang(groupReportPath('members', filter), lang)}&limit=${limit}`);
}

export function groupSessions(filter: GroupReportFilter, lang: string, limit = 100): Promise<GroupReportAnswer<GroupReportSessionRow>> {
  return request('GET', `${withLang(groupReportPath('sessions', filter), lang)}&limit=${limit}`);
}

/** Gives every absentee of an ended collective viewing its lecture as make-up (again: only those not yet given it). */
export function giveAbsenteesMakeup(sessionId: string, body: GroupMakeupRequest = {}): Promise<GroupMakeupResult> {
  return request('POST', `/api/group-sessions/${encodeURIComponent(sessionId)}/makeup`, body);
}

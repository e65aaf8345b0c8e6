import type { DestinationView, TransferHistory, TransferStatus, TransferView, UnitRef, UnitStudyRow } from '#contracts';
import { request } from './api.js';
import { withLang, type ReportTable } from './reports.js';

export type { TransferStatus, UnitPeriodView as UnitPeriod, UnitRef } from '#contracts';
export type Transfer = TransferView;
export type TransferHistoryData = TransferHistory;
export type Destination = DestinationView;

export interface TransferPage {
  items: Transfer[];
  total: number;
}

export interface NewTransfer {
  userId: string;
  toUnitId: string;
  effectiveOn: string;
  reason: string;
}

export function listTransfers(params: {
  status?: TransferStatus | 'decided';
  direction?: 'incoming' | 'outgoing' | 'all';
  limit?: number;
  offset?: number;
}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, String(value));
  return request<TransferPage>('GET', `/api/transfers?${query}`);
}

export const createTransfer = (input: NewTransfer) => request<Transfer>('POST', '/api/transfers', input);
export const acceptTransfer = (id: string, note: string) =>
  request<Transfer>('POST', `/api/transfers/${encodeURIComponent(id)}/accept`, { note });
export const rejectTransfer = (id: string, note: string) =>
  request<Transfer>('POST', `/api/transfers/${encodeURIComponent(id)}/reject`, { note });
export const cancelTransfer = (id: string) => request<Transfer>('POST', `/api/transfers/${encodeURIComponent(id)}/cancel`, {});

export const transferHistory = (memberId: string) =>
  request<TransferHistoryData>('GET', `/api/members/${encodeURIComponent(memberId)}/transfers`);

export function findDestinations(q: string, scope: 'inside' | 'all') {
  const query = new URLSearchParams({ q, scope });
  return request<{ items: Destination[] }>('GET', `/api/transfers/destinations?${query}`);
}

/** A member as the transfer form's search finds them. */
export interface MemberHit {
  id: string;
  name: string;
  login: string;
  orgUnit?: { name: string } | null;
}

export const findMembers = (q: string) =>
  request<{ items: MemberHit[]; total: number }>('GET', `/api/members?${new URLSearchParams({ q, role: 'member', limit: '10' })}`);

export type { UnitStudyRow };

export interface UnitStudyReport extends ReportTable<UnitStudyRow> {
  from: string;
  to: string;
  unit: UnitRef;
}

/** The period report's endpoint; the same path (with format) serves its exports. */
export const unitStudyPath = (from: string, to: string) => `/api/reports/units/study?${new URLSearchParams({ from, to })}`;

export const unitStudy = (from: string, to: string, lang: string) =>
  request<UnitStudyReport>('GET', withLang(unitStudyPath(from, to), lang));

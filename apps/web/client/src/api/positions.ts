import type { MemberPositionView, PositionKindView, UnitHolderView } from '#contracts';
import { request } from './api.js';

export type PositionKind = PositionKindView;
export type MemberPosition = MemberPositionView;
export type UnitHolder = UnitHolderView;

export interface PositionKindInput {
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface AppointInput {
  orgUnitId: string;
  positionCode: string;
  startedOn?: string;
}

const id = encodeURIComponent;

export function listPositionKinds(): Promise<PositionKind[]> {
  return request('GET', '/api/position-kinds');
}

export function createPositionKind(input: PositionKindInput): Promise<PositionKind> {
  return request('POST', '/api/position-kinds', input);
}

export function listMemberPositions(memberId: string): Promise<MemberPosition[]> {
  return request('GET', `/api/members/${id(memberId)}/positions`);
}

export function appoint(memberId: string, input: AppointInput): Promise<MemberPosition> {
  return request('POST', `/api/members/${id(memberId)}/positions`, input);
}

export function endPosition(positionId: string, endedOn?: string): Promise<MemberPosition> {
  return request('POST', `/api/member-positions/${id(positionId)}/end`, endedOn ? { endedOn } : {});
}

export function listUnitHolders(unitId: string): Promise<UnitHolder[]> {
  return request('GET', `/api/org-units/${id(unitId)}/positions`);
}

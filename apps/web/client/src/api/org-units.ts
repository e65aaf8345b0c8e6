import type { DeleteBlocker, OrgUnitKind, OrgUnitSearchHit, OrgUnitView } from '#contracts';
import { ApiError, request } from './api.js';

export type { DeleteBlocker } from '#contracts';
export type UnitKind = OrgUnitKind;
export const UNIT_KINDS: readonly UnitKind[] = ['committee', 'branch', 'group', 'unit'];

/** One unit of the admin's subtree, parents before children. */
export type TreeUnit = OrgUnitView;
export type UnitSearchHit = OrgUnitSearchHit;

export interface NewUnitInput {
  parentId: string;
  name: string;
  slug: string;
  kind: UnitKind;
}

const id = (value: string) => encodeURIComponent(value);

export function listUnitTree(): Promise<TreeUnit[]> {
  return request('GET', '/api/org-units');
}

export function searchUnits(q: string): Promise<UnitSearchHit[]> {
  return request('GET', `/api/org-units/search?${new URLSearchParams({ q })}`);
}

export function createUnit(input: NewUnitInput): Promise<TreeUnit> {
  return request('POST', '/api/org-units', input);
}

export function updateUnit(unitId: string, changes: { name?: string; slug?: string }): Promise<TreeUnit> {
  return request('PATCH', `/api/org-units/${id(unitId)}`, changes);
}

export function moveUnit(unitId: string, parentId: string): Promise<TreeUnit> {
  return request('POST', `/api/org-units/${id(unitId)}/move`, { parentId });
}

/** A refused delete, with the reasons the server listed. */
export class UnitDeleteRefused extends ApiError {
  constructor(
    status: number,
    message: string,
    readonly blockers: DeleteBlocker[],
  ) {
    super(status, message);
  }
}

/** Deletes an empty unit. A refusal carries the list of reasons (`blockers`), which the page words in the reader's language. */
export async function deleteUnit(unitId: string): Promise<void> {
  try {
    await request<void>('DELETE', `/api/org-units/${id(unitId)}`);
  } catch (failure) {
    const blockers = failure instanceof ApiError ? (failure.body as { blockers?: unknown } | null)?.blockers : undefined;
    if (failure instanceof ApiError && Array.isArray(blockers)) {
      throw new UnitDeleteRefused(failure.status, failure.message, blockers as DeleteBlocker[]);
    }
    throw failure;
  }
}

/** Where another page lists a unit's members. */
export const unitMembersPath = (unitId: string) => `/organisation/members?unitId=${id(unitId)}`;

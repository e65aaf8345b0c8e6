/**
 * What the organisation's endpoints answer and accept: members, their import, transfers, positions,
 * training classes and study by unit. The server builds these and the web client reads them.
 */

/** A unit as an answer names it. */
export interface UnitRef {
  id: string;
  name: string;
  /** Slash-separated ancestry, e.g. "committee/east/group-1". */
  path: string;
}

// ---- units --------------------------------------------------------------------------------------

export type OrgUnitKind = 'committee' | 'branch' | 'group' | 'unit';

/** A unit of the caller's subtree, as every unit answer names it. */
export interface OrgUnitSummary {
  id: string;
  parentId: string | null;
  slug: string;
  name: string;
  kind: OrgUnitKind;
  path: string;
  depth: number;
}

/** A unit of the tree (`GET /api/org-units`), parents before children. */
export interface OrgUnitView extends OrgUnitSummary {
  /** Active members directly in the unit. */
  memberCount: number;
  /** Active members in the unit and every unit below it. */
  subtreeMemberCount: number;
  childCount: number;
  /** The current secretary (the earliest appointed, if several). */
  secretary: { id: string; name: string } | null;
}

/** A unit found by `GET /api/org-units/search`. */
export interface OrgUnitSearchHit extends OrgUnitSummary {
  /** Names from the caller's top unit down to the unit. */
  names: string[];
}

/** Why a unit cannot be deleted, as the 409 answer lists them besides its sentence. */
export interface DeleteBlocker {
  code:
    | 'subUnits'
    | 'members'
    | 'staff'
    | 'plans'
    | 'courses'
    | 'audiences'
    | 'results'
    | 'positions'
    | 'classes'
    | 'transfers'
    | 'history'
    | 'kinds';
  count: number;
  /** The plans' names, for `plans`. */
  names?: string[];
}

// ---- members -----------------------------------------------------------------------------------

export type MemberRole = 'member' | 'editor' | 'admin' | 'inspector';

/** A person as the member list and a member's page show them. */
export interface MemberListItem {
  id: string;
  login: string;
  name: string;
  role: MemberRole;
  category: string | null;
  active: boolean;
  /** An administrator reset the password and the person has not chosen a new one yet. */
  mustChangePassword: boolean;
  createdAt: string;
  orgUnit: UnitRef;
  /** Names of the member's unit and the units above it, from the root down. */
  unitNames: string[];
  /** Codes of the positions the member holds now, in the positions' own order. */
  positions: string[];
}

// ---- member import -----------------------------------------------------------------------------

export type FileEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'xlsx';

export interface Change<T> {
  from: T;
  to: T;
}

/** What an import would change on a person who is already there. */
export interface ImportedChanges {
  name?: Change<string>;
  category?: Change<string | null>;
  active?: Change<boolean>;
}

export interface ImportCounts {
  total: number;
  create: number;
  update: number;
  unchanged: number;
  reject: number;
}

export interface RejectedRow {
  line: number;
  login: string;
  name: string;
  unit: string;
  reason: string;
  reasonZh: string;
}

export interface ImportPreview {
  id: string;
  fileName: string;
  encoding: FileEncoding;
  createdAt: string;
  expiresAt: string;
  confirmedAt: string | null;
  counts: ImportCounts;
  /** How many rows of each kind are listed; the counts are exact. */
  listLimit: number;
  created: Array<{ line: number; login: string; name: string; unitPath: string; category: string | null; active: boolean }>;
  updated: Array<{ line: number; login: string; name: string; unitPath: string; changes: ImportedChanges }>;
  rejected: RejectedRow[];
}

export interface ImportResult {
  id: string;
  confirmedAt: string;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

// ---- transfers ---------------------------------------------------------------------------------

export const TRANSFER_STATUSES = ['done', 'pending', 'rejected', 'cancelled'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export interface TransferView {
  id: string;
  member: { id: string; name: string; login: string };
  from: UnitRef;
  to: UnitRef;
  effectiveOn: string;
  reason: string;
  status: TransferStatus;
  requestedBy: string | null;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string;
  /** What the caller may do with it now. */
  mayAccept: boolean;
  mayReject: boolean;
  mayCancel: boolean;
}

export interface UnitPeriodView {
  unit: UnitRef;
  fromDay: string;
  /** Exclusive; null while the member is still there. */
  toDay: string | null;
}

/** A member's transfers and the units they belonged to, by period. */
export interface TransferHistory {
  member: { id: string; name: string; login: string; role: string; unit: UnitRef; inScope: boolean; since: string | null };
  /** Today on the platform's study calendar: the latest date a transfer may take effect. */
  today: string;
  transfers: TransferView[];
  periods: UnitPeriodView[];
}

export interface DestinationView {
  id: string;
  name: string;
  kind: string;
  path: string;
  /** The names from the top of the organisation down to this unit. */
  trail: string;
  /** Inside the caller's subtree: a transfer there takes effect at once. */
  inScope: boolean;
}

// ---- study by unit -----------------------------------------------------------------------------

/** One unit's study in a period: what was earned while members belonged to it, and the same over its subtree. */
export interface UnitStudyRow {
  unitId: string;
  parentId: string | null;
  name: string;
  path: string;
  kind: string;
  depth: number;
  /** Credited seconds earned on days the members belonged to this very unit. */
  ownSec: number;
  ownHours: number;
  /** Members who earned credited study on a day they belonged to this unit. */
  ownMembers: number;
  /** The same over the unit and every unit below it; a member who moved inside the subtree is counted once. */
  totalSec: number;
  totalHours: number;
  totalMembers: number;
}

// ---- training classes --------------------------------------------------------------------------

export interface TrainingClassView {
  id: string;
  name: string;
  description: string;
  ownerUnit: UnitRef;
  startsOn: string;
  endsOn: string;
  archivedAt: string | null;
  createdAt: string;
  enrolledCount: number;
  withdrawnCount: number;
}

export interface EnrolmentView {
  userId: string;
  login: string;
  name: string;
  active: boolean;
  orgUnit: UnitRef;
  enrolledAt: string;
  enrolledBy: { id: string; name: string } | null;
  withdrawnAt: string | null;
}

export interface MemberClassView {
  classId: string;
  name: string;
  ownerUnit: UnitRef;
  startsOn: string;
  endsOn: string;
  archivedAt: string | null;
  enrolledAt: string;
  withdrawnAt: string | null;
}

export interface EnrolResult {
  /** Newly enrolled, or enrolled again after a withdrawal. */
  enrolled: number;
  alreadyIn: number;
}

export interface FilterEnrolResult extends EnrolResult {
  /** The members the filter matched; with a preview nobody is enrolled and `enrolled` says how many would be. */
  matched: number;
}

/** Why a roster row was not enrolled, for the page to say in the reader's language. */
export type RosterRejection = 'no-login' | 'repeated' | 'unknown' | 'outside-class';

export interface RosterResult extends EnrolResult {
  rejected: Array<{ row: number; login: string; code: RosterRejection; reason: string }>;
}

// ---- positions ---------------------------------------------------------------------------------

export interface PositionKindView {
  code: string;
  nameZh: string;
  nameEn: string;
  builtin: boolean;
  /** The unit whose subtree may use a kind an admin added; null for the built-ins. */
  ownerUnit: UnitRef | null;
}

export interface MemberPositionView {
  id: string;
  userId: string;
  positionCode: string;
  positionNameZh: string;
  positionNameEn: string;
  orgUnit: UnitRef;
  startedOn: string;
  endedOn: string | null;
  current: boolean;
}

export interface UnitHolderView extends MemberPositionView {
  member: { id: string; login: string; name: string };
}
